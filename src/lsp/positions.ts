// Where the compiler's positions land in an editor: the compiler counts 1-based lines and columns
// and a 0-based offset into the JavaScript string (UTF-16 code units); LSP counts 0-based lines and
// UTF-16 characters. Offsets are the one measure both agree on, so ranges map through them.

import type { Position, Range } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { DiagnosticPosition } from "../dsl/index.js";

/** The part of a compiler range the mapping reads (a `SourceRange` or a `DiagnosticRange`). */
export interface CompilerRange {
  readonly start: DiagnosticPosition;
  readonly end: DiagnosticPosition;
}

/** Line starts of a text, to turn offsets into LSP positions (and back) without a TextDocument. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code === 13 /* \r */) {
        if (text.charCodeAt(index + 1) === 10) index++;
        this.starts.push(index + 1);
      } else if (code === 10 /* \n */) {
        this.starts.push(index + 1);
      }
    }
  }

  static of(document: TextDocument): LineMap {
    return new LineMap(document.getText());
  }

  /** The LSP position of a 0-based offset (clamped to the text). */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] as number) <= clamped) low = middle;
      else high = middle - 1;
    }
    return { line: low, character: clamped - (this.starts[low] as number) };
  }

  /** The 0-based offset of an LSP position (clamped to its line). */
  offsetAt(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, position.line)] as number;
    const next = this.starts[position.line + 1] ?? this.text.length;
    return Math.min(start + Math.max(0, position.character), next);
  }

  /** A compiler range as an LSP range. */
  range(range: CompilerRange): Range {
    return { start: this.positionAt(range.start.offset), end: this.positionAt(range.end.offset) };
  }
}

/**
 * A compiler range as an LSP range when the text is not at hand (a file that could not be read):
 * lines and columns shift to 0-based; right for every line of ASCII text.
 */
export function rangeFromLines(range: CompilerRange): Range {
  const at = (position: DiagnosticPosition): Position => ({
    line: Math.max(0, position.line - 1),
    character: Math.max(0, position.column - 1),
  });
  return { start: at(range.start), end: at(range.end) };
}

/** Whether an offset lies within a compiler range (the end counts: the cursor sits after a word). */
export function containsOffset(range: CompilerRange, offset: number): boolean {
  return range.start.offset <= offset && offset <= range.end.offset;
}
