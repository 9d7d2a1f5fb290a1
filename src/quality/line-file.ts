// Output files for filter and split: lines buffered into large writes, written under a temporary
// name and renamed into place when complete, so a failed or interrupted command never leaves a
// file that looks finished.

import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { FileWriteError } from "../io/index.js";

const FLUSH_AT = 1 << 20;

export class LineFile {
  private readonly temporary: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;
  lines = 0;

  constructor(readonly path: string) {
    this.temporary = `${path}.tmp-${process.pid}`;
    try {
      this.fd = openSync(this.temporary, "w");
    } catch (error) {
      throw new FileWriteError(path, error);
    }
  }

  /** Appends one line (`text` without its newline). */
  write(text: string): void {
    this.pending.push(text);
    this.pendingLength += text.length + 1;
    this.lines++;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    try {
      writeSync(this.fd, `${this.pending.join("\n")}\n`);
    } catch (error) {
      throw new FileWriteError(this.path, error);
    }
    this.pending = [];
    this.pendingLength = 0;
  }

  /** Flushes, closes and moves the file into place. */
  finish(): void {
    this.flush();
    closeSync(this.fd);
    try {
      renameSync(this.temporary, this.path);
    } catch (error) {
      throw new FileWriteError(this.path, error);
    }
  }
}
