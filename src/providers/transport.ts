// The seam between one provider's wire format and the shared machinery (pool, retries, cache, usage).

import type { ChatRequest, ModelCapabilities, TokenLogprob, Usage } from "./types.js";

export type ProviderName = "openai" | "anthropic" | "offline";

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
    readonly kind:
      | "rate-limited"
      | "server-error"
      | "connection-error"
      | "timeout"
      | "bad-request"
      | "auth-error"
      | "not-found"
      | "malformed-response"
      | "request-aborted"
      | "provider-error",
    message: string,
    readonly status?: number,
    /** Milliseconds the server asked us to wait (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "TransportFailure";
  }
}
