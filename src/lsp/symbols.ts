// The names a constitution file defines and the places it names them again, from its AST: the
// symbol table behind definition, references, rename, hover and the outline. Resolution follows
// imports as linking does (relative paths, `only`, `as` prefixes), back to the defining file.

import type { FileAst, ImportDecl, NameNode, SourceRange } from "../dsl/index.js";
import type { FileModel, ImportEdge, Project } from "./project.js";

export type SymbolKind = "principle" | "rule" | "rubric" | "few-shot" | "template";

/** A definition: the declaration that introduces an id (an `override` is not one). */
export interface Definition {
  readonly kind: SymbolKind;
  readonly id: string;
  readonly file: string;
  /** The id as written. */
  readonly range: SourceRange;
  /** The whole declaration. */
  readonly declaration: SourceRange;
}

/** A place that names a definition made elsewhere. */
export interface Reference {
  /** `only` names any kind of piece; `override` and `drop` name principles. */
  readonly kinds: readonly SymbolKind[];
  readonly name: string;
  readonly range: SourceRange;
  readonly via: "override" | "drop" | "only";
  /** For `only`: the import whose file the name is looked up in. */
  readonly edge?: ImportEdge;
}

const ALL_KINDS: readonly SymbolKind[] = ["principle", "rule", "rubric", "few-shot", "template"];

/** The definitions a file makes itself, in source order. */
export function definitionsOf(file: string, ast: FileAst): Definition[] {
  const result: Definition[] = [];
  const add = (kind: SymbolKind, id: NameNode, declaration: SourceRange): void => {
    result.push({ kind, id: id.name, file, range: id.range, declaration });
  };
  for (const decl of ast.declarations) {
    switch (decl.kind) {
      case "principle":
        if (!decl.override) add("principle", decl.id, decl.range);
        break;
      case "rule":
      case "rubric":
      case "few-shot":
        add(decl.kind, decl.id, decl.range);
        break;
      case "template":
        add("template", decl.name, decl.range);
        break;
      default:
        break;
    }
  }
  return result;
}

/** The places a file names pieces defined in the files it imports. */
export function referencesOf(model: FileModel): Reference[] {
  const result: Reference[] = [];
  for (const decl of model.ast.declarations) {
    if (decl.kind === "principle" && decl.override) {
      result.push({
        kinds: ["principle"],
        name: decl.id.name,
        range: decl.id.range,
        via: "override",
      });
    } else if (decl.kind === "drop") {
      result.push({ kinds: ["principle"], name: decl.id.name, range: decl.id.range, via: "drop" });
    }
  }
  for (const edge of model.imports) {
    for (const name of edge.decl.only ?? []) {
      if (name.name.includes("*")) continue;
      result.push({ kinds: ALL_KINDS, name: name.name, range: name.range, via: "only", edge });
    }
  }
  return result;
}

/** Glob over dotted ids, as `only` reads them: `*` matches any run of characters. */
export function globMatches(pattern: string, id: string): boolean {
  if (!pattern.includes("*")) return pattern === id;
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(id);
}

/** The name `id` has inside the file an import reads, or undefined when the import hides it. */
export function nameThroughImport(
  decl: ImportDecl,
  id: string,
  kind: SymbolKind,
): string | undefined {
  // Templates are named by the catalog, never prefixed.
  const prefix = decl.as === undefined || kind === "template" ? "" : `${decl.as.name}.`;
  if (!id.startsWith(prefix)) return undefined;
  const inner = id.slice(prefix.length);
  if (decl.only !== undefined && !decl.only.some((pattern) => globMatches(pattern.name, inner))) {
    return undefined;
  }
  return inner;
}

/** Where `id` (of one of `kinds`) comes from as seen from `file`: its own or an imported definition. */
export function resolveDefinition(
  project: Project,
  file: string,
  id: string,
  kinds: readonly SymbolKind[],
  seen: Set<string> = new Set(),
): Definition | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  const model = project.model(file);
  if (model === undefined) return undefined;
  const own = definitionsOf(file, model.ast).find(
    (definition) => definition.id === id && kinds.includes(definition.kind),
  );
  return own ?? resolveImported(project, model, id, kinds, seen);
}

/** Where `id` comes from among the imports of `model` (not its own definitions). */
export function resolveImported(
  project: Project,
  model: FileModel,
  id: string,
  kinds: readonly SymbolKind[],
  seen: Set<string> = new Set([model.path]),
): Definition | undefined {
  for (const edge of model.imports) {
    for (const kind of kinds) {
      const inner = nameThroughImport(edge.decl, id, kind);
      if (inner === undefined) continue;
      const found = resolveDefinition(project, edge.target, inner, [kind], new Set(seen));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** What a reference points at. */
export function resolveReference(
  project: Project,
  model: FileModel,
  reference: Reference,
): Definition | undefined {
  if (reference.edge !== undefined) {
    return resolveDefinition(project, reference.edge.target, reference.name, reference.kinds);
  }
  return resolveImported(project, model, reference.name, reference.kinds);
}

export const sameDefinition = (a: Definition, b: Definition): boolean =>
  a.file === b.file && a.range.start.offset === b.range.start.offset;

/** What sits under the cursor: a definition, a reference, an import path, or nothing. */
export type SymbolAt =
  | { readonly kind: "definition"; readonly definition: Definition }
  | { readonly kind: "reference"; readonly reference: Reference; readonly definition?: Definition }
  | { readonly kind: "import"; readonly edge: ImportEdge };

const within = (range: SourceRange, offset: number): boolean =>
  range.start.offset <= offset && offset <= range.end.offset;

export function symbolAt(project: Project, model: FileModel, offset: number): SymbolAt | undefined {
  const definition = definitionsOf(model.path, model.ast).find((item) =>
    within(item.range, offset),
  );
  if (definition !== undefined) return { kind: "definition", definition };
  const reference = referencesOf(model).find((item) => within(item.range, offset));
  if (reference !== undefined) {
    const target = resolveReference(project, model, reference);
    return target === undefined
      ? { kind: "reference", reference }
      : { kind: "reference", reference, definition: target };
  }
  const edge = model.imports.find((item) => within(item.decl.path.range, offset));
  return edge === undefined ? undefined : { kind: "import", edge };
}

/** Every place in the known files that names `target`, its definition first. */
export function referencesTo(
  project: Project,
  target: Definition,
): { file: string; range: SourceRange }[] {
  const places = [{ file: target.file, range: target.range }];
  for (const path of project.knownFiles()) {
    const model = project.model(path);
    if (model === undefined) continue;
    for (const reference of referencesOf(model)) {
      const found = resolveReference(project, model, reference);
      if (found !== undefined && sameDefinition(found, target)) {
        places.push({ file: path, range: reference.range });
      }
    }
  }
  const [definition, ...uses] = places;
  uses.sort((a, b) =>
    a.file === b.file ? a.range.start.offset - b.range.start.offset : a.file < b.file ? -1 : 1,
  );
  return definition === undefined ? uses : [definition, ...uses];
}
