import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runItems, readManifest, type WorkItem } from "../../src/runtime/index.js";
import {
  baseOptions,
  firstDifference,
  makeProcess,
  rows,
  sleep,
  tempFolders,
  type Row,
} from "./helpers.js";

const folder = tempFolders();

describe("cancellation", () => {
  it("stops on the signal, aborts in-flight items, writes none of them, and resumes", async () => {
    const reference = folder();
    await runItems({
      ...baseOptions(reference, 80),
      process: makeProcess((item) => item.index % 7),
    });
    const dir = folder();
    const controller = new AbortController();
    const seenAborted: string[] = [];
    const slow = makeProcess((item) => item.index % 7);
    const summary = await runItems({
      ...baseOptions(dir, 80),
      concurrency: 6,
      signal: controller.signal,
      process: async (item, context) => {
        if (item.index === 30) setTimeout(() => controller.abort(), 1);
        try {
          return await (item.index >= 30
            ? sleep(1000, context.signal).then(() => slow(item, context))
            : slow(item, context));
        } catch (error) {
          if (context.signal.aborted) seenAborted.push(item.id);
          throw error;
        }
      },
    });
    expect(summary.status).toBe("interrupted");
    expect(summary.failed).toBe(0);
    expect(seenAborted).toContain("item-30");
    expect(readManifest(dir)?.status).toBe("interrupted");
    const sft = readFileSync(join(dir, "sft.jsonl"), "utf8");
    expect(sft).not.toContain("item-30");
    const resumed = await runItems({
      ...baseOptions(dir, 80),
      process: makeProcess((item) => item.index % 7),
    });
    expect(resumed.status).toBe("complete");
    expect(resumed.resumed).toBeGreaterThan(20);
    expect(firstDifference(dir, reference)).toBe("");
  });

  it("rethrows an input error after keeping what finished, leaving the folder resumable", async () => {
    const dir = folder();
    async function* broken(): AsyncGenerator<WorkItem<Row>> {
      yield* rows(10);
      throw new Error("input.jsonl:11: not valid JSON");
    }
    await expect(runItems({ ...baseOptions(dir, 10), items: broken() })).rejects.toThrow(
      /input.jsonl:11/,
    );
    expect(readManifest(dir)?.status).toBe("interrupted");
    const resumed = await runItems(baseOptions(dir, 12));
    expect(resumed).toMatchObject({ status: "complete", done: 12, resumed: 10 });
  });
});

describe("memory", () => {
  it("keeps the reorder buffer within 4 x concurrency over 200,000 items, reading lazily", async () => {
    const dir = folder();
    let read = 0;
    let maxAhead = 0;
    let finished = 0;
    async function* counted(): AsyncGenerator<WorkItem<Row>> {
      for await (const item of rows(200_000)) {
        read += 1;
        maxAhead = Math.max(maxAhead, read - finished);
        yield item;
      }
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const summary = await runItems({
      ...baseOptions(dir, 0),
      concurrency: 8,
      items: counted(),
      outputFiles: ["sft.jsonl"],
      process: async (item) => {
        // The first item is slow, so every other item must wait in the reorder buffer behind it.
        if (item.index === 0) await sleep(30);
        finished += 1;
        return { outputs: { "sft.jsonl": [{ i: item.index }] }, trace: [] };
      },
    });
    const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
    expect(summary.done).toBe(200_000);
    expect(summary.peakBuffered).toBeLessThanOrEqual(32);
    expect(maxAhead).toBeLessThanOrEqual(33);
    expect(heapGrowth).toBeLessThan(64 * 1024 * 1024);
  }, 30_000);
});
