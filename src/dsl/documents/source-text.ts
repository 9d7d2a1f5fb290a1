// The one position-aware reader of YAML and JSON text (constitutions and importers' inputs alike):
// the `yaml` CST gives every value its line:col range, and JSON is held to one strict definition,
// JSON.parse's, so a `.json` file means the same thing to every command.

import type { Document } from "yaml";
import { yamlPackage } from "./yaml-package.js";
import type { Position } from "../ast.js";
import { jsonErrorOffset } from "./json-error-offset.js";

/**
 * Line and column of offsets in one text, as editors count them: a line ends at `\n`, `\r\n` or a
 * lone `\r` (as chevrotain and the language server count). The line starts are the text's own, not
 * those the YAML parser met: after a syntax error it skips lines, and positions past them would
 * land on the wrong line.
 */
export class SourceLines {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (const match of text.matchAll(/\r\n?|\n/g)) this.starts.push(match.index + match[0].length);
  }

  /** The position at `offset`, clamped into the text (and out of the middle of a `\r\n`). */
  position(offset: number): Position {
    let clamped = Math.max(0, Math.min(offset, this.text.length));
    // Between the two characters of one line break is no place on either line: its end it is.
    if (this.text[clamped] === "\n" && this.text[clamped - 1] === "\r") clamped--;
    // The last line start at or before the offset.
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle]! <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: clamped - this.starts[low]! + 1, offset: clamped };
  }
}

/** Parses YAML (or JSON, a subset) into a tree whose nodes carry offsets (`lines` places them). */
export function readTree(text: string, options: { readonly uniqueKeys: boolean }): Document.Parsed {
  return yamlPackage().parseDocument(text, {
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
