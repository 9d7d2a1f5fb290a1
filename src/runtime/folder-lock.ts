// One writer per run folder: a lock file holding the writer's pid, taken over when that process is
// gone (a kill -9 leaves the file behind, and resuming after one must just work).

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CharterError } from "../errors.js";
import { JOURNAL_DIR } from "./run-folder.js";

const LOCK_FILE = "lock";

/** Take the folder's lock (the journal folder must exist); returns the function that frees it. */
export function lockRunFolder(dir: string): () => void {
  const path = join(dir, JOURNAL_DIR, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The newline marks a complete write: a lock torn by a crash mid-write is stale.
      writeFileSync(path, `${process.pid}\n`, { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const text = readFileSync(path, "utf8");
    const holder = text.endsWith("\n") ? Number(text.trim()) : NaN;
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder))
      throw new CharterError(
        "run-folder-busy",
        `${dir} is being written by process ${holder}; wait for it or stop it before resuming (if no Charter run is writing it, delete ${path})`,
      );
    rmSync(path, { force: true }); // its writer is gone
  }
  throw new CharterError("run-folder-busy", `${dir} is being taken by another process`);
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
