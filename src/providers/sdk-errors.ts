// Turns an error thrown by the OpenAI or Anthropic SDK into a classified TransportFailure. Both
// SDKs share one shape (Stainless): APIError with status and headers, connection/timeout/abort kinds.

import { redact } from "./keys.js";
import { parseRetryAfter } from "./retry-policy.js";
import { TransportFailure } from "./transport.js";

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes one SDK exports. */
export interface SdkErrorClasses {
  readonly APIError: ErrorClass;
  readonly APIConnectionError: ErrorClass;
  readonly APIConnectionTimeoutError: ErrorClass;
  readonly APIUserAbortError: ErrorClass;
}

/**
 * Runs one SDK call; what it throws comes out classified (`classifySdkError`, at `now()` when it
 * failed), so every transport sends the same way.
 */
export async function sdkCall<T>(
  sdk: SdkErrorClasses,
  secrets: readonly string[],
  now: () => number,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifySdkError(error, sdk, secrets, now());
  }
}

/**
 * The innermost message of an error's `cause` chain: the SDKs say only "Connection error.", while
 * the reason (`connect ECONNREFUSED 127.0.0.1:8000`, `getaddrinfo ENOTFOUND host`) sits below.
 */
function rootCause(error: Error): string {
  let current: unknown = error;
  let message = error.message;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    const text = current.message !== "" ? current.message : typeof code === "string" ? code : "";
    if (text !== "")
      message = typeof code === "string" && !text.includes(code) ? `${text} (${code})` : text;
    current = current.cause;
  }
  return message;
}

export function classifySdkError(
  error: unknown,
  sdk: SdkErrorClasses,
  secrets: readonly string[],
  now: number,
): TransportFailure {
  const message = redact(error instanceof Error ? error.message : String(error), secrets);
  if (error instanceof TransportFailure) return error;
  if (error instanceof sdk.APIUserAbortError)
    return new TransportFailure("request-aborted", message);
  if (error instanceof sdk.APIConnectionTimeoutError)
    return new TransportFailure("timeout", message);
  if (error instanceof sdk.APIConnectionError)
    return new TransportFailure(
      "connection-error",
      `connection failed: ${redact(rootCause(error), secrets)}`,
    );
  if (error instanceof sdk.APIError) {
    const { status, headers } = error as Error & { status?: number; headers?: Headers };
    if (status === undefined) return new TransportFailure("provider-error", message);
    const kind =
      status === 429
        ? "rate-limited"
        : status === 408
          ? "timeout"
          : status === 409 || status >= 500
            ? "server-error"
            : status === 401 || status === 403
              ? "auth-error"
              : status === 404
                ? "not-found"
                : status >= 400 && status < 500
                  ? "bad-request"
                  : "provider-error";
    const why = status === 429 && isResourceUnavailable(error) ? `${FLEX_UNAVAILABLE}: ` : "";
    return new TransportFailure(kind, `${why}${message}`, status, parseRetryAfter(headers, now));
  }
  // A body that is not the JSON the SDK expects surfaces as a SyntaxError from parsing.
  if (error instanceof SyntaxError)
    return new TransportFailure(
      "malformed-response",
      `the server sent a malformed body: ${message}`,
    );
  return new TransportFailure("provider-error", `unexpected error: ${message}`);
}

/** How a flex request OpenAI had no capacity for is described (it is retried like any 429). */
export const FLEX_UNAVAILABLE = "flex capacity unavailable (429 Resource Unavailable; not billed)";

/**
 * OpenAI's flex tier answers 429 "Resource Unavailable" when it lacks capacity: a rate limit of
 * OpenAI's, not the user's, recognised by the error's code or message.
 */
function isResourceUnavailable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    (typeof code === "string" && /resource.?unavailable/i.test(code)) ||
    /resource.?unavailable/i.test(error.message)
  );
}

/** A reply that parsed as JSON but lacks what every reply must have. */
export function malformed(what: string): TransportFailure {
  return new TransportFailure("malformed-response", `the server sent a malformed reply: ${what}`);
}
