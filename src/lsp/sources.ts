// Files and names at the protocol's edge: the server works with absolute file-system paths, LSP
// with URIs; and where the workspace's constitutions are.

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const uriToPath = (uri: string): string => fileURLToPath(uri);
export const pathToUri = (path: string): string => pathToFileURL(path).href;

/** Directories never searched for constitutions. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  "node_modules",
  ".git",
  "dist",
  ".charter",
  "runs",
]);

/** Extensions of files that may be constitutions (YAML and JSON ones are confirmed by their text). */
export const CANDIDATE = /\.(charter|ya?ml|json)$/;

/**
 * Every file under the given folders that may be a constitution (`.charter`, `.yaml`, `.yml`,
 * `.json`), sorted.
 */
export function candidateFilesUnder(folders: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (directory: string, depth: number): void => {
    if (depth > 12) return;
    let entries;
    try {
      entries = readdirSync(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(join(directory, entry.name), depth + 1);
      } else if (entry.isFile() && CANDIDATE.test(entry.name)) {
        found.push(join(directory, entry.name));
      }
    }
  };
  for (const folder of folders) walk(folder, 0);
  return found.sort();
}
