// The built-in price table (USD per million tokens) and the lookup that turns usage into cost.

import type { ServiceTier } from "./types.js";

/** Prices for one model, USD per million tokens. `cachedInput` defaults to `input`. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  readonly cachedInput?: number;
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
  "anthropic:claude-opus-4-1": { input: 15, cachedInput: 1.5, output: 75 },
  "anthropic:claude-sonnet-4-5": { input: 3, cachedInput: 0.3, output: 15 },
  "anthropic:claude-sonnet-4": { input: 3, cachedInput: 0.3, output: 15 },
  "anthropic:claude-haiku-4-5": { input: 1, cachedInput: 0.1, output: 5 },
  "anthropic:claude-3-5-haiku": { input: 0.8, cachedInput: 0.08, output: 4 },
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
  return {
    input: listed.input * factor,
    output: listed.output * factor,
    ...(listed.cachedInput !== undefined ? { cachedInput: listed.cachedInput * factor } : {}),
  };
}

/** Cost in USD of billed tokens, or `null` when the model has no price (unknown is not free). */
export function costOf(
  tokens: {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cachedTokens: number;
  },
  price: ModelPrice | undefined,
): number | null {
  if (price === undefined) return null;
  const cached = Math.min(tokens.cachedTokens, tokens.inputTokens);
  const fresh = tokens.inputTokens - cached;
  return (
    (fresh * price.input +
      cached * (price.cachedInput ?? price.input) +
      tokens.outputTokens * price.output) /
    1_000_000
  );
}
