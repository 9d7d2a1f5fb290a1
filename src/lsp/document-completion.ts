// Completion in YAML and JSON constitutions, placed by the documents' position-aware reader
// (documentCursor): the keys the mapping at the cursor may hold (top-level sections, a principle's,
// a rule's, an import's fields, `defaults` keys, template names), and in values what the .charter
// completion offers in the same places: imported principle ids under `overrides`/`drop`, an
// import's ids in `only`, stages in `on`, fields and functions in expressions, `{{variables}}` in
// templates, and the choices of a `defaults` key; and in `imports`, the paths of constitution files
// (import-paths.ts).

import { dirname, join, normalize, resolve } from "node:path";
import { CompletionItemKind, type CompletionItem, type Range } from "vscode-languageserver/node";
import {
  DEFAULT_CHOICES,
  DEFAULT_KEYS,
  documentCursor,
  type DocumentCursor,
} from "../dsl/index.js";
import {
  defaultKeyItems,
  expressionItems,
  importableItems,
  importedPrincipleItems,
  item,
  stageItems,
  templateNameItems,
  variableItems,
} from "./completion.js";
import { importPathItems } from "./import-paths.js";
import type { FileModel, Project } from "./project.js";

/** Keys whose string value is an expression, per mapping of the shape. */
const EXPRESSION_KEYS: Readonly<Record<string, readonly string[]>> = {
  principle: ["when"],
  rubric: ["when"],
  criterion: ["check"],
  check: ["require", "prefer", "flag"],
};

export function documentCompletionAt(
  project: Project,
  model: FileModel,
  offset: number,
  trigger?: string,
): CompletionItem[] {
  const cursor = documentCursor(model.text, offset);
  if (cursor === undefined) return [];
  const paths = importPathAt(model, cursor);
  // `/` triggers completion for import paths only.
  if (paths === undefined && trigger === "/") return [];
  const pathItems = paths === undefined ? [] : importPathItems(project, model, paths.typed, offset);
  if (paths?.only === true) return pathItems;
  let wordStart = offset;
  while (wordStart > 0 && /[\w.-]/.test(model.text[wordStart - 1] ?? "")) wordStart--;
  const range: Range = {
    start: model.lines.positionAt(wordStart),
    end: model.lines.positionAt(offset),
  };
  const items =
    cursor.slot === "key"
      ? keyItems(cursor)
      : valueItems(project, model, cursor, offset - wordStart);
  // Each item replaces the word being typed; an unquoted JSON key is written with its quotes.
  const placed = items.map((entry) => {
    const text = entry.insertText ?? entry.label;
    const newText =
      cursor.slot === "key"
        ? model.format === "json" && !cursor.quoted
          ? `"${text}": `
          : cursor.quoted
            ? text
            : `${text}: `
        : text;
    const { insertText: _unused, ...rest } = entry;
    return { ...rest, textEdit: { range, newText } };
  });
  return [...placed, ...pathItems];
}

/**
 * Where an import's path is being typed: an `imports` item written as a bare path (`- ./lib/`,
 * `["./lib/"]`) or an item's `path` value. `only`: a path is all that fits there; a bare, unquoted
 * YAML item may also be the first key of an item written as a mapping (`- path: …`).
 */
function importPathAt(
  model: FileModel,
  cursor: DocumentCursor,
): { typed: string; only: boolean } | undefined {
  if (cursor.mapping !== "import") return undefined;
  const typed = cursor.before;
  if (cursor.slot === "value") {
    return cursor.path[cursor.path.length - 1] === "path" ? { typed, only: true } : undefined;
  }
  if (!cursor.listItem) return undefined;
  // JSON wants its strings quoted: a path is offered once the quote is typed.
  if (model.format === "json" && !cursor.quoted) return undefined;
  return { typed, only: cursor.quoted || typed.includes("/") || typed.startsWith(".") };
}

/** The keys the mapping at the cursor may still take. */
function keyItems(cursor: DocumentCursor): CompletionItem[] {
  const present = (key: string): boolean => cursor.fields.has(key);
  switch (cursor.mapping) {
    case undefined:
      return [];
    case "defaults":
      return defaultKeyItems().filter((entry) => !present(entry.label));
    case "templates":
      return templateNameItems().filter((entry) => !present(entry.label));
    default:
      return cursor.keys
        .filter((key) => !present(key))
        .map((key) => item(key, CompletionItemKind.Property, cursor.mapping));
  }
}

/** What fits in the value at the cursor, by the mapping and key it belongs to. */
function valueItems(
  project: Project,
  model: FileModel,
  cursor: DocumentCursor,
  wordLength: number,
): CompletionItem[] {
  const keys = cursor.path.filter((step): step is string => typeof step === "string");
  const key = keys[keys.length - 1];
  if (key === undefined) return [];
  // Inside an expression or a template, what comes before the word being typed.
  const before = cursor.before.slice(0, cursor.before.length - wordLength);
  const mapping = cursor.mapping;
  switch (mapping) {
    case "document":
      return key === "drop" ? importedPrincipleItems(project, model) : [];
    case "principle":
      if (key === "id" && cursor.path[0] === "overrides") {
        return importedPrincipleItems(project, model);
      }
      return EXPRESSION_KEYS.principle?.includes(key) === true ? expressionItems() : [];
    case "import": {
      const path = cursor.fields.get("path");
      if (key !== "only" || path === undefined) return [];
      return importableItems(project, resolve(normalize(join(dirname(model.path), path))));
    }
    case "rule":
      return key === "on" ? stageItems("rule") : [];
    case "few-shot set":
      return key === "on" ? stageItems("few-shot") : [];
    case "rubric":
    case "criterion":
    case "check":
      return EXPRESSION_KEYS[mapping]?.includes(key) === true ? expressionItems() : [];
    case "templates": {
      const open = before.lastIndexOf("{{");
      return open >= 0 && !before.includes("}}", open) ? variableItems(key) : [];
    }
    case "defaults": {
      const choices =
        DEFAULT_CHOICES[key] ?? (DEFAULT_KEYS[key] === "boolean" ? ["true", "false"] : []);
      return choices.map((choice) => item(choice, CompletionItemKind.EnumMember, key));
    }
    case undefined:
    case "example":
    case "few-shot example":
    case "turn":
      return [];
    default: {
      const unexpected: never = mapping;
      return unexpected;
    }
  }
}
