// `charter report` reads a Phase 1 trace once: the fold and inspect's run metrics share one read
// through a bounded hand-over queue. Shown by counting the opens of trace.jsonl, and the queue's
// own rules: order kept, the producer held at capacity, never held by a gone reader.
import { cpSync, rmSync } from "node:fs";
import type * as FsPromises from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { inspectDataset } from "../../src/quality/index.js";
import { readRun } from "../../src/report/index.js";
import { TraceHandOver } from "../../src/report/shared-trace.js";
import { tempDir } from "../providers/helpers.js";
import { makeRunFixtures, type RunFixtures } from "./run-fixtures.js";

// Every file the readers open, to count the reads of trace.jsonl (the real `open` does the work).
const opened = vi.hoisted((): string[] => []);
vi.mock("node:fs/promises", async (importOriginal) => {
  const real = await importOriginal<typeof FsPromises>();
  return {
    ...real,
    open: (...args: Parameters<typeof real.open>) => {
      opened.push(String(args[0]));
      return real.open(...args);
    },
  };
});

async function* numbered(count: number): AsyncGenerator<Record<string, unknown>> {
  for (let index = 0; index < count; index++) yield { index };
}

async function drain(events: AsyncIterable<Record<string, unknown>>): Promise<number[]> {
  const seen: number[] = [];
  for await (const event of events) seen.push(event.index as number);
  return seen;
}

describe("TraceHandOver", () => {
  it("gives the consumer every event the fold reads, in order", async () => {
    const handOver = new TraceHandOver(8, 3);
    const [folded, consumed] = await Promise.all([
      drain(handOver.tee(numbered(100))),
      drain(handOver),
    ]);
    expect(folded).toEqual([...Array(100).keys()]);
    expect(consumed).toEqual(folded);
  });

  it("holds the producer once `capacity` events are unread, until the consumer reads", async () => {
    const handOver = new TraceHandOver(4, 1);
    for (let index = 0; index < 3; index++) expect(handOver.push({ index })).toBeUndefined();
    const full = handOver.push({ index: 3 });
    expect(full).toBeInstanceOf(Promise);
    let released = false;
    void full?.then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(released).toBe(false);
    const reader = handOver[Symbol.asyncIterator]();
    expect((await reader.next()).value).toEqual({ index: 0 });
    await full;
    expect(released).toBe(true);
    await reader.return(undefined);
  });

  it("never holds the producer once the consumer is gone (stopped early or never started)", async () => {
    const early = new TraceHandOver(2, 1);
    const consumer = (async () => {
      for await (const event of early) if (event.index === 1) break;
    })();
    expect(await drain(early.tee(numbered(50)))).toHaveLength(50);
    await consumer;

    const never = new TraceHandOver(2, 1);
    never.abandon();
    expect(await drain(never.tee(numbered(50)))).toHaveLength(50);
  });
});

describe("charter report reads the trace once", () => {
  let runs: RunFixtures;
  beforeAll(async () => {
    runs = await makeRunFixtures();
  });

  it("opens trace.jsonl once, and inspect's metrics are those `charter inspect` gives", async () => {
    const trace = join(runs.revise, "trace.jsonl");
    const opens = (): number => opened.filter((file) => file === trace).length;
    const before = opens();
    const report = await readRun(runs.revise);
    // Twice before the hand-over: the report's fold, then inspect's run metrics.
    expect(opens() - before).toBe(1);
    const alone = await inspectDataset(runs.revise, { skipInvalid: true });
    expect(opens() - before).toBe(2);
    expect(report.quality).toEqual(alone);
    expect(report.quality?.run?.rounds).toBeGreaterThan(0);
    expect(report.quality?.badTargets.unchanged.source).toBe("trace");
  });

  it("still reads a run whose trace is missing, noting it, with inspect's own reason", async () => {
    const dir = tempDir();
    try {
      const folder = join(dir, "run");
      cpSync(runs.revise, folder, { recursive: true });
      rmSync(join(folder, "trace.jsonl"));
      const report = await readRun(folder);
      expect(report.overview.notes).toEqual([
        "trace.jsonl is missing: no items to show",
        expect.stringMatching(/^charter inspect could not read this run: /),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
