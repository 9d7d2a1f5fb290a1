import { describe, expect, it } from "vitest";
import {
  createProgressReporter,
  fixedClock,
  formatCount,
  formatProgress,
  type LiveCallCounts,
  type LiveCalls,
  type RunProgress,
} from "../../src/runtime/index.js";

function progress(done: number, extra: Partial<RunProgress> = {}): RunProgress {
  return { done, failed: 0, resumed: 0, counters: {}, ...extra };
}

/** A live source whose counts the test sets, telling its listeners on each change. */
function liveSource(): LiveCalls & { set(counts: Partial<LiveCallCounts>): void } {
  let counts: LiveCallCounts = { calls: 0, retries: 0, rateLimited: 0, failed: 0 };
  const listeners = new Set<() => void>();
  return {
    read: () => counts,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(change) {
      counts = { ...counts, ...change };
      for (const listener of listeners) listener();
    },
  };
}

function sink() {
  const chunks: string[] = [];
  return { chunks, stream: { write: (chunk: string) => chunks.push(chunk) } };
}

describe("formatCount", () => {
  it("groups digits as en-US does, without loading ICU's locale data", () => {
    for (const value of [
      0,
      7,
      12,
      999,
      1000,
      12345,
      123456,
      1234567,
      -1,
      -1000,
      -9876543,
      2 ** 53 - 1,
    ])
      expect(formatCount(value)).toBe(value.toLocaleString("en-US"));
    expect(formatCount(2.5)).toBe("2.5");
  });
});

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

  it("names what the run counts, the method and the 429s", () => {
    const line = formatProgress(
      progress(3, { total: 8, counters: { calls: 6, retries: 2, rateLimited: 2 } }),
      3000,
      0,
      { label: "judge", unit: "pairs", method: "vote" },
    );
    expect(line).toBe(
      "judge vote 3/8 pairs · 6 calls (2 retries, 2 rate-limited (429)) · 1.0 pairs/s · ETA 5s",
    );
  });

  it("leaves out what it does not know and counts only this run's items in the rate", () => {
    expect(formatProgress(progress(50), 10_000, 40, { label: "judge" })).toBe(
      "judge 50 items · 1.0 items/s",
    );
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

  it("shows live retries, 429s and failures between settled items, on top of resumed counts", () => {
    const { chunks, stream } = sink();
    const live = liveSource();
    let now = 0;
    const reporter = createProgressReporter({
      stream,
      isTTY: false,
      clock: { now: () => now },
      intervalMs: 10_000,
      troubleIntervalMs: 0,
      label: "judge",
      unit: "pairs",
      live,
    });
    // The first report is the resumed part: 5 calls and 1 retry from an earlier run.
    reporter.update(progress(2, { total: 4, counters: { calls: 5, retries: 1 } }));
    expect(chunks).toEqual(["judge 2/4 pairs · 5 calls (1 retries)\n"]);
    now = 10;
    live.set({ rateLimited: 1 });
    live.set({ retries: 1 });
    live.set({ failed: 1, calls: 1 });
    expect(chunks.slice(1)).toEqual([
      "judge 2/4 pairs · 5 calls (1 retries, 1 rate-limited (429))\n",
      "judge 2/4 pairs · 5 calls (2 retries, 1 rate-limited (429))\n",
      "judge 2/4 pairs · 6 calls (2 retries, 1 rate-limited (429), 1 failed)\n",
    ]);
    // A settled item (its calls already counted live) draws nothing new before the interval;
    // finish prints the last state once, and a second finish nothing.
    reporter.update(progress(3, { total: 4, failed: 1, counters: { calls: 6, retries: 2 } }));
    expect(chunks).toHaveLength(4);
    reporter.finish();
    reporter.finish();
    live.set({ retries: 5 });
    expect(chunks).toHaveLength(5);
    expect(chunks.at(-1)).toMatch(/^judge 4\/4 pairs \(1 failed\) · 6 calls \(2 retries/);
  });

  it("draws the final line once on a terminal, even when it is what the last redraw showed", () => {
    const { chunks, stream } = sink();
    const reporter = createProgressReporter({
      stream,
      isTTY: true,
      clock: fixedClock(0, 1000),
      label: "score",
      unit: "rows",
    });
    reporter.update(progress(1, { total: 1 }));
    reporter.finish();
    expect(chunks).toHaveLength(2);
    expect(chunks[0]).toMatch(/^\rscore 1\/1 rows/);
    expect(chunks[1]).toBe("\n");
  });
});
