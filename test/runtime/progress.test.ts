import { describe, expect, it } from "vitest";
import {
  createProgressReporter,
  fixedClock,
  formatProgress,
  type RunProgress,
} from "../../src/runtime/index.js";

function progress(done: number, extra: Partial<RunProgress> = {}): RunProgress {
  return { done, failed: 0, resumed: 0, counters: {}, ...extra };
}

function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (chunk: string) => chunks.push(chunk) } };
}

describe("formatProgress", () => {
  it("shows items, calls, tokens, cost, rate and ETA", () => {
    const line = formatProgress(
      progress(118, {
        failed: 2,
        total: 1000,
        counters: { calls: 480, inputTokens: 90_000, outputTokens: 6_000, cost: 0.1234 },
      }),
      30_000,
    );
    expect(line).toBe(
      "120/1,000 items (2 failed) · 480 calls · 96.0k tokens · $0.12 · 4.0 items/s · ETA 3m 40s",
    );
  });

  it("shows retries and failed calls beside the calls, as they are counted", () => {
    const line = formatProgress(
      progress(10, { counters: { calls: 40, retries: 209, "calls-failed": 3 } }),
      0,
    );
    expect(line).toBe("10 items · 40 calls (209 retries, 3 failed)");
  });

  it("leaves out what it does not know and counts only this run's items in the rate", () => {
    expect(formatProgress(progress(50), 10_000, 40, "judge")).toBe("judge 50 items · 1.0 items/s");
    expect(formatProgress(progress(0), 0)).toBe("0 items");
  });
});

describe("createProgressReporter", () => {
  it("rewrites one line on a terminal and ends it on finish", () => {
    const { chunks, stream } = sink();
    const reporter = createProgressReporter({
      stream,
      isTTY: true,
      clock: fixedClock(0, 60),
      intervalMs: 100,
    });
    reporter.update(progress(1));
    reporter.update(progress(2));
    reporter.update(progress(3));
    reporter.finish();
    expect(chunks.every((chunk) => chunk === "\n" || chunk.startsWith("\r"))).toBe(true);
    expect(chunks.at(-1)).toBe("\n");
    expect(chunks.at(-2)).toMatch(/^\r3 items/);
    expect(chunks.length).toBeLessThan(5);
  });

  it("prints plain lines when not a terminal, and nothing when quiet", () => {
    const plain = sink();
    const reporter = createProgressReporter({
      stream: plain.stream,
      isTTY: false,
      clock: fixedClock(0, 1000),
      intervalMs: 2500,
    });
    for (let n = 1; n <= 10; n++) reporter.update(progress(n));
    reporter.finish();
    expect(
      plain.chunks.every((chunk) => chunk.endsWith("items/s\n") || /items\n$/.test(chunk)),
    ).toBe(true);
    expect(plain.chunks.length).toBeGreaterThan(2);
    expect(plain.chunks.length).toBeLessThan(8);
    const quiet = sink();
    const silent = createProgressReporter({ stream: quiet.stream, isTTY: true, quiet: true });
    silent.update(progress(1));
    silent.finish();
    expect(quiet.chunks).toEqual([]);
  });
});
