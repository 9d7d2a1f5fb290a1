import { readdirSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import {
  mergeShards,
  parseShard,
  runItems,
  shardOf,
  readManifest,
  readStats,
} from "../../src/runtime/index.js";
import { baseOptions, firstDifference, makeProcess, rows, tempFolders } from "./helpers.js";

const folder = tempFolders();

const delay = (item: { index: number }) => (item.index * 13) % 5;
const fails = (item: { index: number }) => item.index % 23 === 4;

describe("sharding", () => {
  it("assigns ids by a stable hash, spread over the shards", () => {
    expect(shardOf("item-1", 4)).toBe(shardOf("item-1", 4));
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 4000; n++) counts[shardOf(`item-${n}`, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(850);
    expect(parseShard(" 2/5 ")).toEqual({ index: 2, count: 5 });
    expect(() => parseShard("5/5")).toThrow(/0 <= i < n/);
    expect(() => parseShard("a/b")).toThrow(/i\/n/);
  });

  it("merges shard folders into the same bytes as an unsharded run", async () => {
    const whole = folder();
    await runItems({ ...baseOptions(whole, 150), process: makeProcess(delay, fails) });
    const shards = [0, 1, 2].map((index) => folder(`shard-${index}`));
    for (const [index, dir] of shards.entries()) {
      const summary = await runItems({
        ...baseOptions(dir, 150),
        process: makeProcess(delay, fails),
        shard: { index, count: 3 },
      });
      expect(summary.items).toBeGreaterThan(30);
      expect(readManifest(dir)?.shard).toBe(`${index}/3`);
    }
    const merged = folder("merged");
    const summary = await mergeShards([shards[2]!, shards[0]!, shards[1]!], merged);
    expect(summary).toEqual({ dir: merged, items: 150, done: 143, failed: 7 });
    expect(firstDifference(merged, whole)).toBe("");
    expect(readdirSync(dirname(merged))).toEqual(["merged"]); // built aside, then renamed
    expect(readStats(merged)?.counters).toEqual(readStats(whole)?.counters);
    expect(readStats(merged)?.failures.map((failure) => failure.id)).toEqual(
      readStats(whole)?.failures.map((failure) => failure.id),
    );
    expect(readManifest(merged)).toMatchObject({ shard: null, status: "complete-with-failures" });
  });

  it("refuses incomplete shard sets and unfinished shards", async () => {
    const a = folder("a");
    const b = folder("b");
    await runItems({ ...baseOptions(a, 20), shard: { index: 0, count: 2 } });
    await expect(mergeShards([a], folder("m1"))).rejects.toMatchObject({
      code: "shards-incomplete-set",
      message: "shards missing: 1/2",
    });
    const controller = new AbortController();
    controller.abort();
    await runItems({
      ...baseOptions(b, 20),
      shard: { index: 1, count: 2 },
      signal: controller.signal,
    });
    await expect(mergeShards([a, b], folder("m2"))).rejects.toMatchObject({
      code: "shard-incomplete",
    });
    await expect(
      runItems({ ...baseOptions(b, 20), items: rows(20), shard: { index: 0, count: 2 } }),
    ).rejects.toMatchObject({
      code: "run-settings-differ",
      message: expect.stringContaining('shard: "1/2" -> "0/2"'),
    });
  });
});
