// Workspace symbols (VS Code's "Go to Symbol in Workspace"): the constitutions, principles, rules,
// rubrics, templates and few-shot sets defined in the workspace's files, found by a query typed as
// a loose abbreviation of the id (its characters in order, any case), as editors filter them.

import type { SymbolInformation } from "vscode-languageserver/node";
import { definitionsOf } from "./symbols.js";
import { declarationSymbol } from "./editing.js";
import type { Project } from "./project.js";
import { pathToUri } from "./sources.js";

/** At most this many symbols are answered (a query narrows them). */
const MAX_SYMBOLS = 1000;

export function workspaceSymbols(project: Project, query: string): SymbolInformation[] {
  const found: SymbolInformation[] = [];
  const wanted = query.toLowerCase().replace(/\s+/g, "");
  for (const path of project.knownFiles()) {
    const model = project.model(path);
    if (model === undefined) continue;
    const defined = new Set(definitionsOf(path, model.ast).map((entry) => entry.declaration));
    const container = project.displayPath(path);
    for (const decl of model.ast.declarations) {
      // Definitions and the header; an `override`, a `drop` or an import names what is elsewhere.
      if (decl.kind !== "header" && !defined.has(decl.range)) continue;
      const symbol = declarationSymbol(decl);
      if (symbol === undefined || !abbreviates(wanted, symbol.name.toLowerCase())) continue;
      found.push({
        name: symbol.name,
        kind: symbol.kind,
        location: {
          uri: pathToUri(path),
          range: model.lines.range(symbol.selection ?? decl.range),
        },
        containerName: `${decl.kind === "header" ? "constitution" : decl.kind} in ${container}`,
      });
      if (found.length >= MAX_SYMBOLS) return found;
    }
  }
  return found;
}

/** Whether the characters of `query` appear in `name` in order. */
function abbreviates(query: string, name: string): boolean {
  let at = 0;
  for (const character of query) {
    at = name.indexOf(character, at) + 1;
    if (at === 0) return false;
  }
  return true;
}
