// `charter check FILE...`: compiles each constitution and reports every problem found.

import {
  summarizeDiagnostics,
  type CompiledConstitution,
  type Diagnostic,
} from "../../dsl/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine, usageError } from "../parse-flags.js";
import { compileForCli } from "./compile-shared.js";

const HELP = `usage: charter check FILE...

Checks constitutions (.charter, .yaml, .yml, .json) and their imports. Problems are printed to
stderr with file:line:col, a code frame and what was expected; then a one-line summary.

A constitution one phase cannot use (no principle with both critique and revise for Phase 1,
no compare question or pair rule for Phase 2) is noted, so it is known before a run.

Exit code: 0 when there are no errors (warnings may print), 1 when any file has an error,
2 for a usage error.
`;

/** Notes for a phase that could do nothing with the constitution (same tests as the runs). */
function phaseNotes(file: string, constitution: CompiledConstitution): string {
  const notes: string[] = [];
  if (!constitution.principles.some((p) => p.critique !== undefined && p.revise !== undefined))
    notes.push(
      `${file}: note: Phase 1 (charter revise) cannot use it: no principle has both \`critique\` and \`revise\``,
    );
  const compares = constitution.principles.some((principle) => principle.compare.length > 0);
  if (!compares && !constitution.rules.some((rule) => rule.stage === "pair"))
    notes.push(
      `${file}: note: Phase 2 (charter judge) cannot use it: no principle has a \`compare\` question and no rule acts \`on pair\``,
    );
  return notes.map((note) => `${note}\n`).join("");
}

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
      if (result.constitution !== undefined) io.stderr.write(phaseNotes(file, result.constitution));
    }
    const failed = all.some((entry) => entry.severity === "error");
    const files = `${positionals.length} file${positionals.length === 1 ? "" : "s"}`;
    io.stderr.write(`${failed ? "✗" : "✓"} ${files} checked: ${summarizeDiagnostics(all)}\n`);
    return failed ? 1 : 0;
  },
};
export default command;
