// What `charter check`, `compile` and `convert` share: compiling one file with its diagnostics
// rendered to stderr, writing the output, and the one FILE argument.

import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CharterError } from "../../errors.js";
import {
  CompilerWorkspace,
  renderDiagnostics,
  withChevrotainPath,
  type CompileResult,
  type CompiledConstitution,
} from "../../dsl/index.js";
import type { CliIO } from "../command.js";
import { checkInputFile, constitutionPath } from "../input-file.js";
import { usageError } from "../parse-flags.js";

/**
 * Compiles FILE (relative to the CLI's cwd), printing diagnostics to stderr as it goes. A FILE that
 * is missing or unreadable is a usage error naming `what` it was for (`--constitution`), not a
 * diagnostic of a file that does not exist.
 */
export async function compileForCli(
  given: string,
  io: CliIO,
  what = "constitution",
): Promise<CompileResult> {
  const file = constitutionPath(given, io.cwd);
  checkInputFile(what, file, io.cwd);
  // Paths stay as the user wrote them (relative to the CLI's cwd) in messages and locations.
  // A new workspace per run: a file the clean path declines makes withChevrotainPath load
  // chevrotain and compile again (clean files, the common case, never load it).
  const { workspace, result } = await withChevrotainPath(() => {
    const workspace = new CompilerWorkspace({ cwd: io.cwd });
    return { workspace, result: workspace.compile(file) };
  });
  // Code frames come from the texts that were compiled, not from a second read of the disk.
  if (result.diagnostics.length > 0) {
    io.stderr.write(renderDiagnostics(result.diagnostics, (name) => workspace.read(name)));
  }
  return result;
}

/** The constitution, or undefined after a one-line summary of why not. */
export function constitutionOrReport(
  result: CompileResult,
  file: string,
  io: CliIO,
): CompiledConstitution | undefined {
  if (result.constitution !== undefined) return result.constitution;
  const errors = result.diagnostics.filter((entry) => entry.severity === "error").length;
  io.stderr.write(`${file}: ${errors} error${errors === 1 ? "" : "s"}; nothing compiled\n`);
  return undefined;
}

/** Writes `text` to stdout, or to `out` (relative to the CLI's cwd). */
export function writeOutput(text: string, out: string | undefined, io: CliIO): void {
  if (out === undefined) {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(resolve(io.cwd, out), text);
  } catch (error) {
    throw new CharterError("write-failed", `cannot write ${out}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** The one FILE argument, or a usage error. */
export function singleFile(positionals: readonly string[], help: string): string {
  const [file, ...extra] = positionals;
  if (file === undefined || extra.length > 0) {
    throw usageError(`expected exactly one FILE`, help);
  }
  return file;
}
