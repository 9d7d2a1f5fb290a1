import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runItems, readManifest, readStats } from "../../src/runtime/index.js";
import { CharterError } from "../../src/errors.js";
import { baseOptions, makeProcess, orderedBytes, rows, tempFolders } from "./helpers.js";

const folder = tempFolders();

/** Random but seeded delays, so completion order differs from input order. */
const scrambled = (item: { index: number }) => ((item.index * 7919) % 13) + 1;

describe("runItems", () => {
  it("writes records in input order, byte-identical at concurrency 1 and 16", async () => {
    const one = folder();
    const sixteen = folder();
    const a = await runItems({
      ...baseOptions(one, 60),
      concurrency: 1,
      process: makeProcess(scrambled),
    });
    const b = await runItems({
      ...baseOptions(sixteen, 60),
      concurrency: 16,
      process: makeProcess(scrambled),
    });
    expect(a.status).toBe("complete");
    expect(b.done).toBe(60);
    expect(orderedBytes(one)).toEqual(orderedBytes(sixteen));
    const sft = readFileSync(join(one, "sft.jsonl"), "utf8").trim().split("\n");
    const ids = sft.map((line) => (JSON.parse(line) as { id: string }).id);
    expect(ids).toEqual(
      Array.from({ length: 60 }, (_, i) => i)
        .filter((i) => i % 5 !== 0)
        .map((i) => `item-${i}`),
    );
    const trace = readFileSync(join(one, "trace.jsonl"), "utf8").trim().split("\n");
    expect(trace[0]).toMatch(/^\{"item":"item-0","type":"call","draw":\d+\}$/);
    expect(trace).toHaveLength(120);
  });

  it("writes manifest and stats with the injected clock", async () => {
    const dir = folder();
    await runItems({
      ...baseOptions(dir, 10),
      extraStats: (summary) => ({ callsPerItem: (summary.counters.calls ?? 0) / summary.items }),
    });
    const manifest = readManifest(dir);
    expect(manifest).toMatchObject({
      command: "revise",
      seed: 7,
      shard: null,
      status: "complete",
      startedAt: "2026-01-01T00:00:00.000Z",
      settings: { revisions: 2 },
      manifestInfo: { models: ["offline:rehearsal"] },
    });
    expect(manifest?.charterVersion).toMatch(/^\d+\.\d+\.\d+/);
    const stats = readStats(dir);
    expect(stats).toMatchObject({ items: 10, done: 10, failed: 0, resumed: 0 });
    expect(stats).toMatchObject({ callsPerItem: 2 });
    expect(stats?.timing).toMatchObject({ startedAt: "2026-01-01T00:00:00.000Z" });
    expect(stats?.counters).toEqual({ calls: 20, inputTokens: 10 * 10 + (0 + 1 + 2) * 3 + 0 });
  });

  it("records failures, keeps order, and retries failed items on the next run", async () => {
    const dir = folder();
    const first = await runItems({
      ...baseOptions(dir, 30),
      process: makeProcess(scrambled, (item) => item.index === 3 || item.index === 17),
    });
    expect(first.status).toBe("complete-with-failures");
    expect(first.failures).toEqual([
      { index: 3, id: "item-3", code: "test-failure", message: "boom item-3" },
      { index: 17, id: "item-17", code: "test-failure", message: "boom item-17" },
    ]);
    expect(readStats(dir)?.failures.map((failure) => failure.index)).toEqual([3, 17]);
    const sftIds = readFileSync(join(dir, "sft.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: string }).id);
    expect(sftIds).not.toContain("item-3");
    expect(sftIds.indexOf("item-18")).toBe(sftIds.indexOf("item-16") + 1);

    let calls = 0;
    const retry = makeProcess(scrambled);
    const second = await runItems({
      ...baseOptions(dir, 30),
      items: rows(30),
      process: (item, context) => {
        calls += 1;
        return retry(item, context);
      },
    });
    expect(calls).toBe(2);
    expect(second).toMatchObject({ status: "complete", failed: 0, done: 30, resumed: 28 });
    const clean = folder();
    await runItems({ ...baseOptions(clean, 30), process: makeProcess(scrambled) });
    expect(orderedBytes(dir)).toEqual(orderedBytes(clean));
  });

  it("refuses to resume with different settings, naming each difference", async () => {
    const dir = folder();
    await runItems({
      ...baseOptions(dir, 5),
      process: makeProcess(
        () => 0,
        (item) => item.index === 1,
      ),
    });
    const attempt = runItems({
      ...baseOptions(dir, 5),
      seed: 8,
      settings: { revisions: 3, model: "offline:rehearsal" },
    });
    await expect(attempt).rejects.toBeInstanceOf(CharterError);
    await expect(
      runItems({
        ...baseOptions(dir, 5),
        seed: 8,
        settings: { revisions: 3, model: "offline:rehearsal" },
      }),
    ).rejects.toMatchObject({
      code: "run-settings-differ",
      message: expect.stringMatching(/seed: 7 -> 8[\s\S]*revisions: 2 -> 3[\s\S]*new --out folder/),
    });
  });

  it("treats a finished folder as already complete and leaves it byte-identical", async () => {
    const dir = folder();
    await runItems(baseOptions(dir, 12));
    const files = [
      ...["sft.jsonl", "pairs.jsonl", "trace.jsonl"],
      "manifest.json",
      "stats.json",
      ".journal/journal.jsonl",
    ];
    const before = orderedBytes(dir, files);
    let calls = 0;
    const again = await runItems({
      ...baseOptions(dir, 12),
      process: async () => {
        calls += 1;
        return { outputs: {}, trace: [] };
      },
    });
    expect(before[".journal/journal.jsonl"]).toMatch(/^\{"t":"commit","next":12,[^\n]*\}\n$/); // compacted
    expect(again.status).toBe("already-complete");
    expect(again.done).toBe(12);
    expect(calls).toBe(0);
    expect(orderedBytes(dir, files)).toEqual(before);
  });

  it("refuses a folder another live process is writing, and takes over a dead one's lock", async () => {
    const dir = folder();
    await runItems({
      ...baseOptions(dir, 6),
      process: makeProcess(
        () => 0,
        (item) => item.index === 2,
      ),
    });
    writeFileSync(join(dir, ".journal/lock"), `${process.ppid}\n`);
    await expect(runItems(baseOptions(dir, 6))).rejects.toMatchObject({ code: "run-folder-busy" });
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(dir, ".journal/lock"), `${dead}\n`);
    const summary = await runItems(baseOptions(dir, 6));
    expect(summary.status).toBe("complete");
    expect(existsSync(join(dir, ".journal/lock"))).toBe(false);
  });

  it("records an outcome that is not JSON, or names an unknown file, as the item's failure", async () => {
    const dir = folder();
    const summary = await runItems({
      ...baseOptions(dir, 3),
      process: async (item) => ({
        outputs: { "sft.jsonl": [item.index === 1 ? { big: 1n } : { id: item.id }] },
        trace: [],
      }),
    });
    expect(summary.failures).toEqual([
      {
        index: 1,
        id: "item-1",
        code: "item-outcome-not-json",
        message: expect.stringMatching(/BigInt/),
      },
    ]);
    expect(readFileSync(join(dir, "sft.jsonl"), "utf8")).toBe('{"id":"item-0"}\n{"id":"item-2"}\n');
    const other = folder();
    const typo = await runItems({
      ...baseOptions(other, 2),
      process: async (item) => ({ outputs: { "stf.jsonl": [{ id: item.id }] }, trace: [] }),
    });
    expect(typo.failures[0]).toMatchObject({
      code: "unknown-output-file",
      message: "outputs for stf.jsonl, which this run does not write (sft.jsonl, pairs.jsonl)",
    });
  });

  it("refuses to resume when the input changed under the written part", async () => {
    const dir = folder();
    const controller = new AbortController();
    await runItems({
      ...baseOptions(dir, 40),
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done >= 20) controller.abort();
      },
    });
    async function* edited() {
      for await (const item of rows(40)) yield item.index === 3 ? { ...item, id: "edited" } : item;
    }
    await expect(runItems({ ...baseOptions(dir, 40), items: edited() })).rejects.toMatchObject({
      code: "run-input-changed",
    });
    await expect(runItems(baseOptions(dir, 5))).rejects.toMatchObject({
      code: "run-input-changed",
    });
    const resumed = await runItems(baseOptions(dir, 40));
    expect(resumed).toMatchObject({ status: "complete", done: 40 });
  });
});
