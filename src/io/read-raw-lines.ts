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
export function readRawLines(file: string, start = 0, end?: number): AsyncGenerator<RawLine> {
  return splitLines(file, {
    start,
    ...(end === undefined ? {} : { end }),
    unterminated: false,
    missingIsEmpty: true,
  });
}

export interface SplitOptions {
  readonly start?: number;
  readonly end?: number;
  /** Also yield a last line that has no newline. */
  readonly unterminated: boolean;
  /** A missing file yields nothing instead of throwing FileReadError. */
  readonly missingIsEmpty: boolean;
}

/** The lines of a file split on LF only, read in chunks, decoded one line at a time. */
export async function* splitLines(file: string, options: SplitOptions): AsyncGenerator<RawLine> {
  let handle;
  try {
    handle = await open(file, "r");
  } catch (error) {
    if (options.missingIsEmpty && (error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new FileReadError(file, error);
  }
  try {
    const start = options.start ?? 0;
    const limit = options.end ?? (await handle.stat()).size;
    let position = start;
    // The start of an unfinished line, kept as the chunks it spans (joined once, when it ends,
    // so a line of any length costs linear time).
    let pending: Buffer[] = [];
    let pendingOffset = start;
    while (position < limit) {
      // A fresh buffer per chunk: `pending` may keep slices of it.
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, limit - position));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buffer, 0, buffer.length, position));
      } catch (error) {
        throw new FileReadError(file, error);
      }
      if (bytesRead === 0) break;
      const chunkOffset = position;
      position += bytesRead;
      const data = buffer.subarray(0, bytesRead);
      let lineStart = 0;
      for (let newline = data.indexOf(10); newline !== -1; newline = data.indexOf(10, lineStart)) {
        const tail = data.subarray(lineStart, newline);
        const line = pending.length > 0 ? Buffer.concat([...pending, tail]) : tail;
        const offset = pending.length > 0 ? pendingOffset : chunkOffset + lineStart;
        pending = [];
        yield { text: line.toString("utf8"), offset, bytes: line.length + 1 };
        lineStart = newline + 1;
      }
      if (lineStart < data.length) {
        if (pending.length === 0) pendingOffset = chunkOffset + lineStart;
        pending.push(data.subarray(lineStart));
      }
    }
    if (options.unterminated && pending.length > 0) {
      const line = Buffer.concat(pending);
      yield { text: line.toString("utf8"), offset: pendingOffset, bytes: line.length };
    }
  } finally {
    await handle.close();
  }
}
