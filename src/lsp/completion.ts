// Completion in .charter files: the keywords the grammar allows at the cursor (chevrotain's content
// assist over the tokens before it), and in their places import paths (import-paths.ts), principle
// ids (`override`/`drop`), the
// ids an import's `only` can take, stages after `on`, template names, `{{variables}}` inside a
// template, fields and functions in expressions, and `defaults` keys. The lists of ids, stages,
// names and variables are shared with the YAML/JSON completion (document-completion.ts).

import { CompletionItemKind, type CompletionItem } from "vscode-languageserver/node";
import type { IToken } from "chevrotain";
import {
  DEFAULT_KEYS,
  EXPR_FIELDS,
  EXPR_FUNCTIONS,
  FEW_SHOT_STAGES,
  keywordSpelling,
  nextTokenTypes,
  RULE_STAGES,
  TEMPLATE_CATALOG,
  TEMPLATE_VARIABLES,
} from "../dsl/index.js";
import { charterImportPathAt, importPathItems } from "./import-paths.js";
import type { FileModel, Project } from "./project.js";
import { definitionsOf } from "./symbols.js";

export const item = (label: string, kind: CompletionItemKind, detail?: string): CompletionItem => ({
  label,
  kind,
  ...(detail !== undefined ? { detail } : {}),
});

// The completion lists both the .charter and the YAML/JSON completion offer.

/** Principle ids a file can override or drop: those its imports bring, not its own. */
export function importedPrincipleItems(project: Project, model: FileModel): CompletionItem[] {
  const own = new Set(definitionsOf(model.path, model.ast).map((entry) => entry.id));
  const principles = project.exports(model.path)?.principles ?? new Map();
  return [...principles.entries()]
    .filter(([id, located]) => !own.has(id) || located.file !== model.path)
    .map(([id, located]) =>
      item(id, CompletionItemKind.Reference, located.value.compare[0] ?? located.value.critique),
    );
}

/** The ids an import of `target` can name in `only`. */
export function importableItems(project: Project, target: string): CompletionItem[] {
  const exports = project.exports(target);
  if (exports === undefined) return [];
  return [
    ...[...exports.principles.keys()].map((id) =>
      item(id, CompletionItemKind.Reference, "principle"),
    ),
    ...[...exports.rules.keys()].map((id) => item(id, CompletionItemKind.Reference, "rule")),
    ...[...exports.rubrics.keys()].map((id) => item(id, CompletionItemKind.Reference, "rubric")),
    ...[...exports.fewShots.keys()].map((id) => item(id, CompletionItemKind.Reference, "few-shot")),
  ];
}

export function stageItems(of: "rule" | "few-shot"): CompletionItem[] {
  return (of === "rule" ? RULE_STAGES : FEW_SHOT_STAGES).map((stage) =>
    item(stage, CompletionItemKind.EnumMember, "stage"),
  );
}

export function templateNameItems(): CompletionItem[] {
  return Object.entries(TEMPLATE_CATALOG).map(([name, spec]) =>
    item(name, CompletionItemKind.Class, spec.description),
  );
}

export function defaultKeyItems(): CompletionItem[] {
  return Object.entries(DEFAULT_KEYS).map(([key, type]) =>
    item(key, CompletionItemKind.Property, type),
  );
}

/** Fields and functions, where an expression wants a name. */
export function expressionItems(): CompletionItem[] {
  const items = EXPR_FIELDS.map((field) => item(field, CompletionItemKind.Field, "field"));
  for (const [name, meaning] of Object.entries(EXPR_FUNCTIONS)) {
    items.push({
      ...item(name, CompletionItemKind.Function, `${name}(text): number — ${meaning}`),
      insertText: `${name}(`,
    });
  }
  return items;
}

/** The `{{variables}}` the template `name` provides. */
export function variableItems(name: string): CompletionItem[] {
  const spec = TEMPLATE_CATALOG[name];
  return (spec?.variables ?? []).map((variable) =>
    item(variable, CompletionItemKind.Variable, TEMPLATE_VARIABLES[variable]),
  );
}

