// Counts every call's tokens, latency, retries and failures per model, and prices them.

import type { BatchProgress } from "./batch-collector.js";
import { CALL_COUNTERS, tallyCall } from "./call-ledger.js";
import type { PriceTable } from "./prices.js";
import type { ChatModel, ChatResponse } from "./types.js";

/** Totals for one model (or for all). Tokens served from Charter's cache are counted apart. */
export interface ModelUsage {
  /** Requests sent, whether they succeeded or failed for good (cache hits excluded). */
  readonly calls: number;
  /** Of those, requests that failed for good (after retries). */
  readonly failures: number;
  /** Retries spent, over successes and failures; counted as each one starts. */
  readonly retries: number;
  /** Attempts the server refused as rate-limited (429), retried or not; counted as they come. */
  readonly rateLimited: number;
  /** Billed input tokens (includes `cachedTokens`). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens the provider served from its prompt cache (billed at the cached price). */
  readonly cachedTokens: number;
  /** Input tokens written to the provider's prompt cache (Anthropic bills them above input). */
  readonly cacheWriteTokens: number;
  /** Sum of call latencies. */
  readonly latencyMs: number;
  /** Responses served from Charter's response cache: no call, no cost. */
  readonly cacheHits: number;
  /** Tokens those cached responses originally used (what the cache saved). */
  readonly cacheHitInputTokens: number;
  readonly cacheHitOutputTokens: number;
  /** Estimated USD for the billed tokens, each call at its tier; `null` when a model's price is unknown. */
  readonly costUsd: number | null;
  /** USD the provider's prompt cache saved (priced calls only). */
  readonly promptCacheSavingUsd: number;
}

export interface UsageSnapshot {
  /** Keyed by model id as the user named it (`openai:gpt-4o-mini`). */
  readonly models: Readonly<Record<string, ModelUsage>>;
  readonly total: ModelUsage;
}

type MutableCounters = {
  -readonly [K in Exclude<keyof ModelUsage, "costUsd" | "promptCacheSavingUsd">]: number;
} & {
  /** Priced calls' cost and saving, summed call by call (each at its own tier). */
  cost: number;
  saving: number;
  /** Calls without a price: the cost is unknown. */
  unpriced: number;
};

const ZERO: MutableCounters = {
  calls: 0,
  failures: 0,
  retries: 0,
  rateLimited: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  latencyMs: 0,
  cacheHits: 0,
  cacheHitInputTokens: 0,
  cacheHitOutputTokens: 0,
  cost: 0,
  saving: 0,
  unpriced: 0,
};

/**
 * Shared by every model of a run; the phases read `snapshot()` for stats and progress.
 *
 * @example
 * const usage = new UsageMeter({ prices: { "openai:my-model": { input: 1, output: 2 } } });
 * const model = createModel("openai:gpt-4o-mini", { usage });
 * // ... calls ...
 * usage.snapshot().total.costUsd;
 */
export class UsageMeter {
  /** Told after every change, so a progress display shows retries and failures as they happen. */
  readonly #listeners = new Set<() => void>();
  readonly #counters = new Map<string, MutableCounters>();
  readonly #prices: PriceTable | undefined;
  /** Batch-tier models' batches in flight, by model id. */
  readonly #batches = new Map<string, readonly BatchProgress[]>();

  /** `prices` win over the built-in table, which applies only at official endpoints (priceFor). */
  constructor(options: { readonly prices?: PriceTable } = {}) {
    this.#prices = options.prices;
  }

  /** Records a response (a call, or a cache hit when `response.cached`), as a CallLedger counts it. */
  recordResponse(
    model: string | Pick<ChatModel, "id" | "officialEndpoint" | "tier">,
    response: ChatResponse,
  ): void {
    const priced: Pick<ChatModel, "id" | "officialEndpoint" | "tier"> =
      typeof model === "string" ? { id: model } : model;
    const modelId = priced.id;
    const counters = this.#for(modelId);
    const tally: Record<string, number> = {};
    tallyCall(tally, response, this.#prices ?? {}, priced);
    const of = (name: string): number => tally[name] ?? 0;
    // Retries are not taken from the response: recordRetry counted each as it started.
    counters.calls += of(CALL_COUNTERS.calls);
    counters.inputTokens += of(CALL_COUNTERS.inputTokens);
    counters.outputTokens += of(CALL_COUNTERS.outputTokens);
    counters.cachedTokens += of(CALL_COUNTERS.cachedTokens);
    counters.cacheWriteTokens += of(CALL_COUNTERS.cacheWriteTokens);
    counters.cacheHits += of(CALL_COUNTERS.cacheHits);
    counters.cost += of(CALL_COUNTERS.cost);
    counters.saving += of(CALL_COUNTERS.promptCacheSaving);
    counters.unpriced += of(CALL_COUNTERS.unpriced);
    // What the ledger does not keep per item: the cache's savings and the time spent.
    if (response.cached) {
      counters.cacheHitInputTokens += response.usage.inputTokens;
      counters.cacheHitOutputTokens += response.usage.outputTokens;
    } else {
      counters.latencyMs += response.latencyMs;
    }
    this.#changed();
  }

  /** Records an attempt the server refused as rate-limited (429), when the answer comes. */
  recordRateLimited(modelId: string): void {
    this.#for(modelId).rateLimited += 1;
    this.#changed();
  }

  /**
   * Records a retry as it starts (the item may take minutes more): the one count of retries, so a
   * progress display shows them while they happen.
   */
  recordRetry(modelId: string): void {
    this.#for(modelId).retries += 1;
    this.#changed();
  }

  /**
   * Records a request that failed for good (sent, so counted as a call); its retries were
   * counted by recordRetry as they started.
   */
  recordFailure(modelId: string): void {
    const counters = this.#for(modelId);
    counters.calls += 1;
    counters.failures += 1;
    this.#changed();
  }

  /** Calls `listener` after each recorded response, retry or failure; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The batches a batch-tier model follows now (its collector tells after every status check). */
  recordBatches(modelId: string, batches: readonly BatchProgress[]): void {
    this.#batches.set(modelId, batches);
    this.#changed();
  }

  /** Every model's batches in flight, for the progress line. */
  batches(): readonly BatchProgress[] {
    return [...this.#batches.values()].flat();
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }

  /** A copy of the totals so far, with estimated costs. */
  snapshot(): UsageSnapshot {
    const models: Record<string, ModelUsage> = {};
    const total: MutableCounters = { ...ZERO };
    let totalCost: number | null = 0;
    for (const [id, counters] of [...this.#counters].sort(([a], [b]) => a.localeCompare(b))) {
      // Failed calls are counted but never answered, so they carry no tokens and no price: only an
      // answered call without a price makes the cost unknown.
      const cost = counters.unpriced > 0 ? null : counters.cost;
      models[id] = usageOf(counters, cost);
      for (const key of Object.keys(total) as (keyof MutableCounters)[])
        total[key] += counters[key];
      totalCost = totalCost === null || cost === null ? null : totalCost + cost;
    }
    return { models, total: usageOf(total, totalCost) };
  }

  #for(modelId: string): MutableCounters {
    let counters = this.#counters.get(modelId);
    if (counters === undefined) {
      counters = { ...ZERO };
      this.#counters.set(modelId, counters);
    }
    return counters;
  }
}

function usageOf(counters: MutableCounters, costUsd: number | null): ModelUsage {
  const { cost: _cost, saving, unpriced: _unpriced, ...rest } = counters;
  return { ...rest, costUsd, promptCacheSavingUsd: saving };
}
