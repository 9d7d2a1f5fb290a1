// The run folder's lock after a kill -9: a dead holder, a zombie holder (killed, never reaped by
// its parent) and a reused pid (another process, another start time) never block a resume; a
// live holder does. Real processes, real /proc.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { holderState, lockRunFolder, processStart } from "../../src/runtime/folder-lock.js";
import { tempFolders } from "./helpers.js";

const folder = tempFolders();
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});

function lockedFolder(text: string): string {
  const dir = folder();
  mkdirSync(join(dir, ".journal"), { recursive: true });
  writeFileSync(join(dir, ".journal/lock"), text);
  return dir;
}

function statState(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

/** A process that stays a zombie: its parent (a shell turned into `sleep`) never reaps it. */
async function zombie(): Promise<number> {
  const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 30"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  children.push(parent);
  const pid = await new Promise<number>((resolve) =>
    parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  );
  for (let i = 0; i < 200 && statState(pid) !== "Z"; i++)
    await new Promise((resolve) => setTimeout(resolve, 10));
  return pid;
}

function sleeper(): number {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  children.push(child);
  return child.pid as number;
}

const onLinux = existsSync("/proc/self/stat");

describe("lockRunFolder", () => {
  it("records the holder's pid and start time, and frees the lock", () => {
    const dir = folder();
    mkdirSync(join(dir, ".journal"), { recursive: true });
    const path = join(dir, ".journal/lock");
    const unlock = lockRunFolder(dir);
    const start = processStart(process.pid);
    expect(readFileSync(path, "utf8")).toBe(
      start === undefined ? `${process.pid}\n` : `${process.pid} ${start}\n`,
    );
    unlock();
    expect(existsSync(path)).toBe(false);
  });

  it("is refused while the holder lives (same pid, same start time)", () => {
    const pid = sleeper();
    const start = processStart(pid);
    const dir = lockedFolder(start === undefined ? `${pid}\n` : `${pid} ${start}\n`);
    expect(() => lockRunFolder(dir)).toThrow(`is being written by process ${pid}`);
    // A lock written before start times were recorded still counts while its pid lives.
    const old = lockedFolder(`${pid}\n`);
    expect(() => lockRunFolder(old)).toThrow(`is being written by process ${pid}`);
  });

  it("is taken over from a holder that is gone", () => {
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid as number;
    expect(holderState({ pid: dead })).toBe("gone");
    lockRunFolder(lockedFolder(`${dead}\n`))();
  });

  it.runIf(onLinux)("is taken over from a zombie holder (killed, never reaped)", async () => {
    const pid = await zombie();
    expect(statState(pid)).toBe("Z");
    // The old check: signal 0 reaches a zombie, so it looked alive.
    expect(() => process.kill(pid, 0)).not.toThrow();
    expect(holderState({ pid })).toBe("gone");
    const start = processStart(pid);
    lockRunFolder(lockedFolder(`${pid} ${start}\n`))();
    lockRunFolder(lockedFolder(`${pid}\n`))();
  });

  it.runIf(onLinux)("is taken over when the pid now belongs to another process", () => {
    const pid = sleeper();
    const start = processStart(pid) as number;
    expect(holderState({ pid, start })).toBe("alive");
    expect(holderState({ pid, start: start - 1 })).toBe("gone");
    lockRunFolder(lockedFolder(`${pid} ${start - 1}\n`))();
  });

  it("treats a torn or foreign lock file as stale", () => {
    lockRunFolder(lockedFolder(`${process.ppid}`))();
    lockRunFolder(lockedFolder("not a pid\n"))();
  });
});
