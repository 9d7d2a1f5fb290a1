// Counting decides when the batch tier sends: a run whose items reach their batched call at
// different times (one item first waits on a slow standard-tier call) still sends one batch per
// step, because the collector waits until the engine waits and every call waits on a batch. Without
// the engine's count (a library caller's loop) the quiet timer decides, and the step splits.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CallActivity, createModel } from "../../src/providers/index.js";
import { runItems, type WorkItem } from "../../src/runtime/index.js";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";

let server: ModelServer;
beforeAll(async () => {
  // The slow question takes well over the quiet timer's 200 ms.
  server = await startModelServer({
    handler: (request) =>
      request.rawBody.includes("slow question") ? { delayMs: 700 } : undefined,
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

async function* items(count: number): AsyncIterable<WorkItem<number>> {
  for (let index = 0; index < count; index++) yield { index, id: `item-${index}`, input: index };
}

/** Six items; item 0 first asks a standard-tier model, then every item asks the batch model. */
async function run(countEngine: boolean): Promise<string[][]> {
  const dir = mkdtempSync(join(tmpdir(), "charter-batch-activity-"));
  const activity = new CallActivity();
  const common = { baseUrl: server.openaiBaseUrl, apiKey: "k", env: {}, activity };
  const standard = createModel("openai:fixture-model", { ...common, cacheDir: join(dir, "c1") });
  const batch = createModel("openai:fixture-model", {
    ...common,
    cacheDir: join(dir, "c2"),
    tier: "batch",
    batchPollMs: 10,
  });
  const summary = await runItems({
    dir: join(dir, "run"),
    command: "test",
    settings: {},
    seed: 1,
    outputFiles: ["out.jsonl"],
    items: items(6),
    concurrency: 6,
    ...(countEngine ? { activity } : {}),
    process: async (item) => {
      if (item.index === 0)
        await standard.complete({ messages: [{ role: "user", content: "slow question" }] });
      const reply = await batch.complete({
        messages: [{ role: "user", content: `question ${item.id}` }],
      });
      return { outputs: { "out.jsonl": [{ id: item.id, reply: reply.text }] }, trace: [] };
    },
  });
  expect(summary.status).toBe("complete");
  return [...server.batches.batches.values()].map((stored) =>
    stored.lines.map((line) => line.customId),
  );
}

describe("CallActivity", () => {
  it("sends one batch for the step, whenever each item reaches it", async () => {
    const batches = await run(true);
    expect(batches.map((lines) => lines.length)).toEqual([6]);
    // Same run again: the same batch file, line for line (custom_id order).
    server.reset();
    expect(await run(true)).toEqual(batches);
    expect([...(batches[0] ?? [])].sort()).toEqual(batches[0]);
  });

  it("hands a large step's results out in slices, and the next step is still one batch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-batch-activity-"));
    const activity = new CallActivity();
    const batch = createModel("openai:fixture-model", {
      baseUrl: server.openaiBaseUrl,
      apiKey: "k",
      env: {},
      activity,
      cacheDir: join(dir, "cache"),
      tier: "batch",
      batchPollMs: 10,
    });
    // The most calls at work at once (a delivered reply being cached, before the next question).
    let most = 0;
    const ask = async (content: string) => {
      const reply = await batch.complete({ messages: [{ role: "user", content }] });
      most = Math.max(most, activity.working);
      return reply.text;
    };
    const summary = await runItems({
      dir: join(dir, "run"),
      command: "test",
      settings: {},
      seed: 1,
      outputFiles: ["out.jsonl"],
      items: items(2_500),
      concurrency: 2_500,
      activity,
      process: async (item) => {
        const first = await ask(`first ${item.id}`);
        const second = await ask(`second ${item.id} after ${first.length}`);
        return { outputs: { "out.jsonl": [{ id: item.id, second }] }, trace: [] };
      },
    });
    expect(summary.status).toBe("complete");
    expect([...server.batches.batches.values()].map((stored) => stored.lines.length)).toEqual([
      2_500, 2_500,
    ]);
    // A slice, plus the calls still at work when it started (at most a quarter of a slice).
    expect(most).toBeLessThanOrEqual(1_250);
  }, 60_000);

  it("without the engine's count, falls back to the quiet timer (the step splits)", async () => {
    const batches = await run(false);
    expect(batches.map((lines) => lines.length)).toEqual([5, 1]);
  });
});
