// Rename: a principle, rule, rubric or few-shot id at its definition and at every place in the
// workspace's files that resolves to it (`override`, `drop`, `only`; an `as` prefix stays where the
// name carries one), or an import's `as` prefix with the names that carry it (in its file and the
// files importing it). Refused, with the reason, where nothing renameable is under the cursor, the
// new name is not an id, or the edit would change what a constitution means: the edited files are
// compiled before answering, and a new error (a clash with an existing id, a name an `only` no
// longer takes) refuses it.

import { relative } from "node:path";
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver/node";
import {
  CompilerWorkspace,
  WorkspaceHost,
  type Diagnostic,
  type Exports,
  type SourceRange,
} from "../dsl/index.js";
import type { FileModel, ImportEdge, Project } from "./project.js";
import { pathToUri } from "./sources.js";
import {
  nameThroughImport,
  referencesTo,
  resolveDefinition,
  symbolAt,
  type Definition,
} from "./symbols.js";

/** What a rename at the cursor changes. */
type RenameTarget =
  | {
      readonly kind: "id";
      readonly definition: Definition;
      /** The name under the cursor, as this file writes it (with an `as` prefix, if any). */
      readonly written: string;
      readonly range: SourceRange;
    }
  | { readonly kind: "alias"; readonly edge: ImportEdge; readonly range: SourceRange };

/** One place to rewrite: `range` in `file` becomes `text`. */
interface Replacement {
  readonly file: string;
  readonly range: SourceRange;
  readonly text: string;
}

const ID = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/;

const within = (range: SourceRange, offset: number): boolean =>
  range.start.offset <= offset && offset <= range.end.offset;

const refuse = (message: string): ResponseError<void> =>
  new ResponseError(ErrorCodes.InvalidRequest, message);

/** What is renamed from `offset`, or an error saying why nothing is. */
function targetAt(project: Project, model: FileModel, offset: number): RenameTarget {
  const alias = model.imports.find(
    (edge) => edge.decl.as !== undefined && within(edge.decl.as.range, offset),
  );
  if (alias?.decl.as !== undefined)
    return { kind: "alias", edge: alias, range: alias.decl.as.range };
  const symbol = symbolAt(project, model, offset);
  if (symbol === undefined) {
    throw refuse(
      "nothing to rename here: put the cursor on a principle, rule, rubric or few-shot id",
    );
  }
  if (symbol.kind === "import") {
    throw refuse("an import path is not renamed: move the file and edit the path");
  }
  const definition = symbol.definition;
  if (definition === undefined) {
    const name = symbol.kind === "reference" ? symbol.reference.name : "";
    throw refuse(
      `\`${name}\` is not defined in the files this one imports, so it cannot be renamed`,
    );
  }
  if (!project.inFolders(definition.file)) {
    const where = relative(project.cwd, definition.file) || definition.file;
    throw refuse(
      `\`${definition.id}\` is defined in ${where}, outside the workspace's folders; rename it there`,
    );
  }
  if (definition.kind === "template") {
    throw refuse(
      `\`${definition.id}\` is a template name from Charter's catalog; it cannot be renamed`,
    );
  }
  return symbol.kind === "reference"
    ? { kind: "id", definition, written: symbol.reference.name, range: symbol.reference.range }
    : { kind: "id", definition, written: definition.id, range: definition.range };
}

export function prepareRenameAt(
  project: Project,
  model: FileModel,
  offset: number,
): { range: Range; placeholder: string } {
  const target = targetAt(project, model, offset);
  const placeholder = target.kind === "alias" ? (target.edge.decl.as?.name ?? "") : target.written;
  return { range: model.lines.range(target.range), placeholder };
}

export function renameAt(
  project: Project,
  model: FileModel,
  offset: number,
  newName: string,
): WorkspaceEdit {
  const target = targetAt(project, model, offset);
  const replacements =
    target.kind === "alias"
      ? aliasReplacements(project, model, target.edge, newName)
      : idReplacements(project, target, newName);
  const texts = editedTexts(project, replacements);
  const problem = breakage(project, texts, newName);
  if (problem !== undefined) throw new ResponseError(LSPErrorCodes.RequestFailed, problem);
  const changes: Record<string, TextEdit[]> = {};
  for (const item of replacements) {
    const file = project.model(item.file);
    if (file === undefined) continue;
    (changes[pathToUri(item.file)] ??= []).push({
      range: file.lines.range(item.range),
      newText: item.text,
    });
  }
  return { changes };
}

