// The providers' prompt caches: OpenAI's `prompt_cache_key` for a request, and what a run's
// counters say the cache read, wrote and saved (stats.json's `promptCache`, the summary line).

import { CALL_COUNTERS } from "./call-ledger.js";
import { sha256Hex } from "../io/index.js";
import type { ChatRequest } from "./types.js";

/**
 * How much of a request's start names its cache group: a little more than the ~256 tokens OpenAI
 * routes on, so requests starting with the same system text and few-shots share a key.
 */
const KEY_PREFIX_CHARS = 2048;

/**
 * OpenAI's `prompt_cache_key` for a request: its purpose and a hash of its first characters
 * (the stable part, since every request puts its system text and few-shots first). Requests that
 * share a start are routed together, so the cache the first one fills serves the next. Never
 * holds prompt text.
 */
export function promptCacheKey(request: ChatRequest): string {
  let start = "";
  for (const message of request.messages) {
    start += `${message.role}\u0000${message.content}\u0000`;
    if (start.length >= KEY_PREFIX_CHARS) break;
  }
  return `charter-${request.purpose ?? "call"}-${sha256Hex(start.slice(0, KEY_PREFIX_CHARS)).slice(0, 16)}`;
}

/** A run's use of the providers' prompt caches, from its summed counters. */
export interface PromptCacheStats {
  /** Input tokens read from the cache (billed at the cached price). */
  readonly cachedTokens: number;
  /** Input tokens written to it (Anthropic bills them above the input price). */
  readonly cacheWriteTokens: number;
  /** Every input token of the calls made. */
  readonly inputTokens: number;
  /** cachedTokens ÷ inputTokens, rounded to 4 places. */
  readonly share: number;
  /**
   * USD saved against billing every input token fresh (negative when writes were never read);
   * null when no call that used the cache had a price.
   */
  readonly savingUsd: number | null;
}

/** stats.json's `promptCache`, or undefined when no call read or wrote a prompt cache. */
export function promptCacheStats(
  counters: Readonly<Record<string, number>>,
): PromptCacheStats | undefined {
  const cachedTokens = counters[CALL_COUNTERS.cachedTokens] ?? 0;
  const cacheWriteTokens = counters[CALL_COUNTERS.cacheWriteTokens] ?? 0;
  if (cachedTokens === 0 && cacheWriteTokens === 0) return undefined;
  const inputTokens = counters[CALL_COUNTERS.inputTokens] ?? 0;
  return {
    cachedTokens,
    cacheWriteTokens,
    inputTokens,
    share: inputTokens > 0 ? Math.round((cachedTokens / inputTokens) * 10_000) / 10_000 : 0,
    savingUsd: counters[CALL_COUNTERS.promptCacheSaving] ?? null,
  };
}

/** `{ promptCache }` to spread into stats.json, or nothing when the caches were not used. */
export function promptCacheSection(counters: Readonly<Record<string, number>>): {
  promptCache?: PromptCacheStats;
} {
  const stats = promptCacheStats(counters);
  return stats === undefined ? {} : { promptCache: stats };
}
