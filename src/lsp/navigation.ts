// Go to definition and find references: import paths lead to their file; principle ids in
// `override`/`drop`, and ids in an import's `only`, lead to the definition they resolve to through
// the imports (rename, which reads the same table, is in rename.ts).

import type { Location } from "vscode-languageserver/node";
import type { FileModel, Project } from "./project.js";
import { rangeFromLines } from "./positions.js";
import { pathToUri } from "./sources.js";
import { referencesTo, symbolAt, type Definition } from "./symbols.js";
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
  const target = targetAt(project, model, offset);
  if (target === undefined) return [];
  const places = referencesTo(project, target);
  return (includeDeclaration ? places : places.slice(1)).map((item) =>
    location(project, item.file, item.range),
  );
}
