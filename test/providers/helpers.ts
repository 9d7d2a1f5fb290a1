// Shared helpers for provider tests: a fake clock that skips sleeps, and temp folders.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../src/providers/index.js";

/** A clock whose sleeps return at once and move time forward; `sleeps` records each wait. */
export function fakeClock(
  start = Date.now(),
): Clock & { sleeps: number[]; advance(ms: number): void } {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: (ms, signal) => {
      if (signal?.aborted === true) return Promise.reject(signal.reason);
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
}

export const tempDir = (label = "charter-test-"): string => mkdtempSync(join(tmpdir(), label));

export const ask = (content: string) => ({ messages: [{ role: "user" as const, content }] });
