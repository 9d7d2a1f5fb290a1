// What importers return: .charter source text plus diagnostics about the input file.

import type { DiagnosticRange, Severity } from "../../diagnostics.js";

/**
 * Problems in an imported file. Same shape as the compiler's `Diagnostic`, with codes of its
 * own: the input is JSON, not Charter.
 */
export type ImportDiagnosticCode =
  | "invalid-json"
  | "invalid-shape"
  | "missing-field"
  | "unknown-field"
  | "unmatched-example"
  | "renamed-id"
  | "no-compare";

export interface ImportDiagnostic {
  readonly code: ImportDiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range: DiagnosticRange;
}

export interface ImportOptions {
  /** The input's file name, for diagnostics and the `about` text. */
  readonly file: string;
  /** The constitution's name; defaults to one derived from the file name. */
  readonly name?: string;
  /** Default "0.1.0". */
  readonly version?: string;
}

export interface ImportResult {
  /** Formatted .charter source; empty when errors left nothing to import. */
  readonly text: string;
  readonly diagnostics: readonly ImportDiagnostic[];
}
