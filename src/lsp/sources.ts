// Where the server reads a file's text: the editor's unsaved text for open documents wins over the
// disk; files on disk are read once per modification time. Paths are absolute file-system paths;
// URIs exist only at the protocol's edge.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TextDocument } from "vscode-languageserver-textdocument";

export const uriToPath = (uri: string): string => fileURLToPath(uri);
export const pathToUri = (path: string): string => pathToFileURL(path).href;

/** A file's text and a stamp that changes whenever the text may have changed. */
export interface SourceText {
  readonly text: string;
  /** `open:VERSION` for editor documents, `disk:MTIME` for files read from disk. */
  readonly stamp: string;
  /** The editor's document version, for open documents. */
  readonly version?: number;
}

/** Directories never searched for constitutions. */
const SKIPPED_DIRECTORIES = new Set(["node_modules", ".git", "dist", ".charter", "runs"]);

export class SourceStore {
  private readonly open = new Map<string, TextDocument>();
  private readonly disk = new Map<string, { mtime: number; text: string }>();

  setOpen(document: TextDocument): void {
    this.open.set(uriToPath(document.uri), document);
  }

  close(uri: string): void {
    this.open.delete(uriToPath(uri));
  }

  isOpen(path: string): boolean {
    return this.open.has(path);
  }

  openPaths(): string[] {
    return [...this.open.keys()];
  }

  document(path: string): TextDocument | undefined {
    return this.open.get(path);
  }

  /** The text of `path`: the open document's, else the disk's; undefined when neither exists. */
  read(path: string): SourceText | undefined {
    const document = this.open.get(path);
    if (document !== undefined) {
      return {
        text: document.getText(),
        stamp: `open:${document.version}`,
        version: document.version,
      };
    }
    let mtime: number;
    try {
      const stat = statSync(path);
      if (!stat.isFile()) return undefined;
      mtime = stat.mtimeMs;
    } catch {
      return undefined;
    }
    const cached = this.disk.get(path);
    if (cached !== undefined && cached.mtime === mtime) {
      return { text: cached.text, stamp: `disk:${mtime}` };
    }
    try {
      const text = readFileSync(path, "utf8");
      this.disk.set(path, { mtime, text });
      return { text, stamp: `disk:${mtime}` };
    } catch {
      return undefined;
    }
  }

  /** Forgets what was read from disk for `path` (the client reported a change). */
  forget(path: string): void {
    this.disk.delete(path);
  }
}

/** Every `.charter` file under the given folders, sorted (the workspace's constitutions). */
export function charterFilesUnder(folders: readonly string[]): string[] {
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
      } else if (entry.isFile() && entry.name.endsWith(".charter")) {
        found.push(join(directory, entry.name));
      }
    }
  };
  for (const folder of folders) walk(folder, 0);
  return found.sort();
}
