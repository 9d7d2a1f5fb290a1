// Problems in a user's constitution, as data: stable kebab-case codes, severities, ranges.
// Every stage appends to one DiagnosticBag; nothing here throws.

export interface DiagnosticPosition {
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** 0-based character offset. */
  readonly offset: number;
}

/** A span of one file; `end` is exclusive. */
export interface DiagnosticRange {
  readonly file: string;
  readonly start: DiagnosticPosition;
  readonly end: DiagnosticPosition;
}

export type Severity = "error" | "warning";

export interface RelatedInformation {
  readonly message: string;
  readonly range: DiagnosticRange;
}

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: DiagnosticRange;
  /** What the parser expected there, short: "`{` or `weight`". */
  readonly expected?: string;
  /** A near miss: "did you mean `critique`?". */
  readonly suggestion?: string;
  readonly related?: readonly RelatedInformation[];
}

/** Every code, its severity and what it means (mirrored in src/dsl/README.md). */
export const DIAGNOSTIC_CODES = {
  "unexpected-token": ["error", "syntax error: a token that cannot appear here"],
  "unterminated-string": ["error", 'a string or `"""` block is not closed'],
  "unterminated-regex": ["error", "a `/regex/` is not closed on its line"],
  "invalid-escape": ["error", "a `\\` escape in a string is not a JSON escape"],
  "unknown-character": ["error", "a character that starts no token"],
  "unknown-keyword": ["error", "a word where a keyword belongs (with did-you-mean)"],
  "nesting-too-deep": [
    "error",
    "brackets, `not`s or operator chains nested past the limit (guards the parser's stack)",
  ],
  "missing-header": ["error", "no `charter NAME version V` header"],
  "duplicate-header": ["error", "more than one header or `about`"],
  "invalid-version": ["error", "version is not semantic (`1.0.0`)"],
  "duplicate-principle": [
    "error",
    "a principle id defined twice without `override` (names both places)",
  ],
  "duplicate-rule": ["error", "a rule id defined twice"],
  "duplicate-rubric": ["error", "a rubric id defined twice"],
  "duplicate-criterion": ["error", "a rubric lists the same criterion text twice"],
  "duplicate-template": ["error", "a template defined twice"],
  "duplicate-few-shot": ["error", "a few-shot set id defined twice"],
  "invalid-few-shot": [
    "error",
    "a few-shot example out of shape (turns, then critique/revision or a labelled comparison)",
  ],
  "duplicate-field": ["error", "a field given twice in one block (e.g. two `critique`)"],
  "unknown-principle": ["error", "`override`/`drop` of an id that is not defined or imported"],
  "principle-without-purpose": ["error", "a principle with no critique, revise or compare"],
  "critique-without-revise": [
    "warning",
    "critique without revise (or the reverse): Phase 1 skips the principle",
  ],
  "invalid-weight": [
    "error",
    "principle weight <= 0, rubric pitfall weight >= 0, or other criterion weight <= 0",
  ],
  "empty-text": ["error", "an empty critique, revise, compare, template or criterion text"],
  "empty-example-field": ["error", "an example without prompt or response"],
  "unknown-template": ["error", "a template name not in the catalog"],
  "unknown-template-variable": ["error", "a `{{variable}}` the template does not provide"],
  "no-change-marker-unused": [
    "warning",
    "a `critique-request` template without `{{no_change_marker}}` while the marker is on",
  ],
  "invalid-regex": ["error", "a regex that is not valid JavaScript syntax or has bad flags"],
  "unsupported-regex": [
    "error",
    "a regex the linear-time rule engine cannot run (backreferences, lookaround, too large)",
  ],
  "unknown-field": ["error", "an expression names a field that does not exist"],
  "unknown-function": ["error", "an expression calls a function that does not exist"],
  "type-mismatch": ["error", "an operator or function applied to the wrong kind of value"],
  "unknown-stage": ["error", "`on` names a stage that does not exist"],
  "missing-stage": ["error", "a rule without `on STAGE`"],
  "empty-rule": ["warning", "a rule with no require, prefer or flag"],
  "field-not-available": [
    "error",
    "a field not known at the rule's stage (e.g. `revision` on prompt)",
  ],
  "unknown-default": ["error", "a `defaults` key Charter does not know (with did-you-mean)"],
  "invalid-default": ["error", "a `defaults` value of the wrong type"],
  "import-not-found": ["error", "an imported file does not exist"],
  "import-cycle": ["error", "files import each other in a cycle (the chain is shown)"],
  "import-outside-root": ["error", "an import that is absolute or leaves the project root"],
  "import-only-unknown": ["error", "an `only` name the imported file does not define"],
  "invalid-document": ["error", "a YAML/JSON constitution whose shape is wrong"],
} as const satisfies Record<string, readonly [Severity, string]>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** Optional parts of a diagnostic. */
export interface DiagnosticDetails {
  readonly expected?: string;
  readonly suggestion?: string;
  readonly related?: readonly RelatedInformation[];
}

/** Builds a diagnostic with the code's default severity. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  range: DiagnosticRange,
  details: DiagnosticDetails = {},
): Diagnostic {
  const result: {
    -readonly [K in keyof Diagnostic]: Diagnostic[K];
  } = { code, severity: DIAGNOSTIC_CODES[code][0], message, range };
  if (details.expected !== undefined) result.expected = details.expected;
  if (details.suggestion !== undefined) result.suggestion = details.suggestion;
  if (details.related !== undefined && details.related.length > 0) result.related = details.related;
  return result;
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((entry) => entry.severity === "error");
}

/** Sorted by file, then position, then code; exact duplicates removed. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const unique: Diagnostic[] = [];
  for (const entry of diagnostics) {
    const key = `${entry.range.file}\u0000${entry.range.start.offset}\u0000${entry.code}\u0000${entry.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(entry);
  }
  return unique.sort(
    (a, b) =>
      (a.range.file < b.range.file ? -1 : a.range.file > b.range.file ? 1 : 0) ||
      a.range.start.offset - b.range.start.offset ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
