// `charter check FILE...`: compiles each constitution and reports every problem found.

import { summarizeDiagnostics, type Diagnostic } from "../../dsl/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine, usageError } from "../parse-flags.js";
import { compileForCli } from "./compile-shared.js";

const HELP = `usage: charter check FILE...

Checks constitutions (.charter, .yaml, .yml, .json) and their imports. Problems are printed to
stderr with file:line:col, a code frame and what was expected; then a one-line summary.

Exit code: 0 when there are no errors (warnings may print), 1 when any file has an error,
2 for a usage error.
`;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, {}, HELP, io);
    if (parsed === undefined) return 0;
    const { positionals } = parsed;
    if (positionals.length === 0) throw usageError(`expected at least one FILE`, HELP);
    const all: Diagnostic[] = [];
    for (const file of positionals) {
      const result = await compileForCli(file, io);
      all.push(...result.diagnostics);
    }
    const failed = all.some((entry) => entry.severity === "error");
    const files = `${positionals.length} file${positionals.length === 1 ? "" : "s"}`;
    io.stderr.write(`${failed ? "✗" : "✓"} ${files} checked: ${summarizeDiagnostics(all)}\n`);
    return failed ? 1 : 0;
  },
};
export default command;
