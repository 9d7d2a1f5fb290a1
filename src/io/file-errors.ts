// Failures of the file system (missing file, disk full, permissions) as typed Charter errors.

import { CharterError } from "../errors.js";

/** Reading or writing `file` failed; the message says which and why. */
export class FileAccessError extends CharterError {
  readonly file: string;

  constructor(code: string, action: string, file: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(code, `cannot ${action} ${file}: ${reason}`, { cause });
    this.file = file;
  }
}

/** A file could not be opened or read (code `file-read-failed`). */
export class FileReadError extends FileAccessError {
  constructor(file: string, cause: unknown) {
    super("file-read-failed", "read", file, cause);
  }
}

/** Writing a file failed (code `file-write-failed`). */
export class FileWriteError extends FileAccessError {
  constructor(file: string, cause: unknown) {
    super("file-write-failed", "write", file, cause);
  }
}
