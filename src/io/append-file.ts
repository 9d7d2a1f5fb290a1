// Append-only files with crash-friendly semantics: each append is one write call, sizes are known,
// and a file can be cut back to a length it had. The run engine's journal and outputs use this.

import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import { FileWriteError } from "./file-errors.js";

/**
 * A file opened for appending. `append` hands the whole chunk to the kernel in one write call
 * (looping only if the kernel accepts part of it), so after a process crash (kill -9) the file
 * holds every completed append and at most one torn chunk at its end. `sync` adds power-loss
 * durability for callers that need it.
 *
 * @example
 * const file = AppendFile.open("out/journal.jsonl");
 * file.append(JSON.stringify(record) + "\n");
 * file.close();
 */
export class AppendFile {
  readonly path: string;
  private fd: number | undefined;
  private bytes: number;

  private constructor(path: string, fd: number, size: number) {
    this.path = path;
    this.fd = fd;
    this.bytes = size;
  }

  /** Open (creating if missing), optionally cutting the file back to `truncateTo` bytes first. */
  static open(path: string, truncateTo?: number): AppendFile {
    try {
      const fd = openSync(path, "a+");
      if (truncateTo !== undefined) ftruncateSync(fd, truncateTo);
      return new AppendFile(path, fd, fstatSync(fd).size);
    } catch (error) {
      throw new FileWriteError(path, error);
    }
  }

  /** Bytes in the file, including everything appended through this handle. */
  get size(): number {
    return this.bytes;
  }

  /** Append `text` (UTF-8) in one write call; returns the new size. */
  append(text: string): number {
    return this.appendBytes(Buffer.from(text, "utf8"));
  }

  appendBytes(buffer: Buffer): number {
    const fd = this.handle();
    try {
      let offset = 0;
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
    } catch (error) {
      throw new FileWriteError(this.path, error);
    }
    this.bytes += buffer.length;
    return this.bytes;
  }

  /** Cut the file back to `length` bytes (a length it had before). */
  truncate(length: number): void {
    try {
      ftruncateSync(this.handle(), length);
    } catch (error) {
      throw new FileWriteError(this.path, error);
    }
    this.bytes = length;
  }

  /** Flush to stable storage (power-loss durability; a process crash loses nothing without it). */
  sync(): void {
    try {
      fsyncSync(this.handle());
    } catch (error) {
      throw new FileWriteError(this.path, error);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private handle(): number {
    if (this.fd === undefined) throw new FileWriteError(this.path, new Error("file is closed"));
    return this.fd;
  }
}

/**
 * A JSON Lines file written one record per line, each record in one write call.
 *
 * @example
 * const writer = JsonLinesWriter.open("out/records.jsonl");
 * writer.write({ id: "a" });
 * writer.close();
 */
export class JsonLinesWriter {
  private constructor(private readonly file: AppendFile) {}

  static open(path: string, truncateTo?: number): JsonLinesWriter {
    return new JsonLinesWriter(AppendFile.open(path, truncateTo));
  }

  get size(): number {
    return this.file.size;
  }

  /** Append one record as one line; returns the new size in bytes. */
  write(record: unknown): number {
    return this.file.append(`${JSON.stringify(record)}\n`);
  }

  /** Append several records in one write call. */
  writeAll(records: readonly unknown[]): number {
    if (records.length === 0) return this.file.size;
    return this.file.append(records.map((record) => `${JSON.stringify(record)}\n`).join(""));
  }

  sync(): void {
    this.file.sync();
  }

  close(): void {
    this.file.close();
  }
}