export function completionAt(
  project: Project,
  model: FileModel,
  offset: number,
  trigger?: string,
): CompletionItem[] {
  const path = charterImportPathAt(model.text, offset);
  if (path !== undefined) return importPathItems(project, model, path, offset);
  // `/` triggers completion for import paths; elsewhere it opens a regex, where nothing completes.
  if (trigger === "/") return [];
  const variables = templateVariablesAt(model, offset);
  if (variables !== undefined) return variables;
  // `"` triggers completion for JSON keys; in .charter it opens a string, where nothing completes.
  if (model.text[offset - 1] === '"') return [];
  const tokens = model.syntax?.tokens;
  if (tokens === undefined) return [];
  // The tokens before the word being typed (which completion replaces).
  let wordStart = offset;
  while (wordStart > 0 && /[\w.-]/.test(model.text[wordStart - 1] ?? "")) wordStart--;
  const before = tokens.filter((token) => token.startOffset < wordStart);
  const previous = before[before.length - 1];
  const items: CompletionItem[] = [];
  const expected = nextTokenTypes(before);
  const names = new Set(expected.map((type) => type.name));
  for (const type of expected) {
    const keyword = keywordSpelling(type);
    if (keyword !== undefined) items.push(item(keyword, CompletionItemKind.Keyword));
  }
  if (names.has("Name") || names.has("Identifier"))
    items.push(...namesAfter(project, model, before, offset));
  if (names.has("ExprName")) items.push(...expressionItems());
  if (previous === undefined && items.length === 0)
    items.push(item("charter", CompletionItemKind.Keyword));
  return dedupe(items);
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Set<string>();
  return items.filter((entry) => !seen.has(entry.label) && seen.add(entry.label) !== undefined);
}

/** Names that fit where the grammar wants one, by the tokens just before the cursor. */
function namesAfter(
  project: Project,
  model: FileModel,
  before: readonly IToken[],
  offset: number,
): CompletionItem[] {
  const last = before[before.length - 1]?.image;
  const second = before[before.length - 2]?.image;
  if (last === "principle" && (second === "override" || second === "drop")) {
    return importedPrincipleItems(project, model);
  }
  if (last === "on") {
    return stageItems(lastKeyword(before, ["rule", "few-shot"]) === "rule" ? "rule" : "few-shot");
  }
  if (last === "template") return templateNameItems();
  const edge = model.imports.find(
    (entry) =>
      entry.decl.only !== undefined &&
      entry.decl.range.start.offset < offset &&
      offset <= entry.decl.range.end.offset + 1,
  );
  if (edge !== undefined && (last === "only" || last === ",")) {
    return importableItems(project, edge.target);
  }
  const defaults = model.ast.declarations.find(
    (decl) =>
      decl.kind === "defaults" &&
      decl.range.start.offset < offset &&
      offset < decl.range.end.offset,
  );
  if (defaults !== undefined && (last === "{" || isLineStart(model.text, offset))) {
    return defaultKeyItems();
  }
  return [];
}

function lastKeyword(tokens: readonly IToken[], words: readonly string[]): string | undefined {
  for (let index = tokens.length - 1; index >= 0; index--) {
    const image = tokens[index]?.image;
    if (image !== undefined && words.includes(image)) return image;
  }
  return undefined;
}

function isLineStart(text: string, offset: number): boolean {
  let index = offset;
  while (index > 0 && /[\w.-]/.test(text[index - 1] ?? "")) index--;
  while (index > 0 && /[ \t]/.test(text[index - 1] ?? "")) index--;
  return index === 0 || text[index - 1] === "\n" || text[index - 1] === "\r";
}

/** Inside `{{` in a template's text: the variables that template provides. */
function templateVariablesAt(model: FileModel, offset: number): CompletionItem[] | undefined {
  for (const decl of model.ast.declarations) {
    if (decl.kind !== "template") continue;
    const range = decl.text.range;
    if (offset <= range.start.offset || offset >= range.end.offset) continue;
    const before = model.text.slice(range.start.offset, offset);
    const open = before.lastIndexOf("{{");
    if (open < 0 || before.indexOf("}}", open) >= 0) return undefined;
    return variableItems(decl.name.name);
  }
  return undefined;
}
