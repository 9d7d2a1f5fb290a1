// Complete lines of a file with their byte offsets, streamed in chunks: for files Charter wrote
// itself (LF endings), where a crash may have left one torn line without its newline at the end.

import { open } from "node:fs/promises";
import { FileReadError } from "./file-errors.js";

/** A complete line: its text (no newline), where it starts and its length in bytes with the newline. */
export interface RawLine {
  readonly text: string;
  readonly offset: number;
  readonly bytes: number;
}

const CHUNK = 1 << 20;

/**
 * Every newline-terminated line of `file` from byte `start` up to byte `end` (default: the end).
 * A last line without a newline is not yielded: it is a torn write. Missing files yield nothing.
 *
 * @example
 * for await (const { text, offset } of readRawLines("run/.journal/journal.jsonl")) ...
 */
export async function* readRawLines(
  file: string,
  start = 0,
  end?: number,
): AsyncGenerator<RawLine> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new FileReadError(file, error);
  }
  try {
    const limit = end ?? (await handle.stat()).size;
    let position = start;
    let pending: Buffer = Buffer.alloc(0);
    let pendingOffset = start;
    while (position < limit) {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, limit - position));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data =
        pending.length > 0
          ? Buffer.concat([pending, buffer.subarray(0, bytesRead)])
          : buffer.subarray(0, bytesRead);
      let lineStart = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, lineStart)) {
        yield {
          text: data.toString("utf8", lineStart, newline),
          offset: pendingOffset + lineStart,
          bytes: newline + 1 - lineStart,
        };
        lineStart = newline + 1;
      }
      // Copy the unfinished tail so the whole chunk can be freed.
      pending = Buffer.from(data.subarray(lineStart));
      pendingOffset += lineStart;
    }
  } finally {
    await handle.close();
  }
}
