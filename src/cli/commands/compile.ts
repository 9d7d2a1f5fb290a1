// `charter compile FILE [-o OUT]`: the compiled JSON (schema id, content hash, locations).

import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { compileForCli, constitutionOrReport, singleFile, writeOutput } from "./compile-shared.js";

const HELP = `usage: charter compile FILE [-o OUT]

Compiles a constitution (.charter, .yaml, .yml, .json) with its imports and prints the compiled
JSON (schema "charter/1", content hash, source locations), or writes it to OUT.
Exit code: 0 compiled, 1 the constitution has errors (printed to stderr), 2 usage.
`;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, { out: { type: "string", short: "o" } }, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const file = singleFile(positionals, HELP);
    const constitution = constitutionOrReport(await compileForCli(file, io), file, io);
    if (constitution === undefined) return 1;
    const json = `${JSON.stringify(constitution, null, 2)}\n`;
    writeOutput(json, values.out, io);
    if (values.out !== undefined) io.stderr.write(`wrote ${values.out} (${constitution.hash})\n`);
    return 0;
  },
};
export default command;
