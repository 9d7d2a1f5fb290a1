// Compiling one constitution in one call: a workspace of its own, the entry given as text, its
// imports read from disk (or `readFile`). The stages themselves are the workspace's states.

import type { SourceFormat } from "./ast.js";
import { withChevrotainPath } from "./syntax/chevrotain-slot.js";
import { CompilerWorkspace } from "./workspace.js";
import { formatOf, WorkspaceHost, type CompileResult } from "./workspace-host.js";

export { formatOf, type CompileResult };

export interface CompileOptions {
  /** Path of the source, as shown in diagnostics and locations; imports resolve from it. */
  readonly filename: string;
  /** Defaults to the file extension: .yaml/.yml, .json, anything else .charter. */
  readonly format?: SourceFormat;
  /** Reads an imported file; undefined when it does not exist. Defaults to the real disk. */
  readonly readFile?: (path: string) => string | undefined;
  /**
   * Imports may not leave this directory. Defaults to the nearest directory above the entry
   * file holding package.json or .git (with an injected readFile: package.json), else the entry's
   * own directory.
   */
  readonly root?: string;
  /** Base of relative paths (the default disk reader and root search). Defaults to process.cwd(). */
  readonly cwd?: string;
}

function workspaceFor(options: Omit<CompileOptions, "filename" | "format">): CompilerWorkspace {
  const cwd = options.cwd ?? process.cwd();
  return new CompilerWorkspace({
    cwd,
    ...(options.readFile !== undefined ? { host: WorkspaceHost.reader(options.readFile) } : {}),
    ...(options.root !== undefined ? { root: options.root } : {}),
  });
}

/**
 * Compiles a constitution from text. Diagnostics are data; the constitution is absent when any
 * diagnostic is an error.
 *
 * @example
 * const { constitution, diagnostics } = compileSource(text, { filename: "harmless.charter" });
 */
export function compileSource(text: string, options: CompileOptions): CompileResult {
  const workspace = workspaceFor(options);
  workspace.update(options.filename, text, options.format ?? formatOf(options.filename));
  return workspace.compile(options.filename);
}

/** Reads `path` from disk (or `options.readFile`) and compiles it. */
export async function compileFile(
  path: string,
  options: Omit<CompileOptions, "filename"> = {},
): Promise<CompileResult> {
  // Outside the library's front door (the `charter` command) chevrotain loads only for a file the
  // clean path declines: then the compile runs again, in a new workspace.
  return withChevrotainPath(() => {
    const workspace = workspaceFor(options);
    const text = options.format === undefined ? undefined : workspace.read(path);
    if (text !== undefined && options.format !== undefined)
      workspace.update(path, text, options.format);
    return workspace.compile(path);
  });
}
