// Reads an importer's JSON input keeping source positions, so problems point at a line and column:
// strict JSON and positions from the one reader (../source-text.ts).

import type { Node as YamlNode } from "yaml";
import { isMap, isScalar, isSeq } from "../yaml-package.js";
import type { DiagnosticPosition, DiagnosticRange } from "../../diagnostics.js";
import { readTree, SourceLines, strictJson } from "../source-text.js";
import type { ImportDiagnostic, ImportDiagnosticCode } from "./types.js";

/** A step into a JSON value: an object key or an array index. */
export type JsonPath = readonly (string | number)[];

/** A parsed JSON document that can say where any of its values (or keys) were written. */
export interface JsonSource {
  readonly file: string;
  readonly value: unknown;
  /** The range of the value at `path`, or of its key when `key` is set; the nearest parent if absent. */
  locate(path: JsonPath, key?: boolean): DiagnosticRange;
}

/** Parses `text` as JSON; on failure, one `invalid-json` diagnostic with the position. */
export function readJsonSource(
  text: string,
  file: string,
): { source?: JsonSource; diagnostics: ImportDiagnostic[] } {
  const lines = new SourceLines(text);
  const document = readTree(text, { uniqueKeys: false });
  // The offset as given (past the end for a text that stops early), the line and column clamped.
  const position = (offset: number): DiagnosticPosition => ({ ...lines.position(offset), offset });
  const span = (start: number, end: number): DiagnosticRange => ({
    file,
    start: position(start),
    end: position(end),
  });
  const json = strictJson(text);
  if (!json.ok) {
    const { offset, message } = json;
    return { diagnostics: [importDiagnostic("invalid-json", message, span(offset, offset + 1))] };
  }
  const value = json.value;
  const locate = (path: JsonPath, key = false): DiagnosticRange => {
    let node: unknown = document.contents;
    let keyNode: unknown;
    for (const step of path) {
      keyNode = undefined;
      if (isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === step);
        if (pair === undefined) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof step === "number" && node.items[step] !== undefined) {
        node = node.items[step];
      } else {
        break;
      }
    }
    const target = (key && keyNode !== undefined ? keyNode : node) as YamlNode | null | undefined;
    const range = target?.range;
    return range === undefined || range === null ? span(0, 0) : span(range[0], range[1]);
  };
  return { source: { file, value, locate }, diagnostics: [] };
}

export function importDiagnostic(
  code: ImportDiagnosticCode,
  message: string,
  range: DiagnosticRange,
): ImportDiagnostic {
  return { code, severity: IMPORT_DIAGNOSTIC_SEVERITY[code], message, range };
}

const IMPORT_DIAGNOSTIC_SEVERITY: Readonly<Record<ImportDiagnosticCode, "error" | "warning">> = {
  "invalid-json": "error",
  "invalid-shape": "error",
  "missing-field": "error",
  "unknown-field": "warning",
  "unmatched-example": "warning",
  "renamed-id": "warning",
  "no-compare": "warning",
};

/** Plain-object check that TypeScript can narrow on. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Renders a path the way a reader finds it in the file: `constitutions[2].critic`. */
export function formatPath(path: JsonPath): string {
  return path
    .map((step, index) =>
      typeof step === "number" ? `[${step}]` : index === 0 ? step : `.${step}`,
    )
    .join("");
}

/**
 * Reports every key of `object` outside `known` (importers never drop data silently) and returns
 * the diagnostics.
 */
export function reportUnknownFields(
  source: JsonSource,
  object: Record<string, unknown>,
  path: JsonPath,
  known: readonly string[],
): ImportDiagnostic[] {
  return Object.keys(object)
    .filter((key) => !known.includes(key))
    .map((key) =>
      importDiagnostic(
        "unknown-field",
        `unknown field \`${key}\` in ${path.length === 0 ? "the top level" : formatPath(path)} was not imported (known: ${known.map((name) => `\`${name}\``).join(", ")})`,
        source.locate([...path, key], true),
      ),
    );
}

/** In file order, as a reader goes through the input. */
export function sortImportDiagnostics(
  diagnostics: readonly ImportDiagnostic[],
): ImportDiagnostic[] {
  return [...diagnostics].sort((a, b) => a.range.start.offset - b.range.start.offset);
}

/**
 * A `missing-field` error naming the keys of `object` without text (absent, not a string, or
 * blank), or undefined when all have text. The entry is skipped by the caller.
 */
export function reportMissingText(
  source: JsonSource,
  object: Record<string, unknown>,
  path: JsonPath,
  keys: readonly string[],
): ImportDiagnostic | undefined {
  const missing = keys.filter((key) => {
    const value = object[key];
    return typeof value !== "string" || value.trim() === "";
  });
  if (missing.length === 0) return undefined;
  return importDiagnostic(
    "missing-field",
    `${formatPath(path)} has no text for ${missing.map((key) => `"${key}"`).join(" and ")}; skipped`,
    source.locate(path),
  );
}
