// Go to definition and find references: import paths lead to their file (and their references are
// the imports naming that file across the workspace); principle ids in
// `override`/`drop`, and ids in an import's `only`, lead to the definition they resolve to through
// the imports (rename, which reads the same table, is in rename.ts). A `{{variable}}` or a function
// is built into Charter: it has no definition in the workspace (its hover is its documentation),
// and its references are its uses in the workspace's files.

import type { Location } from "vscode-languageserver/node";
import { importPathSpan, type FileModel, type Project } from "./project.js";
import { rangeFromLines } from "./positions.js";
import { pathToUri } from "./sources.js";
import { referencesTo, symbolAt, type Definition } from "./symbols.js";
import { builtinAt, builtinUses } from "./syntax-walk.js";
import type { SourceRange } from "../dsl/index.js";

const START = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function location(project: Project, file: string, range: SourceRange): Location {
  const model = project.model(file);
  return {
    uri: pathToUri(file),
    range: model === undefined ? rangeFromLines(range) : model.lines.range(range),
  };
}

export function definitionAt(
  project: Project,
  model: FileModel,
  offset: number,
): Location | undefined {
  const symbol = symbolAt(project, model, offset);
  if (symbol === undefined) return undefined;
  if (symbol.kind === "import") {
    return project.model(symbol.edge.target) === undefined
      ? undefined
      : { uri: pathToUri(symbol.edge.target), range: START };
  }
  const definition = symbol.definition;
  return definition === undefined
    ? undefined
    : location(project, definition.file, definition.range);
}

/** The definition under the cursor, directly or through a reference. */
function targetAt(project: Project, model: FileModel, offset: number): Definition | undefined {
  const symbol = symbolAt(project, model, offset);
  return symbol === undefined || symbol.kind === "import" ? undefined : symbol.definition;
}

export function referencesAt(
  project: Project,
  model: FileModel,
  offset: number,
  includeDeclaration: boolean,
): Location[] {
  const symbol = symbolAt(project, model, offset);
  if (symbol?.kind === "import") {
    return importReferences(project, symbol.edge.target, includeDeclaration);
  }
  const target = targetAt(project, model, offset);
  if (target === undefined) return builtinReferences(project, model, offset);
  const places = referencesTo(project, target);
  return (includeDeclaration ? places : places.slice(1)).map((item) =>
    location(project, item.file, item.range),
  );
}

/** Every import naming `target` in the known files (the files that import it), the file first. */
function importReferences(
  project: Project,
  target: string,
  includeDeclaration: boolean,
): Location[] {
  const found: Location[] = [];
  for (const path of project.knownFiles()) {
    const model = project.model(path);
    for (const edge of model?.imports ?? []) {
      if (model === undefined || edge.target !== target) continue;
      const { start, end } = importPathSpan(model.text, edge);
      found.push({
        uri: pathToUri(path),
        range: { start: model.lines.positionAt(start), end: model.lines.positionAt(end) },
      });
    }
  }
  found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
  const exists = project.model(target) !== undefined;
  return includeDeclaration && exists
    ? [{ uri: pathToUri(target), range: START }, ...found]
    : found;
}

/** The uses of the `{{variable}}` or function under the cursor, in every known file. */
function builtinReferences(project: Project, model: FileModel, offset: number): Location[] {
  const builtin = builtinAt(model.ast, model.text, offset);
  if (builtin === undefined) return [];
  const found: Location[] = [];
  for (const path of project.knownFiles()) {
    const file = project.model(path);
    if (file === undefined) continue;
    const uses = [...builtinUses(file.ast, file.text)]
      .filter((use) => use.kind === builtin.kind && use.name === builtin.name)
      .sort((a, b) => a.start - b.start);
    for (const use of uses) {
      found.push({
        uri: pathToUri(path),
        range: { start: file.lines.positionAt(use.start), end: file.lines.positionAt(use.end) },
      });
    }
  }
  return found.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
}
