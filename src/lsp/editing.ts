// Formatting (the formatter `charter fmt` runs, from the workspace's one parse) and the outline
// (document symbols); quick fixes are in code-actions.ts.

import { SymbolKind, type DocumentSymbol, type TextEdit } from "vscode-languageserver/node";
import type { Declaration } from "../dsl/index.js";
import type { FileModel, Project } from "./project.js";

/** The whole document replaced by its formatted text; nothing when it is formatted or broken. */
export function formatEdits(project: Project, model: FileModel): TextEdit[] {
  const result = project.workspace.format(model.path);
  if (result === undefined || !result.changed || result.diagnostics.length > 0) return [];
  return [
    {
      range: { start: model.lines.positionAt(0), end: model.lines.positionAt(model.text.length) },
      newText: result.text,
    },
  ];
}

/** The outline: each declaration, principles with their example blocks. */
export function documentSymbols(model: FileModel): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const decl of model.ast.declarations) {
    const described = declarationSymbol(decl);
    if (described === undefined) continue;
    const range = model.lines.range(decl.range);
    symbols.push({
      name: described.name,
      ...(described.detail !== undefined ? { detail: described.detail } : {}),
      kind: described.kind,
      range,
      selectionRange:
        described.selection === undefined ? range : model.lines.range(described.selection),
    });
  }
  return symbols;
}

/** How a declaration shows in the outline (and, for those that define a name, workspace symbols). */
export function declarationSymbol(
  decl: Declaration,
):
  | { name: string; detail?: string; kind: SymbolKind; selection?: Declaration["range"] }
  | undefined {
  switch (decl.kind) {
    case "header":
      return {
        name: decl.name.value,
        detail: `version ${decl.version.value}`,
        kind: SymbolKind.Package,
      };
    case "about":
      return undefined;
    case "import":
      return {
        name: decl.path.value,
        detail: "import",
        kind: SymbolKind.Module,
        selection: decl.path.range,
      };
    case "defaults":
      return { name: "defaults", kind: SymbolKind.Object };
    case "principle":
      return {
        name: decl.id.name,
        detail: decl.override ? "override principle" : "principle",
        kind: SymbolKind.Class,
        selection: decl.id.range,
      };
    case "drop":
      return {
        name: decl.id.name,
        detail: "drop principle",
        kind: SymbolKind.Null,
        selection: decl.id.range,
      };
    case "rule":
      return {
        name: decl.id.name,
        detail: "rule",
        kind: SymbolKind.Function,
        selection: decl.id.range,
      };
    case "rubric":
      return {
        name: decl.id.name,
        detail: "rubric",
        kind: SymbolKind.Struct,
        selection: decl.id.range,
      };
    case "template":
      return {
        name: decl.name.name,
        detail: "template",
        kind: SymbolKind.String,
        selection: decl.name.range,
      };
    case "few-shot":
      return {
        name: decl.id.name,
        detail: "few-shot",
        kind: SymbolKind.Array,
        selection: decl.id.range,
      };
  }
}
