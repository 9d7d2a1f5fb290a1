// `charter convert FILE --to charter|yaml|json [-o OUT]`: the same constitution in another format.

import { toCharterSource, toJson, toYaml, type CompiledConstitution } from "../../dsl/index.js";
import { UsageError } from "../../errors.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { compileForCli, constitutionOrReport, singleFile, writeOutput } from "./compile-shared.js";

const HELP = `usage: charter convert FILE --to charter|yaml|json [-o OUT]

Writes the constitution in another format, printed or to OUT. Imports are merged in, so the
result is one self-contained file; compiling it gives the same principles and content hash.
Exit code: 0 converted, 1 the constitution has errors, 2 usage.
`;

const PRINTERS: Readonly<Record<string, (constitution: CompiledConstitution) => string>> = {
  charter: toCharterSource,
  yaml: toYaml,
  json: toJson,
};

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(
      argv,
      {
        to: { type: "string" },
        out: { type: "string", short: "o" },
      },
      HELP,
      io,
    );
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const file = singleFile(positionals, HELP);
    const printer = values.to === undefined ? undefined : PRINTERS[values.to];
    if (printer === undefined) {
      throw new UsageError(
        `--to must be charter, yaml or json${values.to === undefined ? "" : `, not '${values.to}'`}`,
      );
    }
    const constitution = constitutionOrReport(await compileForCli(file, io), file, io);
    if (constitution === undefined) return 1;
    const output = printer(constitution);
    writeOutput(output, values.out, io);
    return 0;
  },
};
export default command;
