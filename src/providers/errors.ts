// The errors the providers throw: a failed request after retries, a missing key, an unsupported ask.

import { CharterError, RunStoppingError } from "../errors.js";

/** Why a request failed, as a stable code. */
export type ProviderErrorCode =
  | "rate-limited"
  | "server-error"
  | "connection-error"
  | "timeout"
  | "bad-request"
  | "auth-error"
  | "not-found"
  | "malformed-response"
  | "request-aborted"
  | "provider-error";

/**
 * A model request that failed for good (retries spent, or not worth retrying). The phases record
 * it against the item and carry on. Its message and cause never contain an API key.
 */
export class ProviderError extends CharterError {
  override readonly code: ProviderErrorCode;
  /** HTTP status when the server answered. */
  readonly status?: number;
  /** Attempts made, including the first. */
  readonly attempts: number;
  /** Whether another try later might succeed (rate limits, 5xx, connection trouble, timeouts). */
  readonly retryable: boolean;
  readonly provider: string;
  readonly model: string;

  constructor(fields: {
    code: ProviderErrorCode;
    message: string;
    status?: number | undefined;
    attempts: number;
    retryable: boolean;
    provider: string;
    model: string;
    cause?: unknown;
  }) {
    super(fields.code, fields.message, { cause: fields.cause });
    this.code = fields.code;
    if (fields.status !== undefined) this.status = fields.status;
    this.attempts = fields.attempts;
    this.retryable = fields.retryable;
    this.provider = fields.provider;
    this.model = fields.model;
  }
}

/** No key in the environment or `.env` for a provider that needs one. */
export class MissingApiKeyError extends CharterError {
  readonly variable: string;
  constructor(variable: string, modelId: string) {
    super(
      "missing-api-key",
      `${modelId} needs an API key: set ${variable} in the environment or in a .env file in the working directory`,
    );
    this.variable = variable;
  }
}

/** A request asked for something the model cannot do (e.g. log-probabilities from Anthropic). */
export class UnsupportedCapabilityError extends CharterError {
  constructor(message: string) {
    super("unsupported-capability", message);
  }
}

/**
 * A reply cut by the token limit, again after one retry with a larger budget: it is not a
 * finished answer, so it must become neither a training target nor a judge's answer.
 */
export class TruncatedReplyError extends CharterError {
  constructor(message: string) {
    super("truncated", message);
  }
}

/** A model name that is not `provider:model` with a known provider. */
export class UnknownModelError extends CharterError {
  constructor(message: string) {
    super("unknown-model", message);
  }
}

/**
 * A model server that refused or dropped the connection on every one of the last `failures` calls
 * in a row, each after its retries: every other call would fail the same way, so the run stops
 * (see `CreateModelOptions.maxConnectionFailures`) rather than spend hours failing item by item.
 */
export class EndpointUnreachableError extends RunStoppingError {
  readonly url: string;
  readonly failures: number;

  constructor(fields: { modelId: string; url: string; failures: number; cause: string }) {
    super(
      "endpoint-unreachable",
      `${fields.modelId}: cannot reach the model server at ${fields.url}: the last ${fields.failures} calls in a row failed to connect, each after its retries (${fields.cause})`,
    );
    this.url = fields.url;
    this.failures = fields.failures;
  }
}
