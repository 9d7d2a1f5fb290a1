// Completion of import paths, in a .charter file's `import "…"` and in a YAML/JSON constitution's
// `imports` (an item, or an item's `path`): the folders and constitution files beside the document,
// one segment at a time as a path is typed, never past the project root imports may not leave.

import { readdirSync, statSync, type Dirent } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { CompletionItemKind, type CompletionItem } from "vscode-languageserver/node";
import { formatOf } from "../dsl/index.js";
import { containsOffset } from "./positions.js";
import type { FileModel, Project } from "./project.js";
import { SKIPPED_DIRECTORIES } from "./sources.js";

/** Entries looked at, per folder offered, to learn whether it holds a constitution. */
const FOLDER_SEARCH_BUDGET = 400;

/** How the client is asked to complete again once a folder is chosen (VS Code's command). */
const SUGGEST_AGAIN = { title: "Suggest", command: "editor.action.triggerSuggest" };

/**
 * In a .charter file: the path typed so far when the cursor is inside an `import "…` string on
 * its line (closed or not), else undefined.
 */
export function charterImportPathAt(text: string, offset: number): string | undefined {
  const lineStart = Math.max(
    text.lastIndexOf("\n", offset - 1),
    text.lastIndexOf("\r", offset - 1),
  );
  const match = /^\s*import\s+"([^"\\]*)$/.exec(text.slice(lineStart + 1, offset));
  return match?.[1];
}

/**
 * The folders and constitution files that can continue the path `typed` (the text before the
 * cursor at `offset`), each replacing the segment after the last `/`. A folder holds a constitution
 * somewhere below it; a file is a constitution other than the document itself and those its other
 * imports name. `../` is offered while the folder above stays inside the project root.
 */
export function importPathItems(
  project: Project,
  model: FileModel,
  typed: string,
  offset: number,
): CompletionItem[] {
  if (isAbsolute(typed) || /^[A-Za-z]:/.test(typed) || typed.includes("\\")) return [];
  const slash = typed.lastIndexOf("/");
  const segment = typed.slice(slash + 1);
  const folder = resolve(dirname(model.path), typed.slice(0, slash + 1) || ".");
  const root = project.workspace.rootOf(model.path);
  if (!inside(root, folder)) return [];
  const range = {
    start: model.lines.positionAt(offset - segment.length),
    end: model.lines.positionAt(offset),
  };
  // A first segment starts with `./`, as the language's examples write imports.
  const prefix = slash < 0 && (segment === "" || segment.startsWith(".")) ? "./" : "";
  const made = (
    label: string,
    kind: CompletionItemKind,
    order: number,
    newText = `${prefix}${label}`,
  ): CompletionItem => {
    return {
      label,
      kind,
      sortText: `${order} ${label}`,
      filterText: newText,
      textEdit: { range, newText },
      ...(kind === CompletionItemKind.Folder ? { command: SUGGEST_AGAIN } : {}),
    };
  };
  const items: CompletionItem[] = [];
  // `../` while the path so far only climbs (`""`, `./`, `../../`), not after a folder's name.
  const above = dirname(folder);
  const climbing = /^(\.\.?\/)*$/.test(typed.slice(0, slash + 1));
  if (climbing && above !== folder && inside(root, above)) {
    items.push(made("../", CompletionItemKind.Folder, 0, "../"));
  }
  const named = new Set(
    model.imports
      .filter((edge) => !containsOffset(edge.decl.path.range, offset))
      .map((edge) => edge.target),
  );
  const files: CompletionItem[] = [];
  for (const entry of entriesOf(folder)) {
    const path = join(folder, entry.name);
    if (isFolder(entry, path)) {
      if (offeredFolder(entry.name) && holdsConstitution(project, path))
        items.push(made(`${entry.name}/`, CompletionItemKind.Folder, 1));
    } else if (path !== model.path && !named.has(path) && project.isConstitutionFile(path)) {
      files.push({ ...made(entry.name, CompletionItemKind.File, 2), detail: describe(path) });
    }
  }
  return [...items, ...files];
}

function inside(root: string, path: string): boolean {
  const fromRoot = relative(root, path);
  return !fromRoot.startsWith("..") && !isAbsolute(fromRoot);
}

function entriesOf(folder: string): Dirent[] {
  try {
    return readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
  } catch {
    return [];
  }
}

/** A folder, or a link to one. */
function isFolder(entry: Dirent, path: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Hidden folders and those the workspace never searches (node_modules, dist, runs) are left out. */
function offeredFolder(name: string): boolean {
  return !name.startsWith(".") && !SKIPPED_DIRECTORIES.has(name);
}

/**
 * Whether a constitution may lie below `folder`: a bounded search, first found wins; a folder too
 * large to search within the budget is offered all the same (left out only when shown empty).
 */
function holdsConstitution(project: Project, folder: string): boolean {
  let budget = FOLDER_SEARCH_BUDGET;
  const search = (directory: string, depth: number): boolean => {
    const entries = entriesOf(directory);
    const folders: string[] = [];
    for (const entry of entries) {
      if (--budget < 0) return true;
      const path = join(directory, entry.name);
      if (isFolder(entry, path)) {
        if (offeredFolder(entry.name)) folders.push(path);
      } else if (project.isConstitutionFile(path)) {
        return true;
      }
    }
    return depth < 8 && folders.some((path) => search(path, depth + 1));
  };
  return search(folder, 0);
}

function describe(path: string): string {
  const format = formatOf(path);
  switch (format) {
    case "charter":
      return "Charter constitution";
    case "yaml":
      return "YAML constitution";
    case "json":
      return "JSON constitution";
    default: {
      const unexpected: never = format;
      return unexpected;
    }
  }
}
