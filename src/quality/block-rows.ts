// The rows of a block of a JSONL file held in memory (a worker's share of the file): lines split
// on LF and read as `readTextLines` reads them (CRLF, a leading byte-order mark, blank lines
// skipped but counted), each parsed and brought to a DatasetRow as `readDatasetRows` does.

import { lineText } from "../io/index.js";
import { RowShapeError, type DatasetRow, type LayoutReader } from "../datasets/index.js";

/** What a block's reader is told, line by line, in file order. */
export interface BlockRowHandlers {
  /** A row, and where its line is in the block (bytes, without the newline). */
  row(row: DatasetRow, start: number, end: number): void;
  /** A line that is not valid JSON (`json`) or not a row of the format (`shape`). Returns whether
   * to go on. */
  invalid(kind: "json" | "shape", line: number, message: string): boolean;
}

/** The text of the line `line` spanning bytes [start, end) of `bytes`. */
export function blockLineText(bytes: Buffer, start: number, end: number, line: number): string {
  return lineText(bytes.toString("utf8", start, end), line);
}

/**
 * Reads every line of `bytes` (the first being line `firstLine`; a last line without a newline is
 * read too), in order, until the end or until `invalid` returns false.
 */
export function readBlockRows(
  bytes: Buffer,
  firstLine: number,
  reader: LayoutReader,
  handlers: BlockRowHandlers,
): void {
  let line = firstLine;
  for (let start = 0; start < bytes.length; line++) {
    let end = bytes.indexOf(10, start);
    if (end < 0) end = bytes.length;
    const next = end + 1;
    const text = blockLineText(bytes, start, end, line);
    if (text.trim() !== "") {
      let value: unknown;
      let parsed = true;
      try {
        value = JSON.parse(text);
      } catch (error) {
        parsed = false;
        const message = error instanceof Error ? error.message : String(error);
        if (!handlers.invalid("json", line, message)) return;
      }
      if (parsed) {
        let row: DatasetRow | undefined;
        try {
          row = reader.read(value, line);
        } catch (error) {
          if (!(error instanceof RowShapeError)) throw error;
          if (!handlers.invalid("shape", line, error.message)) return;
        }
        if (row !== undefined) handlers.row(row, start, end);
      }
    }
    start = next;
  }
}
