// Go to definition, find references and rename: import paths lead to their file; principle ids in
// `override`/`drop`, and ids in an import's `only`, lead to the definition they resolve to through
// the imports; rename rewrites a principle's id at its definition and at every place in the
// workspace's files that resolves to it (keeping an `as` prefix where the name carries one).

import type { Location, Range, TextEdit, WorkspaceEdit } from "vscode-languageserver/node";
import { ResponseError, ErrorCodes } from "vscode-languageserver/node";
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

/** The range of the principle id that would be renamed, or an error saying why not. */
export function prepareRenameAt(
  project: Project,
  model: FileModel,
  offset: number,
): { range: Range; placeholder: string } {
  const target = targetAt(project, model, offset);
  if (target === undefined || target.kind !== "principle") {
    throw new ResponseError(ErrorCodes.InvalidRequest, "only a principle id can be renamed");
  }
  const symbol = symbolAt(project, model, offset);
  const range =
    symbol?.kind === "reference"
      ? symbol.reference.range
      : symbol?.kind === "definition"
        ? symbol.definition.range
        : target.range;
  const text = model.text.slice(range.start.offset, range.end.offset);
  return { range: model.lines.range(range), placeholder: text };
}

const ID = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

export function renameAt(
  project: Project,
  model: FileModel,
  offset: number,
  newName: string,
): WorkspaceEdit {
  const target = targetAt(project, model, offset);
  if (target === undefined || target.kind !== "principle") {
    throw new ResponseError(ErrorCodes.InvalidRequest, "only a principle id can be renamed");
  }
  // The name typed is what the cursor's spelling becomes; strip the prefix it carries here.
  const symbol = symbolAt(project, model, offset);
  const written = symbol?.kind === "reference" ? symbol.reference.name : target.id;
  const prefix = written.slice(0, written.length - target.id.length);
  const id = newName.startsWith(prefix) ? newName.slice(prefix.length) : newName;
  if (!ID.test(id)) {
    throw new ResponseError(ErrorCodes.InvalidParams, `\`${newName}\` is not a valid principle id`);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const place of referencesTo(project, target)) {
    const file = project.model(place.file);
    if (file === undefined) continue;
    const old = file.text.slice(place.range.start.offset, place.range.end.offset);
    const unquoted = old.replace(/^["']|["']$/g, "");
    // `lib.harm.general` through `as lib` keeps `lib.`; quoted YAML/JSON ids keep their quotes.
    const kept = unquoted.slice(0, unquoted.length - target.id.length);
    const quote = old.length !== unquoted.length ? (old[0] ?? "") : "";
    const edits = (changes[pathToUri(place.file)] ??= []);
    edits.push({ range: file.lines.range(place.range), newText: `${quote}${kept}${id}${quote}` });
  }
  return { changes };
}
