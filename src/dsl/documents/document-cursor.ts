// Where an editor's cursor sits in a YAML or JSON constitution, by the one position-aware reader:
// the keys and list positions above it, whether it is on a key or in a value, and which mapping of
// the constitution's shape that is. Half-typed text is the normal case, so a marker is put at the
// cursor and the (error-tolerant) tree is searched for it.

import type { Node, Pair } from "yaml";
import { isMap, isScalar, isSeq } from "./yaml-package.js";
import { DOCUMENT_KEYS, type Place } from "./document-keys.js";
import { readTree } from "./source-text.js";

/** The mappings of a constitution document: the shape's places, plus `defaults` and `templates`. */
export type DocumentMapping = Place | "defaults" | "templates";

export interface DocumentCursor {
  /** Keys and list positions from the document's root to the cursor's key or value. */
  readonly path: readonly (string | number)[];
  /** On a mapping's key (or where one goes), or inside a value (a scalar, or a list's item). */
  readonly slot: "key" | "value";
  /**
   * Whether the scalar under the cursor is a list's item where the shape wants a mapping
   * (`- ./lib.yaml` under `imports`): slot `key` then stands for it, and the scalar may be the
   * item's whole value.
   */
  readonly listItem: boolean;
  /** Whether the scalar under the cursor is quoted. */
  readonly quoted: boolean;
  /** The scalar's text before the cursor (an expression or a template being typed). */
  readonly before: string;
  /** The mapping holding the key (slot `key`) or the value's key (slot `value`), by the shape. */
  readonly mapping?: DocumentMapping;
  /** The keys that mapping may hold (none for `defaults` and `templates`: they are open). */
  readonly keys: readonly string[];
  /** That mapping's keys as written, with their scalar values (others undefined). */
  readonly fields: ReadonlyMap<string, string | undefined>;
}

const MARK = "charterCursorMark";

/** Where `offset` is in a YAML/JSON document; undefined where no key or value is (a comment). */
export function documentCursor(text: string, offset: number): DocumentCursor | undefined {
  let found: Found | undefined;
  // A string still open at the cursor (`"pri|` in JSON) is closed for the search.
  for (const close of ["", '"', "'"]) {
    const marked = `${text.slice(0, offset)}${MARK}${close}${text.slice(offset)}`;
    const document = readTree(marked, { uniqueKeys: false });
    found = find(document.contents as Node | null, [], undefined);
    if (found !== undefined) break;
  }
  if (found === undefined) return undefined;
  const { path, scalar } = found;
  // A word where a mapping belongs is its first key: `- |` under `principles:`, `rev|` alone
  // under `defaults:`.
  const newItem = found.slot === "value" && mappingAt(path) !== undefined;
  const slot = newItem ? "key" : found.slot;
  const parent = newItem ? undefined : found.parent;
  const value = String(scalar.value);
  const mapPath = slot === "key" ? path : path.slice(0, lastKeyIndex(path));
  const mapping = mappingAt(mapPath);
  const fields = new Map<string, string | undefined>();
  for (const pair of parent?.items ?? []) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    if (key === undefined || key.includes(MARK)) continue;
    fields.set(key, isScalar(pair.value) ? String(pair.value.value).replace(MARK, "") : undefined);
  }
  return {
    path,
    slot,
    listItem: newItem && typeof path[path.length - 1] === "number",
    quoted: scalar.type === "QUOTE_DOUBLE" || scalar.type === "QUOTE_SINGLE",
    before: value.slice(0, value.indexOf(MARK)),
    ...(mapping !== undefined ? { mapping } : {}),
    keys:
      mapping === undefined || mapping === "defaults" || mapping === "templates"
        ? []
        : DOCUMENT_KEYS[mapping],
    fields,
  };
}

interface Found {
  readonly path: (string | number)[];
  readonly slot: "key" | "value";
  readonly scalar: { readonly value: unknown; readonly type?: string | undefined };
  /** The mapping the key is in, or whose key's value holds the cursor. */
  readonly parent: { readonly items: readonly Pair[] } | undefined;
}

/** The scalar holding the marker, with its path. */
function find(
  node: Node | null,
  path: (string | number)[],
  parent: { readonly items: readonly Pair[] } | undefined,
): Found | undefined {
  if (isScalar(node)) {
    return typeof node.value === "string" && node.value.includes(MARK)
      ? { path, slot: "value", scalar: node, parent }
      : undefined;
  }
  if (isSeq(node)) {
    for (const [index, item] of (node.items as (Node | null)[]).entries()) {
      const found = find(item, [...path, index], parent);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (isMap(node)) {
    const map = node as unknown as { readonly items: readonly Pair[] };
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && String(key.value).includes(MARK)) {
        return { path, slot: "key", scalar: key, parent: map };
      }
      const name = isScalar(key) ? String(key.value) : "";
      const found = find(pair.value as Node | null, [...path, name], map);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The position of the last key in a path (a value's own key), so its mapping is what is above. */
function lastKeyIndex(path: readonly (string | number)[]): number {
  for (let index = path.length - 1; index >= 0; index--) {
    if (typeof path[index] === "string") return index;
  }
  return 0;
}

/** Which mapping of the shape a path (to a mapping) names; undefined off the shape. */
function mappingAt(path: readonly (string | number)[]): DocumentMapping | undefined {
  if (path.length === 0) return "document";
  const key = path[path.length - 1];
  if (typeof key === "string") {
    if (path.length === 1 && (key === "defaults" || key === "templates")) return key;
    return undefined;
  }
  // A list item: what the list's key holds, given the mapping the list is in.
  const listKey = path[path.length - 2];
  const above = mappingAt(path.slice(0, -2));
  if (typeof listKey !== "string" || above === undefined) return undefined;
  return ITEM_OF[`${above} ${listKey}`];
}

/** `mapping key` -> the mapping each item of that list is. */
const ITEM_OF: Readonly<Record<string, DocumentMapping>> = {
  "document imports": "import",
  "document principles": "principle",
  "document overrides": "principle",
  "document rules": "rule",
  "document rubrics": "rubric",
  "document few-shots": "few-shot set",
  "principle examples": "example",
  "rule checks": "check",
  "rubric criteria": "criterion",
  "few-shot set examples": "few-shot example",
  "few-shot example conversation": "turn",
};
