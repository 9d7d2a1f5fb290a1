// Where the compiler workspace reads documents it was not given, and where a project's root is:
// the disk by default, or a reader the caller injects (tests, the CLI's import check).

import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import type { SourceFormat } from "./ast.js";
import type { CompiledConstitution } from "../constitution/compiled.js";
import type { Diagnostic } from "./diagnostics.js";

export interface CompileResult {
  /** Present only when there are no errors. */
  readonly constitution?: CompiledConstitution;
  /** Errors and warnings of every file involved, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
}

/** Reads source files for the workspace. */
export interface WorkspaceHost {
  /** A file's text; undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** Whether `directory` (absolute) is a project root: imports may not leave it. */
  isProjectRoot(directory: string): boolean;
}

function readFromDisk(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

export const WorkspaceHost = {
  /** The disk, relative paths from `cwd`; a root holds package.json or .git. */
  disk(cwd: string): WorkspaceHost {
    return {
      readFile: (path) => readFromDisk(resolve(cwd, path)),
      isProjectRoot: (directory) =>
        existsSync(join(directory, "package.json")) || existsSync(join(directory, ".git")),
    };
  },
  /** An injected reader; a root is a directory whose package.json it can read. */
  reader(readFile: (path: string) => string | undefined): WorkspaceHost {
    return {
      readFile,
      isProjectRoot: (directory) => readFile(join(directory, "package.json")) !== undefined,
    };
  },
};

/** The format a file name implies. */
export function formatOf(filename: string): SourceFormat {
  const extension = extname(filename).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") return "yaml";
  if (extension === ".json") return "json";
  return "charter";
}

/**
 * The directory imports of `filename` may not leave: the nearest one above it that is a project
 * root, else the file's own directory. Absolute, resolved from `cwd`.
 */
export function findRoot(filename: string, host: WorkspaceHost, cwd: string): string {
  const start = dirname(resolve(cwd, filename));
  let directory = start;
  for (;;) {
    if (host.isProjectRoot(directory)) return directory;
    const parent = dirname(directory);
    if (parent === directory) return start;
    directory = parent;
  }
}
