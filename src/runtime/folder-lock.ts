// One writer per run folder: a lock file naming the writer (pid and, where /proc tells, its start
// time), taken over when that writer is gone. A kill -9 leaves the file behind, and resuming right
// after one must just work, even while the killed process is still a zombie or its pid is reused.

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CharterError } from "../errors.js";
import { JOURNAL_DIR } from "./run-folder.js";

const LOCK_FILE = "lock";

/** Take the folder's lock (the journal folder must exist); returns the function that frees it. */
export function lockRunFolder(dir: string): () => void {
  const path = join(dir, JOURNAL_DIR, LOCK_FILE);
  const self = processStart(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      // The newline marks a complete write: a lock torn by a crash mid-write is stale.
      const text = self === undefined ? `${process.pid}\n` : `${process.pid} ${self}\n`;
      writeFileSync(path, text, { flag: "wx" });
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = parseLock(readFileSync(path, "utf8"));
    if (holder !== undefined && holderState(holder) === "alive")
      throw new CharterError(
        "run-folder-busy",
        `${dir} is being written by process ${holder.pid}; wait for it or stop it before resuming (if no Charter run is writing it, delete ${path})`,
      );
    rmSync(path, { force: true }); // its writer is gone
  }
  throw new CharterError("run-folder-busy", `${dir} is being taken by another process`);
}

export interface LockHolder {
  readonly pid: number;
  /** The holder's start time in clock ticks since boot (/proc/PID/stat field 22), if recorded. */
  readonly start?: number;
}

/** `PID [START]\n`; undefined for a torn or foreign file (then stale). */
export function parseLock(text: string): LockHolder | undefined {
  if (!text.endsWith("\n")) return undefined;
  const [pidText, startText, ...rest] = text.trim().split(" ");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0 || rest.length > 0) return undefined;
  if (startText === undefined) return { pid };
  const start = Number(startText);
  return Number.isInteger(start) && start >= 0 ? { pid, start } : undefined;
}

/**
 * Whether the lock's writer still runs. `gone`: no such process, a zombie (killed, not yet reaped
 * by a parent that may never reap it, as in containers whose first process does not), or a
 * different process that got the same pid (its start time differs from the one recorded).
 */
export function holderState(holder: LockHolder): "alive" | "gone" {
  if (holder.pid === process.pid) return "alive";
  const status = procStatus(holder.pid);
  if (status === "no-proc") return signalZeroAlive(holder.pid) ? "alive" : "gone";
  if (status === undefined) return "gone";
  if (status.state === "Z" || status.state === "X") return "gone";
  if (holder.start !== undefined && status.start !== holder.start) return "gone";
  return "alive";
}

/** A process's start time from /proc (Linux); undefined elsewhere. */
export function processStart(pid: number): number | undefined {
  const status = procStatus(pid);
  return status === undefined || status === "no-proc" ? undefined : status.start;
}

/**
 * State and start time from /proc/PID/stat: undefined when the process does not exist,
 * `no-proc` when this system has no /proc to ask.
 */
function procStatus(pid: number): { state: string; start: number } | undefined | "no-proc" {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ESRCH") return procAvailable() ? undefined : "no-proc";
    return "no-proc";
  }
  // `pid (comm) state ...`: comm may hold spaces and parentheses, so split after the last `)`.
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  const state = fields[0];
  const start = Number(fields[19]); // field 22 of the whole line
  if (state === undefined || !Number.isInteger(start)) return "no-proc";
  return { state, start };
}

let procChecked: boolean | undefined;
function procAvailable(): boolean {
  if (procChecked === undefined) {
    try {
      readFileSync("/proc/self/stat", "utf8");
      procChecked = true;
    } catch {
      procChecked = false;
    }
  }
  return procChecked;
}

function signalZeroAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
