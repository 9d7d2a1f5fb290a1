// Where each character of a YAML/JSON string's value stands in the file. A string may fold its
// lines, drop indentation, double its quotes or spell characters as escapes, so its value is not the
// text between its quotes; an expression parsed from the value reports positions in the value, and
// these are brought back to the file here (else an error in a folded `when:` points past its line).

import type { Node } from "yaml";
import type { Position } from "../ast.js";
import { isScalar } from "./yaml-package.js";
import type { SourceLines } from "./source-text.js";

const isBlank = (char: string | undefined): boolean =>
  char === " " || char === "\t" || char === "\n" || char === "\r";

/** A double-quoted escape's length in the file and how many UTF-16 units of the value it gives. */
function escapeAt(text: string, at: number): { length: number; units: number } {
  switch (text[at + 1]) {
    case "x":
      return { length: 4, units: 1 };
    case "u":
      return { length: 6, units: 1 };
    case "U": {
      const code = Number.parseInt(text.slice(at + 2, at + 10), 16);
      return { length: 10, units: code > 0xffff ? 2 : 1 };
    }
    default:
      return { length: 2, units: 1 };
  }
}

/**
 * The file offsets of one string scalar's value: `starts[i]` where the text giving value[i] begins,
 * `ends[i]` where it ends. Characters are matched in order; blanks the value drops (indentation,
 * folded line breaks) are skipped, and a blank the value adds takes no room where it stands.
 */
export class ScalarPositions {
  private constructor(
    private readonly starts: Int32Array,
    private readonly ends: Int32Array,
    private readonly contentStart: number,
    private readonly lines: SourceLines,
  ) {}

  /**
   * The map of a string scalar, or undefined when its value is the file's text from where it starts
   * (a one-line plain or quoted string without escapes): then positions need no mapping.
   */
  static of(text: string, node: Node, lines: SourceLines): ScalarPositions | undefined {
    if (!isScalar(node) || typeof node.value !== "string" || node.range == null) return undefined;
    const value = node.value;
    const [start, valueEnd] = node.range;
    const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE";
    const block = node.type === "BLOCK_LITERAL" || node.type === "BLOCK_FOLDED";
    // A block's text starts on the line after its header (`|-`, `>2`, a comment).
    const headerEnd = block ? text.indexOf("\n", start) : -1;
    const contentStart = block
      ? headerEnd < 0
        ? valueEnd
        : headerEnd + 1
      : start + (quoted ? 1 : 0);
    const contentEnd = Math.max(contentStart, quoted ? valueEnd - 1 : valueEnd);
    if (!block && text.startsWith(value, contentStart) && contentStart + value.length <= contentEnd)
      return undefined;
    const starts = new Int32Array(value.length);
    const ends = new Int32Array(value.length);
    let at = contentStart;
    for (let i = 0; i < value.length; i++) {
      const char = value[i];
      for (;;) {
        if (at >= contentEnd) {
          starts[i] = ends[i] = contentEnd;
          break;
        }
        const source = text[at];
        if (node.type === "QUOTE_DOUBLE" && source === "\\") {
          const next = text[at + 1];
          if (next === "\n" || next === "\r") {
            // An escaped line break gives nothing; the next line's indentation neither.
            at += next === "\r" && text[at + 2] === "\n" ? 3 : 2;
            while (text[at] === " " || text[at] === "\t") at++;
            continue;
          }
          const escape = escapeAt(text, at);
          starts[i] = at;
          ends[i] = at + escape.length;
          if (escape.units === 2 && i + 1 < value.length) {
            i++;
            starts[i] = at;
            ends[i] = at + escape.length;
          }
          at += escape.length;
          break;
        }
        if (node.type === "QUOTE_SINGLE" && source === "'" && text[at + 1] === "'") {
          starts[i] = at;
          ends[i] = at + 2;
          at += 2;
          break;
        }
        if (source === char || (isBlank(char) && isBlank(source))) {
          starts[i] = at;
          ends[i] = at + 1;
          at++;
          break;
        }
        if (isBlank(char)) {
          // A blank the value has where the file has none (a folded line break already passed).
          starts[i] = ends[i] = at;
          break;
        }
        // A blank the value dropped (indentation, a folded line break), or anything unforeseen:
        // passed over, so the positions stay in order and inside the string.
        at++;
      }
    }
    return new ScalarPositions(starts, ends, contentStart, lines);
  }

  /** The file position of a range's start at `offset` in the value. */
  private start(offset: number): Position {
    const length = this.starts.length;
    if (length === 0) return this.lines.position(this.contentStart);
    return this.lines.position(
      offset < length ? this.starts[Math.max(0, offset)]! : this.ends[length - 1]!,
    );
  }

  /** The file position of a range's (exclusive) end at `offset` in the value. */
  private end(offset: number): Position {
    const length = this.ends.length;
    if (length === 0 || offset <= 0) return this.start(0);
    return this.lines.position(this.ends[Math.min(offset, length) - 1]!);
  }

  /**
   * `value` with every range in it (`{start, end}` positions at offsets into the value, as an
   * expression parsed from origin 0 gives them) moved to where its text stands in the file.
   */
  remap<T>(value: T): T {
    if (Array.isArray(value)) return value.map((item: unknown) => this.remap(item)) as T;
    if (typeof value !== "object" || value === null) return value;
    const object = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    const isRange = isOffset(object.start) && isOffset(object.end);
    for (const [key, child] of Object.entries(object)) {
      if (isRange && key === "start") result[key] = this.start((child as Position).offset);
      else if (isRange && key === "end") result[key] = this.end((child as Position).offset);
      else result[key] = this.remap(child);
    }
    return result as T;
  }
}

function isOffset(value: unknown): value is Position {
  return (
    typeof value === "object" && value !== null && typeof (value as Position).offset === "number"
  );
}
