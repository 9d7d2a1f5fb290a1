// Whole-file writes that a crash cannot leave half-done: write a sibling, then rename over.

import { renameSync, writeFileSync } from "node:fs";
import { FileWriteError } from "./file-errors.js";

/** Replace `path` with `text` atomically (readers see the old or the new file, never a mix). */
export function writeFileAtomic(path: string, text: string): void {
  const temporary = `${path}.tmp-${process.pid}`;
  try {
    writeFileSync(temporary, text, "utf8");
    renameSync(temporary, path);
  } catch (error) {
    throw new FileWriteError(path, error);
  }
}

/** Write `value` as pretty JSON (two-space indent, trailing newline) atomically. */
export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
