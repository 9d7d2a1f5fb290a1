// Prompt caching through the real SDKs against the local server's cache stand-in
// (fixtures/prompt-cache-sim.ts: a block is ceil(chars / 4) tokens): Anthropic breakpoints on the
// stable start, reads and writes priced as billed; OpenAI cached tokens and prompt_cache_key.
import { describe, expect, it } from "vitest";
import { anthropicRequestBody } from "../../src/providers/anthropic-model.js";
import { openaiRequestBody } from "../../src/providers/openai-model.js";
import {
  CALL_COUNTERS,
  CallLedger,
  createModel,
  DEFAULT_PRICES,
  promptCacheKey,
  promptCacheStats,
  UsageMeter,
  type ChatMessage,
  type PriceTable,
} from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { tempDir } from "./helpers.js";

const server = useModelServer({ promptCache: {}, handler: () => ({ text: "ok" }) });

const system = "s".repeat(400); // 100 tokens
const first = "a".repeat(800); // 200
const reply = "b".repeat(400); // 100
const turn = (tokens: number, letter: string): ChatMessage => ({
  role: "user",
  content: letter.repeat(tokens * 4),
});
const conversation: ChatMessage[] = [
  { role: "system", content: system },
  { role: "user", content: first },
  { role: "assistant", content: reply },
];

const anthropicPrices: PriceTable = {
  "anthropic:claude-haiku-4-5": {
    input: 1,
    output: 5,
    cachedInput: 0.1,
    cacheWrite: 1.25,
    cacheWriteLong: 2,
  },
};

function anthropic(prices: PriceTable = anthropicPrices) {
  return createModel("anthropic:claude-haiku-4-5", {
    baseUrl: server.anthropicBaseUrl,
    apiKey: "k",
    noCache: true,
    cwd: tempDir(),
    usage: new UsageMeter({ prices }),
  });
}

