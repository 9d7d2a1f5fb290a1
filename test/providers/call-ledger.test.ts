// The CallLedger: one record per call (event, counters, cost), forks that keep concurrent
// branches in a fixed order, and counter names the run engine's progress display reads.
import { describe, expect, it } from "vitest";
import {
  CALL_COUNTERS,
  CallLedger,
  createModel,
  type ChatModel,
  type ChatRequest,
  type ChatResponse,
} from "../../src/providers/index.js";
import { COUNTER_NAMES } from "../../src/runtime/index.js";

/** Answers after `delayMs(request)`, so tests can make later calls finish first. */
function slowModel(delayMs: (request: ChatRequest) => number): ChatModel {
  return {
    id: "openai:gpt-4o-mini",
    capabilities: { logprobs: false, maxTopLogprobs: 0, assistantPrefill: false },
    complete: (request) =>
      new Promise<ChatResponse>((resolve) =>
        setTimeout(
          () =>
            resolve({
              text: `reply ${request.sampleIndex ?? 0}`,
              usage: { inputTokens: 1000, outputTokens: 100, cachedTokens: 0 },
              model: "gpt-4o-mini-2024-07-18",
              cached: false,
              latencyMs: 1,
              retries: 0,
            }),
          delayMs(request),
        ),
      ),
  };
}

const ask = (sampleIndex: number): { request: ChatRequest } => ({
  request: { messages: [{ role: "user", content: "hi" }], sampleIndex, purpose: "judge" },
});

describe("CallLedger", () => {
  it("counts under the names the run engine's progress display reads", () => {
    for (const [key, name] of Object.entries(COUNTER_NAMES))
      expect(CALL_COUNTERS[key as keyof typeof CALL_COUNTERS]).toBe(name);
  });

  it("keeps forks in the order they were taken, whatever order their calls finish in", async () => {
    const ledger = new CallLedger();
    const model = slowModel((request) => 30 - 10 * (request.sampleIndex ?? 0));
    await Promise.all([0, 1, 2].map((i) => ledger.fork({ branch: i }).complete(model, ask(i))));
    expect(ledger.trace().map((event) => [event.branch, event.reply])).toEqual([
      [0, "reply 0"],
      [1, "reply 1"],
      [2, "reply 2"],
    ]);
    expect(ledger.counters()).toMatchObject({
      calls: 3,
      "calls:judge": 3,
      inputTokens: 3000,
      "served-model:gpt-4o-mini-2024-07-18": 3,
    });
    expect(ledger.counters()["cost"]).toBeCloseTo((3 * (1000 * 0.15 + 100 * 0.6)) / 1e6, 12);
  });

  it("refuses concurrent calls on one ledger: their order would depend on timing", async () => {
    const ledger = new CallLedger();
    const model = slowModel(() => 5);
    const first = ledger.complete(model, ask(0));
    await expect(ledger.complete(model, ask(1))).rejects.toThrow(/fork\(\) one per branch/);
    await first;
  });

  it("prices a model without a price as unpriced, not free", async () => {
    const ledger = new CallLedger({ prices: { "openai:other": { input: 1, output: 1 } } });
    await ledger.complete(createModel("offline:rehearsal"), ask(0));
    await ledger.complete({ ...slowModel(() => 0), id: "openai:my-local" }, ask(0));
    expect(ledger.counters()).toMatchObject({ calls: 2, "calls-unpriced": 1, cost: 0 });
  });
});
