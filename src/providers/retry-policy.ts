// When to retry a failed attempt and how long to wait: Retry-After when the server says, else
// exponential backoff with full jitter.

import type { TransportFailure } from "./transport.js";

export interface RetryPolicy {
  /** Retries after the first attempt (so at most `maxRetries + 1` attempts). */
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this fails the request now rather than stall the run silently. */
  readonly maxRetryAfterMs: number;
  /** Uniform in [0, 1), for jitter. */
  readonly random: () => number;
}

/** 429, 5xx, connection trouble, timeouts and garbled bodies may pass; 4xx will not. */
export function isRetryable(kind: TransportFailure["kind"]): boolean {
  switch (kind) {
    case "rate-limited":
    case "server-error":
    case "connection-error":
    case "timeout":
    case "malformed-response":
      return true;
    case "bad-request":
    case "auth-error":
    case "not-found":
    case "request-aborted":
    case "provider-error":
      return false;
  }
}

/** The wait before retry number `retry` (0-based). */
export function retryDelay(retry: number, failure: TransportFailure, policy: RetryPolicy): number {
  if (failure.retryAfterMs !== undefined) return Math.max(0, failure.retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * ceiling);
}

/**
 * Milliseconds from `retry-after-ms` (OpenAI's) or `retry-after` (seconds or an HTTP date).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  now: number,
): number | undefined {
  const ms = headers?.get("retry-after-ms");
  if (ms != null && ms.trim() !== "" && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headers?.get("retry-after")?.trim();
  if (value == null || value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
