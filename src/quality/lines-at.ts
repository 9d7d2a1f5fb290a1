// Some lines of a file by number, for the short second reads of inspect and filter (the ids of a
// few rows found in the first pass): the bytes are searched for newlines and only the lines asked
// for are decoded, so the read costs a fraction of parsing the file again.

import { open } from "node:fs/promises";
import { FileReadError } from "../io/index.js";

const CHUNK = 1 << 20;

/**
 * The text of each line in `lines` (1-based, numbered as `readTextLines` numbers them: split on
 * LF, a CRLF's CR and a leading byte-order mark removed), reading no further than the last one.
 *
 * @example
 * const texts = await linesAt("data.jsonl", new Set([3, 17])); // Map { 3 => "{...}", 17 => "{...}" }
 */
export async function linesAt(
  file: string,
  lines: ReadonlySet<number>,
): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  if (lines.size === 0) return texts;
  const last = Math.max(...lines);
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    throw new FileReadError(file, error);
  }
  try {
    let number = 1;
    // The start of a wanted line that runs past the chunk it starts in.
    let pending: Buffer[] = [];
    let position = 0;
    const keep = (line: Buffer): void => {
      let text = line.toString("utf8");
      if (text.endsWith("\r")) text = text.slice(0, -1);
      if (number === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
      texts.set(number, text);
    };
    for (;;) {
      const buffer = Buffer.allocUnsafe(CHUNK);
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
        if (lines.has(number)) keep(Buffer.concat([...pending, data.subarray(start, newline)]));
        pending = [];
        if (number === last) return texts;
        number++;
        start = newline + 1;
      }
      if (lines.has(number) && start < data.length) pending.push(data.subarray(start));
    }
    if (lines.has(number) && pending.length > 0) keep(Buffer.concat(pending));
    return texts;
  } finally {
    await handle.close();
  }
}
