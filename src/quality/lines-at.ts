// Some lines of a file by number, for the short second reads of inspect and filter (the ids of a
// few rows found in the first pass): the bytes are searched for newlines and only the lines asked
// for are decoded, so the read costs a fraction of parsing the file again.

import { open } from "node:fs/promises";
import { FileReadError } from "../io/index.js";

const CHUNK = 1 << 20;

/** One line of a file: its number and its text. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/**
 * The lines whose numbers are in `lines`, in file order (1-based, numbered as `readTextLines`
 * numbers them: split on LF, a CRLF's CR and a leading byte-order mark removed), streamed and
 * reading no further than the last one.
 *
 * @example
 * for await (const { line, text } of linesAt("data.jsonl", new Set([3, 17]))) ...
 */
export async function* linesAt(
  file: string,
  lines: ReadonlySet<number>,
): AsyncGenerator<NumberedLine> {
  if (lines.size === 0) return;
  const last = Math.max(...lines);
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new FileReadError(file, error);
  }
  try {
    let number = 1;
    // The start of a wanted line that runs past the chunk it starts in (copied: the one read
    // buffer is reused, so a long file costs no garbage beyond the lines asked for).
    let pending: Buffer[] = [];
    const buffer = Buffer.allocUnsafe(CHUNK);
    let position = 0;
    const decode = (line: Buffer): NumberedLine => {
      let text = line.toString("utf8");
      if (text.endsWith("\r")) text = text.slice(0, -1);
      if (number === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
      return { line: number, text };
    };
    for (;;) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, CHUNK, position));
      } catch (error) {
        throw new FileReadError(file, error);
      }
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = buffer.subarray(0, bytesRead);
      let start = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, start)) {
        if (lines.has(number))
          yield decode(Buffer.concat([...pending, data.subarray(start, newline)]));
        pending = [];
        if (number === last) return;
        number++;
        start = newline + 1;
      }
      if (lines.has(number) && start < data.length) pending.push(Buffer.from(data.subarray(start)));
    }
    if (lines.has(number) && pending.length > 0) yield decode(Buffer.concat(pending));
  } finally {
    await handle.close();
  }
}
