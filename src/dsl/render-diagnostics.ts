// Diagnostics for people: `file:line:col: error[code]: message`, a code frame with a caret under
// the range, what was expected and "did you mean" (after graphql-js printLocation), plus the
// compact `line:col code message` form that golden tests compare.

import type { Diagnostic, DiagnosticRange } from "./diagnostics.js";

/** Where rendering finds a file's text: a map, a record or a function. */
export type SourceLookup =
  | ReadonlyMap<string, string>
  | Readonly<Record<string, string>>
  | ((file: string) => string | undefined);

function lookup(sources: SourceLookup, file: string): string | undefined {
  if (typeof sources === "function") return sources(file);
  if (sources instanceof Map) return sources.get(file);
  return (sources as Readonly<Record<string, string>>)[file];
}

const place = (range: DiagnosticRange): string =>
  `${range.file}:${range.start.line}:${range.start.column}`;

/** Widest source line a frame shows whole; longer lines show a window around the caret. */
const FRAME_WIDTH = 120;
/** How much of a long line is shown before the caret. */
const FRAME_BEFORE = 40;

/**
 * The source line of `range` with a caret line under it (tabs kept so carets align). A line
 * longer than FRAME_WIDTH (a one-line JSON file) shows the part around the caret, marked `...`.
 */
export function codeFrame(text: string, range: DiagnosticRange): string {
  const lines = text.split(/\r\n|\r|\n/);
  const lineIndex = Math.min(Math.max(range.start.line - 1, 0), Math.max(lines.length - 1, 0));
  const line = lines[lineIndex] ?? "";
  const gutter = String(lineIndex + 1);
  const pad = " ".repeat(gutter.length);
  const startColumn = Math.max(range.start.column, 1);
  const endColumn =
    range.end.line === range.start.line
      ? Math.max(range.end.column, startColumn + 1)
      : line.length + 1;
  const width = Math.max(1, Math.min(endColumn, line.length + 1) - startColumn);
  let from = 0;
  let to = line.length;
  if (line.length > FRAME_WIDTH) {
    from = Math.max(0, Math.min(startColumn - 1 - FRAME_BEFORE, line.length - FRAME_WIDTH));
    to = Math.min(line.length, from + FRAME_WIDTH);
  }
  const before = from > 0 ? "..." : "";
  const shown = `${before}${line.slice(from, to)}${to < line.length ? "..." : ""}`;
  const lead = `${before}${line.slice(from, startColumn - 1)}`.replace(/[^\t]/g, " ");
  // Carets stop where the shown part of the line ends.
  const carets = Math.max(1, Math.min(width, to + 1 - startColumn + 1, FRAME_WIDTH));
  return `${pad} |\n${gutter} | ${shown}\n${pad} | ${lead}${"^".repeat(carets)}`;
}

/** One diagnostic, rendered with its code frame. */
export function renderDiagnostic(entry: Diagnostic, sources: SourceLookup): string {
  const parts = [`${place(entry.range)}: ${entry.severity}[${entry.code}]: ${entry.message}`];
  const text = lookup(sources, entry.range.file);
  if (text !== undefined) parts.push(codeFrame(text, entry.range));
  if (entry.expected !== undefined) parts.push(`  = expected ${entry.expected}`);
  if (entry.suggestion !== undefined) parts.push(`  = did you mean \`${entry.suggestion}\`?`);
  for (const related of entry.related ?? []) {
    parts.push(`  = note: ${related.message} at ${place(related.range)}`);
    const relatedText = lookup(sources, related.range.file);
    if (relatedText !== undefined) parts.push(codeFrame(relatedText, related.range));
  }
  return parts.join("\n");
}

/** All diagnostics for a terminal, separated by blank lines, ending with a newline. */
export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: SourceLookup,
): string {
  if (diagnostics.length === 0) return "";
  return `${diagnostics.map((entry) => renderDiagnostic(entry, sources)).join("\n\n")}\n`;
}

/** "2 errors, 1 warning" */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((entry) => entry.severity === "error").length;
  const warnings = diagnostics.length - errors;
  const plural = (count: number, word: string): string =>
    `${count} ${word}${count === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/**
 * One line per diagnostic: `line:col code message` (+ `; did you mean \`x\`?`). Diagnostics in
 * another file than `mainFile` are prefixed with their file.
 */
export function formatDiagnosticsCompact(
  diagnostics: readonly Diagnostic[],
  mainFile?: string,
): string {
  return diagnostics
    .map((entry) => {
      const prefix =
        mainFile === undefined || entry.range.file === mainFile ? "" : `${entry.range.file}:`;
      const hint = entry.suggestion === undefined ? "" : `; did you mean \`${entry.suggestion}\`?`;
      return `${prefix}${entry.range.start.line}:${entry.range.start.column} ${entry.code} ${entry.message}${hint}`;
    })
    .join("\n");
}
