// The seam between one provider's wire format and the shared machinery (pool, retries, cache, usage).

import type { ProviderErrorCode } from "./errors.js";
import type { ChatRequest, ModelCapabilities, ServiceTier, TokenLogprob, Usage } from "./types.js";

export type ProviderName = "openai" | "openai-completions" | "anthropic" | "offline";

/** What one successful call returned, before Charter adds cache, latency and retry counts. */
export interface TransportReply {
  readonly text: string;
  readonly logprobs?: readonly TokenLogprob[];
  readonly usage: Usage;
  readonly model: string;
  readonly finishReason?: string;
}

/**
 * One provider's calls. `send` makes exactly one attempt; it throws a `TransportFailure` (or
 * anything else, treated as a connection problem) and never retries by itself.
 */
export interface Transport {
  readonly provider: ProviderName;
  readonly model: string;
  /** Where requests go, for the cache key: e.g. `openai-official` or a custom host. Never a key. */
  readonly endpoint: string;
  /** The base URL requests go to, for messages (credentials in it removed); absent offline. */
  readonly url?: string;
  readonly capabilities: ModelCapabilities;
  /** Whether replies cost something and are worth caching on disk. */
  readonly remote: boolean;
  /** The provider's documented defaults, filled into the cache key so `{}` and explicit defaults match. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** Secrets to scrub from anything this transport lets out (errors). */
  readonly secrets: readonly string[];
  send(request: ChatRequest, signal: AbortSignal): Promise<TransportReply>;
}

/** One failed attempt, classified so the retry layer can decide. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: ProviderErrorCode,
    message: string,
    readonly status?: number,
    /** Milliseconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TransportFailure";
  }
}

/** Parameter defaults common to the chat APIs, for cache keys; transports override what differs. */
export const COMMON_DEFAULTS: Readonly<Record<string, unknown>> = {
  temperature: 1,
  topP: null,
  maxTokens: null,
  stop: [],
  logprobs: false,
  topLogprobs: 0,
  seed: null,
};

/**
 * The SDKs' own timeout, set far out: Charter's per-attempt timeout (managed-model.ts) is the one
 * that counts, and it aborts the SDK call through its signal.
 */
export const SDK_TIMEOUT_MS = 24 * 60 * 60 * 1000;

/** Runs `load` on first call and shares its promise after: the SDKs load only when first used. */
export function lazily<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/** What a hosted provider's transport needs: resolved by createModel, key included. */
export interface HostedTransportOptions {
  readonly model: string;
  readonly apiKey: string;
  /** Undefined: the provider's official API. */
  readonly baseUrl: string | undefined;
  readonly now: () => number;
  /** Absent: standard. createModel has checked the provider takes it (checkTier). */
  readonly tier?: ServiceTier;
}

/** The cache key's endpoint: `official`, or a custom server's host and path (never credentials). */
/** A base URL fit for messages: any `user:password@` removed. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = "";
    url.password = "";
    return url.href.replace(/\/+$/, "");
  } catch {
    return baseUrl.replace(/\/\/[^/@]*@/, "//");
  }
}

export function endpointOf(
  baseUrl: string | undefined,
  official: string,
  officialHost: string,
): string {
  if (baseUrl === undefined) return official;
  try {
    const url = new URL(baseUrl);
    if (url.host === officialHost) return official;
    return `${url.host}${url.pathname.replace(/\/+$/, "")}`;
  } catch {
    return baseUrl.replace(/\/\/[^/@]*@/, "//");
  }
}
