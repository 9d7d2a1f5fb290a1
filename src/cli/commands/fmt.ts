// `charter fmt`: formats constitutions canonically (print, --check for CI, --write in place).

import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { formatSource, loadChevrotainPath, renderDiagnostics } from "../../dsl/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter fmt FILE|DIR... [--check | --write]

Formats .charter files in one canonical layout, keeping comments. A directory stands for every
.charter file under it. Files with syntax errors are reported and left alone.

  (no flag)   print the formatted text to stdout
  --check     print the files that are not formatted; exit 1 if there are any
  --write     rewrite files that are not formatted, printing their names
`;

/** The files an argument names: itself, or every .charter file under a directory, sorted. */
function expand(path: string, shown: string): { path: string; shown: string }[] {
  if (!statSync(path).isDirectory()) return [{ path, shown }];
  return readdirSync(path, { recursive: true })
    .map(String)
    .filter((name) => name.endsWith(".charter"))
    .sort()
    .map((name) => ({ path: join(path, name), shown: join(shown, name) }));
}

const FLAGS = {
  check: { type: "boolean" },
  write: { type: "boolean" },
} as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError("name at least one file or directory");
    if (values.check === true && values.write === true) {
      throw new UsageError("--check and --write do not go together");
    }
    // The formatter reads tokens and the CST, which chevrotain makes.
    await loadChevrotainPath();
    let exitCode = 0;
    const files = positionals.flatMap((argument) => {
      const path = resolve(io.cwd, argument);
      try {
        return expand(path, argument);
      } catch {
        io.stderr.write(`charter fmt: cannot read ${argument}\n`);
        exitCode = 1;
        return [];
      }
    });
    for (const file of files) {
      if (/\.(ya?ml|json)$/i.test(file.path)) {
        io.stderr.write(
          `charter fmt: ${file.shown} is not a .charter file (YAML and JSON constitutions have their own formatters)\n`,
        );
        exitCode = 1;
        continue;
      }
      let text: string;
      try {
        text = readFileSync(file.path, "utf8");
      } catch {
        io.stderr.write(`charter fmt: cannot read ${file.shown}\n`);
        exitCode = 1;
        continue;
      }
      const result = formatSource(text, file.shown);
      if (result.diagnostics.length > 0) {
        io.stderr.write(renderDiagnostics(result.diagnostics, { [file.shown]: text }));
        io.stderr.write(`charter fmt: ${file.shown} has syntax errors; not formatted\n`);
        exitCode = 1;
        continue;
      }
      if (values.check === true) {
        if (result.changed) {
          io.stdout.write(`${file.shown}\n`);
          exitCode = 1;
        }
      } else if (values.write === true) {
        if (result.changed) {
          writeFileSync(file.path, result.text);
          io.stdout.write(`${relative(io.cwd, file.path) || file.shown}\n`);
        }
      } else {
        io.stdout.write(result.text);
      }
    }
    return exitCode;
  },
};
export default command;
