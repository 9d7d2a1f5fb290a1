// The one position-aware reader of YAML and JSON text (constitutions and importers' inputs alike):
// the `yaml` CST gives every value its line:col range, and JSON is held to one strict definition,
// JSON.parse's, so a `.json` file means the same thing to every command.

import type { Document } from "yaml";
import { yamlPackage } from "./yaml-package.js";
import type { Position } from "../ast.js";
import { jsonErrorOffset } from "./json-error-offset.js";

/** Line and column of offsets in one text, as editors count them. */
export class SourceLines {
  readonly counter = new (yamlPackage().LineCounter)();

  constructor(private readonly text: string) {}

  /** The position at `offset`, clamped into the text. */
  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.counter.linePos(clamped);
    return { line, column: col, offset: clamped };
  }
}

/** Parses YAML (or JSON, a subset) into a tree whose nodes carry offsets; fills `lines`. */
export function readTree(
  text: string,
  lines: SourceLines,
  options: { readonly uniqueKeys: boolean },
): Document.Parsed {
  return yamlPackage().parseDocument(text, {
    lineCounter: lines.counter,
    prettyErrors: false,
    keepSourceTokens: false,
    uniqueKeys: options.uniqueKeys,
  });
}

/** The outcome of reading text as JSON by JSON.parse's rules (no comments, quoted keys). */
export type StrictJson =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly offset: number; readonly message: string };

/** `text` as strict JSON, or where and why it is not. */
export function strictJson(text: string): StrictJson {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, offset: jsonErrorOffset(text), message: `not valid JSON: ${message}` };
  }
}
