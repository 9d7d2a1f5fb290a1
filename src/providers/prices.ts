// The built-in price table (USD per million tokens) and the lookup that turns usage into cost.

import type { ServiceTier } from "./types.js";

/**
 * Prices for one model at the standard tier, USD per million tokens. `cachedInput` (prompt-cache
 * reads) and `cacheWrite` (prompt-cache writes, 5-minute lifetime) default to `input`;
 * `cacheWriteLong` (1-hour lifetime) defaults to `cacheWrite`. Other tiers are these times
 * TIER_PRICE_FACTOR.
 */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
  readonly cacheWrite?: number;
  readonly cacheWriteLong?: number;
}

/**
 * Anthropic bills prompt-cache writes at 1.25 times the input price (5-minute lifetime) or twice
 * it (1 hour), and reads at a tenth of it; OpenAI writes for free and bills reads at a per-model
 * discount (the table's `cachedInput`).
 */
function anthropicPrice(input: number, output: number): ModelPrice {
  return {
    input,
    output,
    cachedInput: input * 0.1,
    cacheWrite: input * 1.25,
    cacheWriteLong: input * 2,
  };
}

/** Keyed by `provider:model` (a prefix matches dated versions, e.g. `gpt-4o-mini-2024-07-18`). */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/**
 * List prices as published by OpenAI and Anthropic in 2025. They change: override them with the
 * `prices` option (or `prices` in the run config) rather than trusting these for billing.
 */
export const DEFAULT_PRICES: PriceTable = {
  "openai:gpt-4o": { input: 2.5, cachedInput: 1.25, output: 10 },
  "openai:gpt-4o-mini": { input: 0.15, cachedInput: 0.075, output: 0.6 },
  "openai:gpt-4.1": { input: 2, cachedInput: 0.5, output: 8 },
  "openai:gpt-4.1-mini": { input: 0.4, cachedInput: 0.1, output: 1.6 },
  "openai:gpt-4.1-nano": { input: 0.1, cachedInput: 0.025, output: 0.4 },
  "openai:o4-mini": { input: 1.1, cachedInput: 0.275, output: 4.4 },
  "anthropic:claude-opus-4-1": anthropicPrice(15, 75),
  "anthropic:claude-sonnet-4-5": anthropicPrice(3, 15),
  "anthropic:claude-sonnet-4": anthropicPrice(3, 15),
  "anthropic:claude-haiku-4-5": anthropicPrice(1, 5),
  "anthropic:claude-3-5-haiku": anthropicPrice(0.8, 4),
  "offline:rehearsal": { input: 0, output: 0 },
};

/** The built-in table with `overrides` merged over it (yours win), to show; calls are priced by priceFor. */
export function mergePrices(overrides: PriceTable | undefined): PriceTable {
  return overrides === undefined ? DEFAULT_PRICES : { ...DEFAULT_PRICES, ...overrides };
}

/** The price for a model id: exact match first, then the longest table key that prefixes it. */
export function findPrice(modelId: string, table: PriceTable): ModelPrice | undefined {
  const exact = table[modelId];
  if (exact !== undefined) return exact;
  let best: string | undefined;
  for (const key of Object.keys(table))
    if (modelId.startsWith(key) && (best === undefined || key.length > best.length)) best = key;
  return best === undefined ? undefined : table[best];
}

/**
 * What a tier's tokens cost against the standard price. OpenAI's Batch API and flex processing and
 * Anthropic's Message Batches all bill half the standard price, input, cached input and output alike.
 */
export const TIER_PRICE_FACTOR: Readonly<Record<ServiceTier, number>> = {
  standard: 1,
  flex: 0.5,
  batch: 0.5,
};

/**
 * The one price lookup of a call: a price you gave (by the model's id, or its id without the
 * `@URL`) wins; the built-in list prices apply only at the provider's official endpoint, so a
 * local server's `gpt-4o-mini` has unknown cost rather than OpenAI's.
 */
export function priceFor(
  model: {
    readonly id: string;
    readonly officialEndpoint?: boolean;
    readonly tier?: ServiceTier | undefined;
  },
  yours: PriceTable | undefined,
): ModelPrice | undefined {
  const listed = ((): ModelPrice | undefined => {
    if (yours !== undefined) {
      const bare = model.id.replace(/@https?:\/\/.*$/i, "");
      const given = findPrice(model.id, yours) ?? findPrice(bare, yours);
      if (given !== undefined) return given;
    }
    return model.officialEndpoint === false ? undefined : findPrice(model.id, DEFAULT_PRICES);
  })();
  // Prices (yours too) are standard list prices; a discounted tier scales every part of them.
  const factor = TIER_PRICE_FACTOR[model.tier ?? "standard"];
  if (listed === undefined || factor === 1) return listed;
  const scaled: Record<string, number> = {};
  for (const [part, value] of Object.entries(listed)) scaled[part] = value * factor;
  return scaled as unknown as ModelPrice;
}

/** Billed tokens: every input token in `inputTokens`, of which some read from or written to the prompt cache. */
export interface BilledTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly cacheWriteTokens?: number;
  readonly cacheWriteLongTokens?: number;
}

/**
 * Cost in USD of billed tokens at `price` (priceFor's, already at the model's tier), or `null`
 * when the model has no price (unknown is not free).
 */
export function costOf(tokens: BilledTokens, price: ModelPrice | undefined): number | null {
  if (price === undefined) return null;
  const cached = Math.min(tokens.cachedTokens, tokens.inputTokens);
  const writes = Math.min(tokens.cacheWriteTokens ?? 0, tokens.inputTokens - cached);
  const longWrites = Math.min(tokens.cacheWriteLongTokens ?? 0, writes);
  const fresh = tokens.inputTokens - cached - writes;
  const cacheWrite = price.cacheWrite ?? price.input;
  return (
    (fresh * price.input +
      cached * (price.cachedInput ?? price.input) +
      (writes - longWrites) * cacheWrite +
      longWrites * (price.cacheWriteLong ?? cacheWrite) +
      tokens.outputTokens * price.output) /
    1_000_000
  );
}

/**
 * What the provider's prompt cache saved in USD: the cost of the same tokens with every input
 * token billed fresh, less the cost as billed (negative when cache writes were never read back).
 * `null` without a price.
 */
export function promptCacheSaving(
  tokens: BilledTokens,
  price: ModelPrice | undefined,
): number | null {
  const billed = costOf(tokens, price);
  const uncached = costOf(
    { inputTokens: tokens.inputTokens, outputTokens: tokens.outputTokens, cachedTokens: 0 },
    price,
  );
  return billed === null || uncached === null ? null : uncached - billed;
}