/** The id's definition and every place resolving to it, each keeping its prefix and quotes. */
function idReplacements(
  project: Project,
  target: Extract<RenameTarget, { kind: "id" }>,
  newName: string,
): Replacement[] {
  const { definition, written } = target;
  // The name typed is what the cursor's spelling becomes; strip the prefix it carries here.
  const prefix = written.slice(0, written.length - definition.id.length);
  const id = newName.startsWith(prefix) ? newName.slice(prefix.length) : newName;
  if (!ID.test(id)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `\`${newName}\` is not a valid ${definition.kind} id (names of letters, digits, \`_\` and \`-\`, joined by dots)`,
    );
  }
  const result: Replacement[] = [];
  for (const place of referencesTo(project, definition)) {
    const file = project.model(place.file);
    if (file === undefined) continue;
    const old = file.text.slice(place.range.start.offset, place.range.end.offset);
    const unquoted = old.replace(/^["']|["']$/g, "");
    // `lib.harm.general` through `as lib` keeps `lib.`; quoted YAML/JSON ids keep their quotes.
    const kept = unquoted.slice(0, unquoted.length - definition.id.length);
    const quote = old.length !== unquoted.length ? (old[0] ?? "") : "";
    result.push({ file: place.file, range: place.range, text: `${quote}${kept}${id}${quote}` });
  }
  return result;
}

/**
 * An import's `as` prefix, and every name that carries it: in its file and in the files importing
 * that file (transitively), in `override`, `drop` and `only`, each rewritten at the segment the
 * prefix makes (`lib.p.one` -> `base.p.one`, `m.lib.p.one` -> `m.base.p.one`).
 */
function aliasReplacements(
  project: Project,
  model: FileModel,
  edge: ImportEdge,
  newName: string,
): Replacement[] {
  const alias = edge.decl.as;
  if (alias === undefined) return [];
  if (!ID.test(newName)) {
    throw new ResponseError(
      ErrorCodes.InvalidParams,
      `\`${newName}\` is not a valid \`as\` prefix (names of letters, digits, \`_\` and \`-\`, joined by dots)`,
    );
  }
  const result: Replacement[] = [
    { file: model.path, range: alias.range, text: requote(model.text, alias.range, newName) },
  ];
  const exports = project.exports(edge.target);
  if (exports === undefined) return result;
  const reach = new Set([model.path, ...dependentsOf(project, model.path)]);
  const done = new Set<string>();
  const kinds = [
    ["principle", exports.principles],
    ["rule", exports.rules],
    ["rubric", exports.rubrics],
    ["few-shot", exports.fewShots],
  ] as const;
  for (const [kind, pieces] of kinds) {
    for (const inner of pieces.keys()) {
      if (nameThroughImport(edge.decl, `${alias.name}.${inner}`, kind) === undefined) continue;
      const definition = resolveDefinition(project, edge.target, inner, [kind]);
      if (definition === undefined) continue;
      const carried = `${alias.name}.${inner}`;
      for (const place of referencesTo(project, definition)) {
        const file = project.model(place.file);
        const key = `${place.file}:${place.range.start.offset}`;
        if (file === undefined || !reach.has(place.file) || done.has(key)) continue;
        const written = file.text
          .slice(place.range.start.offset, place.range.end.offset)
          .replace(/^["']|["']$/g, "");
        const outer = written.slice(0, written.length - carried.length);
        if (!written.endsWith(carried) || (outer !== "" && !outer.endsWith("."))) continue;
        done.add(key);
        const renamed = `${outer}${newName}.${inner}`;
        result.push({
          file: place.file,
          range: place.range,
          text: requote(file.text, place.range, renamed),
        });
      }
    }
  }
  return result;
}

/** `text` in place of what `range` holds, in the quotes that held it (YAML/JSON), if any. */
function requote(source: string, range: SourceRange, text: string): string {
  const old = source.slice(range.start.offset, range.end.offset);
  return /^["']/.test(old) ? `${old[0] ?? ""}${text}${old[0] ?? ""}` : text;
}

/** The known files importing `path`, directly or through others. */
function dependentsOf(project: Project, path: string): string[] {
  const importers = project.importers(project.knownFiles());
  const found = new Set<string>();
  const pending = [path];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    for (const above of importers.get(next) ?? []) {
      if (!found.has(above)) {
        found.add(above);
        pending.push(above);
      }
    }
  }
  return [...found];
}

/** The text of each file a rename touches, after it. */
function editedTexts(project: Project, replacements: readonly Replacement[]): Map<string, string> {
  const byFile = new Map<string, Replacement[]>();
  for (const item of replacements) {
    const list = byFile.get(item.file) ?? [];
    list.push(item);
    byFile.set(item.file, list);
  }
  const texts = new Map<string, string>();
  for (const [file, items] of byFile) {
    let text = project.model(file)?.text ?? "";
    for (const item of [...items].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
      text = `${text.slice(0, item.range.start.offset)}${item.text}${text.slice(item.range.end.offset)}`;
    }
    texts.set(file, text);
  }
  return texts;
}

/**
 * Why the edited texts would change what a constitution means, or undefined: every entry above an
 * edited file is compiled with them (in a scratch workspace over the editor's texts) and compared
 * with its compilation now. A kind of error it did not have, or fewer pieces than it had, refuses.
 */
function breakage(
  project: Project,
  texts: ReadonlyMap<string, string>,
  newName: string,
): string | undefined {
  const disk = WorkspaceHost.disk(project.cwd);
  const scratch = new CompilerWorkspace({
    cwd: project.cwd,
    host: {
      readFile: (path) => texts.get(path) ?? project.workspace.read(path),
      isProjectRoot: (directory) => disk.isProjectRoot(directory),
    },
  });
  const show = (path: string): string => relative(project.cwd, path) || path;
  for (const root of entriesAbove(project, [...texts.keys()])) {
    const before = project.compile(root).diagnostics.filter((entry) => entry.severity === "error");
    const after = scratch.compile(root).diagnostics.filter((entry) => entry.severity === "error");
    const count = (list: readonly Diagnostic[], code: string): number =>
      list.filter((entry) => entry.code === code).length;
    const known = new Set(before.map((entry) => `${entry.code} ${entry.message}`));
    const fresh = after.find(
      (entry) =>
        count(after, entry.code) > count(before, entry.code) &&
        !known.has(`${entry.code} ${entry.message}`),
    );
    if (fresh !== undefined) {
      const { file, start } = fresh.range;
      return `renaming to \`${newName}\` would give ${show(file)}:${start.line}:${start.column}: ${fresh.message} (${fresh.code})`;
    }
    const lost = lostPieces(project.exports(root), scratch.exports(root));
    if (lost !== undefined) {
      return `renaming to \`${newName}\` would take a ${lost} out of \`${show(root)}\` (an import's \`only\` would no longer match it)`;
    }
  }
  return undefined;
}

/** The kind of piece `after` has fewer of than `before`. */
function lostPieces(before: Exports | undefined, after: Exports | undefined): string | undefined {
  if (before === undefined || after === undefined) return undefined;
  if (after.principles.size < before.principles.size) return "principle";
  if (after.rules.size < before.rules.size) return "rule";
  if (after.rubrics.size < before.rubrics.size) return "rubric";
  if (after.fewShots.size < before.fewShots.size) return "few-shot set";
  return undefined;
}

/** The known files nothing imports whose imports reach one of `files` (or that are one). */
function entriesAbove(project: Project, files: readonly string[]): string[] {
  const importers = project.importers(project.knownFiles());
  const roots = new Set<string>();
  const seen = new Set<string>();
  const pending = [...files];
  for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
    if (seen.has(path)) continue;
    seen.add(path);
    const above = importers.get(path) ?? [];
    if (above.length === 0) roots.add(path);
    pending.push(...above);
  }
  return [...roots].sort();
}