describe("Anthropic prompt caching", () => {
  it("marks the system text, the last user turn and the turn before it", () => {
    const body = anthropicRequestBody("m", { messages: [...conversation, turn(10, "c")] });
    expect(body.system).toEqual([
      { type: "text", text: system, cache_control: { type: "ephemeral" } },
    ]);
    expect(body.messages.map((message) => typeof message.content !== "string")).toEqual([
      false,
      true,
      true,
    ]);
    const long = anthropicRequestBody(
      "m",
      { messages: [...conversation, turn(10, "c")] },
      {
        ttl: "1h",
      },
    );
    expect(long.system).toEqual([
      { type: "text", text: system, cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
    const none = anthropicRequestBody("m", { messages: conversation }, false);
    expect(none.system).toBe(system);
  });

  it("writes the stable start once, reads it on the next call, and prices both as billed", async () => {
    const model = anthropic();
    const ledger = new CallLedger({ prices: anthropicPrices });
    // 100 + 200 + 100 + 10 tokens, all written (nothing cached yet); one output token ("ok").
    const one = await ledger.fork().complete(model, {
      request: { messages: [...conversation, turn(10, "c")] },
    });
    expect(one.usage).toEqual({
      inputTokens: 410,
      outputTokens: 1,
      cachedTokens: 0,
      cacheWriteTokens: 410,
    });
    // The same conversation with another last turn: its first 400 tokens are read back.
    const two = await ledger.fork().complete(model, {
      request: { messages: [...conversation, turn(20, "d")] },
    });
    expect(two.usage).toEqual({
      inputTokens: 420,
      outputTokens: 1,
      cachedTokens: 400,
      cacheWriteTokens: 20,
    });
    const cost = (410 * 1.25 + 5 + (400 * 0.1 + 20 * 1.25 + 5)) / 1e6;
    const saving = (410 + 5 + 420 + 5) / 1e6 - cost;
    const counters = ledger.counters();
    expect(counters[CALL_COUNTERS.cost]).toBeCloseTo(cost, 15);
    expect(counters[CALL_COUNTERS.promptCacheSaving]).toBeCloseTo(saving, 15);
    expect(counters[CALL_COUNTERS.cacheWriteTokens]).toBe(430);
    expect(model.usage.snapshot().total).toMatchObject({
      cachedTokens: 400,
      cacheWriteTokens: 430,
    });
    expect(model.usage.snapshot().total.costUsd).toBeCloseTo(cost, 15);
    expect(model.usage.snapshot().total.promptCacheSavingUsd).toBeCloseTo(saving, 15);
    expect(promptCacheStats(counters)).toEqual({
      cachedTokens: 400,
      cacheWriteTokens: 430,
      inputTokens: 830,
      share: 0.4819,
      savingUsd: counters[CALL_COUNTERS.promptCacheSaving],
    });
  });

  it("leaves the saving unknown when no call that used the cache had a price", () => {
    expect(
      promptCacheStats({ [CALL_COUNTERS.cachedTokens]: 30, [CALL_COUNTERS.inputTokens]: 40 }),
    ).toEqual({
      cachedTokens: 30,
      cacheWriteTokens: 0,
      inputTokens: 40,
      share: 0.75,
      savingUsd: null,
    });
    expect(promptCacheStats({ [CALL_COUNTERS.inputTokens]: 40 })).toBeUndefined();
  });

  it("bills 1-hour writes at twice the input price", async () => {
    const ledger = new CallLedger({ prices: anthropicPrices });
    // As a batch's 1-hour writes are reported (usage scripted: the stand-in answers 5-minute ones).
    server.script({
      text: "ok",
      usage: {
        inputTokens: 410,
        outputTokens: 1,
        cacheWriteTokens: 410,
        cacheWriteLongTokens: 410,
      },
    });
    const reply = await ledger.complete(anthropic(), {
      request: { messages: [...conversation, turn(10, "c")] },
    });
    expect(reply.usage).toMatchObject({ cacheWriteTokens: 410, cacheWriteLongTokens: 410 });
    expect(ledger.counters()[CALL_COUNTERS.cost]).toBeCloseTo((410 * 2 + 5) / 1e6, 15);
  });

  it("lists the providers' cache prices: Anthropic writes 1.25x (5 min) and 2x (1 h), reads 0.1x", () => {
    expect(DEFAULT_PRICES["anthropic:claude-sonnet-4-5"]).toEqual({
      input: 3,
      output: 15,
      cachedInput: 0.30000000000000004,
      cacheWrite: 3.75,
      cacheWriteLong: 6,
    });
  });
});

describe("OpenAI prompt caching", () => {
  const prices: PriceTable = { "openai:gpt-4.1": { input: 2, output: 8, cachedInput: 0.5 } };

  it("counts the cached start of a repeated prompt and prices it at the cached rate", async () => {
    const model = createModel("openai:gpt-4.1", {
      baseUrl: server.openaiBaseUrl,
      apiKey: "k",
      noCache: true,
      cwd: tempDir(),
    });
    const ledger = new CallLedger({ prices });
    await ledger.fork().complete(model, { request: { messages: conversation.slice(0, 2) } });
    const again = await ledger.fork().complete(model, {
      request: { messages: [...conversation, turn(10, "c")] },
    });
    // system + first user turn (300 tokens) were seen: cached; 410 in all.
    expect(again.usage).toEqual({ inputTokens: 410, outputTokens: 1, cachedTokens: 300 });
    const cost = (300 * 2 + 8 + (300 * 0.5 + 110 * 2 + 8)) / 1e6;
    expect(ledger.counters()[CALL_COUNTERS.cost]).toBeCloseTo(cost, 15);
    expect(ledger.counters()[CALL_COUNTERS.promptCacheSaving]).toBeCloseTo((300 * 1.5) / 1e6, 15);
  });

  it("keys requests by purpose and their stable start, for the official API only", () => {
    const start: ChatMessage[] = [{ role: "system", content: "s".repeat(2100) }, ...conversation];
    const critique = { messages: [...start, turn(10, "c")], purpose: "critique" as const };
    const key = promptCacheKey(critique);
    expect(key).toMatch(/^charter-critique-[0-9a-f]{16}$/);
    // Another last turn after a long shared start: the same key; another purpose: another.
    expect(promptCacheKey({ ...critique, messages: [...start, turn(5, "x")] })).toBe(key);
    expect(promptCacheKey({ ...critique, messages: conversation })).not.toBe(key);
    expect(promptCacheKey({ ...critique, purpose: "revision" })).not.toBe(key);
    expect(openaiRequestBody("gpt-4.1", critique, true)).toMatchObject({ prompt_cache_key: key });
    expect(openaiRequestBody("llama", critique, false)).not.toHaveProperty("prompt_cache_key");
  });
});
