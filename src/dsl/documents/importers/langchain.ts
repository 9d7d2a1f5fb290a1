// `charter import langchain`: a JSON list of LangChain ConstitutionalPrinciple objects as .charter.
//
// Each `{ name, critique_request, revision_request }` (Python's ConstitutionalPrinciple) or
// `{ name, critiqueRequest, revisionRequest }` (LangChain.js, whose serialised form adds `_type`)
// becomes a principle whose id is the name made into a valid Charter id (renames are reported).
// A JSON object keyed by name (the shape of LangChain's PRINCIPLES table) is accepted too.

import {
  formatPath,
  importDiagnostic,
  isObject,
  readJsonSource,
  reportMissingText,
  sortImportDiagnostics,
  reportUnknownFields,
  type JsonPath,
} from "./json-source.js";
import type { ImportOptions, ImportResult } from "./types.js";
import { uniqueId } from "./readable-ids.js";
import { nameFromFile, writeCharter, type ImportedPrinciple } from "../../print/write-charter.js";

const SNAKE = ["critique_request", "revision_request"] as const;
const CAMEL = ["critiqueRequest", "revisionRequest"] as const;
/** Words the lexer never takes as a name. */
const RESERVED = new Set([
  "matches",
  "contains",
  "startswith",
  "endswith",
  "in",
  "and",
  "or",
  "not",
  "true",
  "false",
]);

/**
 * Converts LangChain constitutional principles to .charter source.
 *
 * @example importLangChain('[{"name": "harmful1", "critique_request": "...", "revision_request": "..."}]', { file: "p.json" })
 */
export function importLangChain(text: string, options: ImportOptions): ImportResult {
  const { source, diagnostics } = readJsonSource(text, options.file);
  if (source === undefined) return { text: "", diagnostics };
  const root = source.value;
  const items: { value: unknown; path: JsonPath; key?: string }[] = Array.isArray(root)
    ? root.map((value, index) => ({ value, path: [index] }))
    : isObject(root)
      ? Object.entries(root).map(([key, value]) => ({ value, path: [key], key }))
      : [];
  if (!Array.isArray(root) && !isObject(root)) {
    diagnostics.push(
      importDiagnostic(
        "invalid-shape",
        'expected a list of {"name", "critique_request", "revision_request"} (or JS\'s "critiqueRequest", "revisionRequest")',
        source.locate([]),
      ),
    );
    return { text: "", diagnostics };
  }
  const used = new Set<string>();
  const principles: ImportedPrinciple[] = [];
  for (const [index, { value, path, key }] of items.entries()) {
    if (!isObject(value)) {
      diagnostics.push(
        importDiagnostic(
          "invalid-shape",
          `${formatPath(path)} should be an object with "name", "critique_request" and "revision_request"; skipped`,
          source.locate(path),
        ),
      );
      continue;
    }
    // One spelling per entry: JS's camelCase when it has more of those keys than of Python's;
    // the other spelling's keys are then reported as not imported.
    const count = (keys: readonly string[]) => keys.filter((key) => key in value).length;
    const camel = count(CAMEL) > count(SNAKE);
    const [critiqueKey, revisionKey] = camel ? CAMEL : SNAKE;
    // `_type` is LangChain.js's serialisation tag: it carries nothing to import.
    const known = ["name", critiqueKey, revisionKey, ...(camel ? ["_type"] : [])];
    diagnostics.push(...reportUnknownFields(source, value, path, known));
    const missing = reportMissingText(source, value, path, [critiqueKey, revisionKey]);
    if (missing !== undefined) {
      diagnostics.push(missing);
      continue;
    }
    const written = typeof value.name === "string" ? value.name : (key ?? "");
    const valid = sanitizeId(written, index + 1);
    const id = uniqueId(valid, used);
    if (id !== written) {
      const why =
        valid === written
          ? "the name is taken by an earlier principle"
          : "Charter ids are letters, digits, `_` and `-`, dotted";
      diagnostics.push(
        importDiagnostic(
          "renamed-id",
          `${written === "" ? "a principle without a name" : `name ${JSON.stringify(written)}`} is imported as \`${id}\` (${why})`,
          source.locate(typeof value.name === "string" ? [...path, "name"] : path),
        ),
      );
    }
    principles.push({
      id,
      critique: value[critiqueKey] as string,
      revise: value[revisionKey] as string,
    });
  }
  if (principles.length > 0) {
    diagnostics.push(
      importDiagnostic(
        "no-compare",
        `LangChain principles have no \`compare\` question: Phase 1 can use the ${principles.length} imported, Phase 2 (charter judge) cannot until you add some`,
        source.locate([]),
      ),
    );
  }
  const output = writeCharter({
    comments: [
      `Imported by \`charter import langchain\` from ${options.file}.`,
      "LangChain principles have no compare question: add `compare` for Phase 2.",
    ],
    name: options.name ?? nameFromFile(options.file),
    version: options.version ?? "0.1.0",
    about: `Imported from the LangChain constitutional principles in ${options.file}: ${principles.length} principle${principles.length === 1 ? "" : "s"}.`,
    principles,
  });
  return { text: output, diagnostics: sortImportDiagnostics(diagnostics) };
}

/**
 * A valid Charter id from any name: each dotted segment keeps letters, digits, `_` and `-` (other
 * runs become `-`) and starts with a letter or `_`; reserved words get a `-principle` suffix.
 */
export function sanitizeId(name: string, ordinal: number): string {
  const segments = name
    .trim()
    .split(".")
    .map((segment) =>
      segment
        .replace(/[^A-Za-z0-9_-]+/g, "-")
        .replace(/-{2,}/g, "-")
        .replace(/^-+|-+$/g, ""),
    )
    .filter((segment) => segment !== "")
    .map((segment) => (/^[A-Za-z_]/.test(segment) ? segment : `p${segment}`));
  if (segments.length === 0) return `principle-${ordinal}`;
  const id = segments.join(".");
  return RESERVED.has(id) ? `${id}-principle` : id;
}
