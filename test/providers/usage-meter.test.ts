// Usage totals per model and estimated cost from the (overridable) price table.
import { describe, expect, it } from "vitest";
import { costOf, DEFAULT_PRICES, findPrice, UsageMeter } from "../../src/providers/index.js";
import type { ChatResponse } from "../../src/providers/index.js";

const response = (
  inputTokens: number,
  outputTokens: number,
  extra: Partial<ChatResponse> = {},
): ChatResponse => ({
  text: "x",
  usage: { inputTokens, outputTokens, cachedTokens: 0 },
  model: "m",
  cached: false,
  latencyMs: 10,
  retries: 0,
  ...extra,
});

describe("UsageMeter", () => {
  it("prices a batch or flex model's calls at half the standard price, your prices too", () => {
    const meter = new UsageMeter({ prices: { "openai:mine": { input: 2, output: 4 } } });
    meter.recordResponse({ id: "openai:gpt-4o-mini", tier: "batch" }, response(1_000_000, 0));
    meter.recordResponse({ id: "openai:gpt-4o-mini@x", tier: "standard" }, response(1_000_000, 0));
    meter.recordResponse({ id: "openai:mine", tier: "flex" }, response(0, 1_000_000));
    const models = meter.snapshot().models;
    expect(models["openai:gpt-4o-mini"]?.costUsd).toBeCloseTo(0.075, 10);
    expect(models["openai:gpt-4o-mini@x"]?.costUsd).toBeCloseTo(0.15, 10);
    expect(models["openai:mine"]?.costUsd).toBeCloseTo(2, 10);
  });

  it("sums calls, tokens, latency and retries per model and in total", () => {
    const meter = new UsageMeter();
    const changes: number[] = [];
    meter.subscribe(() => changes.push(meter.snapshot().total.retries));
    // Retries and 429s are counted as they happen, before the call's response is recorded.
    meter.recordRateLimited("openai:gpt-4o-mini");
    meter.recordRetry("openai:gpt-4o-mini");
    meter.recordRetry("openai:gpt-4o-mini");
    expect(meter.snapshot().total).toMatchObject({ calls: 0, retries: 2, rateLimited: 1 });
    meter.recordResponse("openai:gpt-4o-mini", response(1000, 200, { retries: 2 }));
    meter.recordResponse("openai:gpt-4o-mini", response(500, 100));
    meter.recordResponse("anthropic:claude-sonnet-4-5", response(2000, 300));
    meter.recordRetry("anthropic:claude-sonnet-4-5");
    meter.recordRetry("anthropic:claude-sonnet-4-5");
    meter.recordFailure("anthropic:claude-sonnet-4-5");
    const { models, total } = meter.snapshot();
    expect(models["openai:gpt-4o-mini"]).toMatchObject({
      calls: 2,
      inputTokens: 1500,
      outputTokens: 300,
      retries: 2,
      latencyMs: 20,
    });
    // A request that failed for good was still sent: it counts as a call, and as a failure.
    expect(models["anthropic:claude-sonnet-4-5"]).toMatchObject({
      calls: 2,
      failures: 1,
      retries: 2,
    });
    expect(total).toMatchObject({
      calls: 4,
      failures: 1,
      inputTokens: 3500,
      outputTokens: 600,
      retries: 4,
      rateLimited: 1,
    });
    expect(changes).toEqual([0, 1, 2, 2, 2, 2, 3, 4, 4]);
    const expected = (1500 * 0.15 + 300 * 0.6 + 2000 * 3 + 300 * 15) / 1e6;
    expect(total.costUsd).toBeCloseTo(expected, 12);
  });

  it("prices provider-cached input tokens at the cached rate", () => {
    const price = { input: 2, output: 8, cachedInput: 0.5 };
    expect(
      costOf({ inputTokens: 1_000_000, outputTokens: 0, cachedTokens: 400_000 }, price),
    ).toBeCloseTo(1.4);
  });

  it("reports an unknown model's cost as unknown, not zero, and takes user prices", () => {
    const meter = new UsageMeter();
    meter.recordResponse("openai:my-local-llama", response(100, 10));
    meter.recordResponse("openai:gpt-4o-mini", response(100, 10));
    const snapshot = meter.snapshot();
    expect(snapshot.models["openai:my-local-llama"]?.costUsd).toBeNull();
    expect(snapshot.total.costUsd).toBeNull();
    const priced = new UsageMeter({ prices: { "openai:my-local-llama": { input: 0, output: 0 } } });
    priced.recordResponse("openai:my-local-llama", response(100, 10));
    expect(priced.snapshot().total.costUsd).toBe(0);
  });

  it("does not bill cache hits but counts what they saved", () => {
    const meter = new UsageMeter();
    meter.recordResponse("openai:gpt-4o", response(100, 10, { cached: true, latencyMs: 0 }));
    expect(meter.snapshot().total).toMatchObject({
      calls: 0,
      cacheHits: 1,
      inputTokens: 0,
      cacheHitInputTokens: 100,
      costUsd: 0,
    });
  });

  it("matches dated model versions by the longest price-table prefix", () => {
    expect(findPrice("openai:gpt-4o-mini-2024-07-18", DEFAULT_PRICES)).toBe(
      DEFAULT_PRICES["openai:gpt-4o-mini"],
    );
    expect(findPrice("openai:gpt-4o-2024-08-06", DEFAULT_PRICES)).toBe(
      DEFAULT_PRICES["openai:gpt-4o"],
    );
    expect(findPrice("openai:unknown", DEFAULT_PRICES)).toBeUndefined();
  });
});
