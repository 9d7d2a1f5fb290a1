// Import paths kept true when files move: before the editor renames or moves constitution files or
// folders (`workspace/willRenameFiles`), the import paths that name a moved file, and those of a
// moved file that name files staying behind, are rewritten for the new places, in .charter, YAML
// and JSON, each keeping its style (`./`, quotes).

import { dirname, isAbsolute, relative, sep } from "node:path";
import type { TextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import { importPathSpan, type ImportEdge, type Project } from "./project.js";
import { pathToUri } from "./sources.js";

export interface Move {
  readonly from: string;
  readonly to: string;
}

/** The edits that keep every import in the workspace pointing at the same file after `moves`. */
export function importEditsForMoves(
  project: Project,
  moves: readonly Move[],
): WorkspaceEdit | null {
  const where = (path: string): string => movedPath(path, moves);
  const changes: Record<string, TextEdit[]> = {};
  for (const path of project.knownFiles()) {
    const model = project.model(path);
    if (model === undefined) continue;
    const home = where(path);
    const edits: TextEdit[] = [];
    for (const edge of model.imports) {
      const target = where(edge.target);
      if (home === path && target === edge.target) continue;
      const spec = newSpec(edge, home, target);
      if (spec === edge.decl.path.value) continue;
      edits.push(pathEdit(model.text, edge, spec, (offset) => model.lines.positionAt(offset)));
    }
    // Edits apply before the move, to the file where it still is.
    if (edits.length > 0) changes[pathToUri(path)] = edits;
  }
  return Object.keys(changes).length === 0 ? null : { changes };
}

/** Where `path` is after the moves: itself, a moved file, or inside a moved folder. */
function movedPath(path: string, moves: readonly Move[]): string {
  for (const move of moves) {
    if (path === move.from) return move.to;
    const inside = relative(move.from, path);
    if (inside !== "" && !inside.startsWith("..") && !isAbsolute(inside)) {
      return `${move.to}${sep}${inside}`;
    }
  }
  return path;
}

/** The path from `home` to `target`, written as the import wrote its old one (`./` or bare). */
function newSpec(edge: ImportEdge, home: string, target: string): string {
  const path = relative(dirname(home), target).split(sep).join("/");
  if (path.startsWith("../")) return path;
  return edge.decl.path.value.startsWith("./") ? `./${path}` : path;
}

/** The edit writing `spec` in place of an import's path, inside its quotes or quoted as needed. */
function pathEdit(
  text: string,
  edge: ImportEdge,
  spec: string,
  positionAt: (offset: number) => TextEdit["range"]["start"],
): TextEdit {
  const { start, end, quote } = importPathSpan(text, edge);
  let newText: string;
  if (quote !== undefined) {
    newText = quote === '"' ? JSON.stringify(spec).slice(1, -1) : spec.replace(/'/g, "''");
  } else {
    // A plain YAML scalar stays plain while the path needs no quotes.
    newText =
      /^[\w.~/-][\w.~/ -]*$/.test(spec) && !spec.endsWith(" ") ? spec : JSON.stringify(spec);
  }
  return { range: { start: positionAt(start), end: positionAt(end) }, newText };
}
