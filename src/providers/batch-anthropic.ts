// Anthropic's Message Batches through the official SDK: `messages.batches.create` with the requests
// inline, `retrieve` to poll, `results` streamed as JSONL and matched by custom_id.

import type Anthropic from "@anthropic-ai/sdk";
import type { BatchApi, IntentSummary, BatchLine, BatchResult, BatchStatus } from "./batch-api.js";
import { customIdOf } from "./batch-api.js";
import { anthropicClient, anthropicReplyOf, anthropicRequestBody } from "./anthropic-model.js";
import { sdkCall } from "./sdk-errors.js";
import { TransportFailure } from "./transport.js";
import type { ChatRequest } from "./types.js";

/** Anthropic's published limits per message batch (checked December 2025). */
export const ANTHROPIC_BATCH_LIMITS = {
  maxRequests: 100_000,
  maxBytes: 256 * 1024 * 1024,
} as const;

export interface AnthropicBatchOptions {
  readonly model: string;
  readonly apiKey: string;
  readonly baseURL: string;
  readonly now: () => number;
}

export function anthropicBatchApi(options: AnthropicBatchOptions): BatchApi {
  const connect = anthropicClient(options.apiKey, options.baseURL);
  const secrets = [options.apiKey];
  const call = async <T>(run: (client: Anthropic) => Promise<T>): Promise<T> => {
    const { sdk, client } = await connect();
    return sdkCall(sdk, secrets, options.now, () => run(client));
  };
  return {
    provider: "anthropic",
    ...ANTHROPIC_BATCH_LIMITS,
    line(request: ChatRequest): BatchLine {
      const params = JSON.stringify(anthropicRequestBody(options.model, request, { ttl: "1h" }));
      const customId = customIdOf(params, request);
      return { customId, json: `{"custom_id":${JSON.stringify(customId)},"params":${params}}` };
    },
    async create(lines) {
      const requests = lines.map(
        (line) => JSON.parse(line.json) as Anthropic.Messages.Batches.BatchCreateParams.Request,
      );
      const batch = await call((client) => client.messages.batches.create({ requests }));
      return batch.id;
    },
    async retrieve(batchId) {
      return statusOf(await call((client) => client.messages.batches.retrieve(batchId)));
    },
    async results(batchId) {
      return call(async (client) => {
        const results = new Map<string, BatchResult>();
        for await (const entry of await client.messages.batches.results(batchId))
          results.set(entry.custom_id, resultOf(entry.result));
        return results;
      });
    },
    async findIntent(intent: IntentSummary, known: ReadonlySet<string>) {
      // Message batches keep no metadata: the batch created for an intent is the first one made
      // after it (slack for clocks) with exactly its number of requests that no record names.
      // Results are still matched by custom_id, so a wrong guess costs a resubmission, not data.
      const since = intent.at - 600_000;
      return call(async (client) => {
        let found: { id: string; at: number } | undefined;
        for await (const batch of client.messages.batches.list({ limit: 100 })) {
          const at = Date.parse(batch.created_at);
          if (at < since) break;
          const counts = batch.request_counts;
          const total =
            counts.processing +
            counts.succeeded +
            counts.errored +
            counts.canceled +
            counts.expired;
          if (
            total === intent.count &&
            !known.has(batch.id) &&
            (found === undefined || at < found.at)
          )
            found = { id: batch.id, at };
        }
        return found?.id;
      });
    },
  };
}

function statusOf(batch: Anthropic.Messages.Batches.MessageBatch): BatchStatus {
  const counts = batch.request_counts;
  const done = counts.succeeded + counts.errored + counts.canceled + counts.expired;
  const total = done + counts.processing;
  switch (batch.processing_status) {
    case "in_progress":
      return { state: "in_progress", total, done };
    case "canceling":
      return { state: "cancelling", total, done };
    case "ended":
      return { state: "ended", total, done };
    default:
      return { state: "in_progress", total, done };
  }
}

function resultOf(result: Anthropic.Messages.Batches.MessageBatchResult): BatchResult {
  switch (result.type) {
    case "succeeded":
      return { ok: true, reply: anthropicReplyOf(result.message) };
    case "errored": {
      const error = (result.error as { error?: { type?: string; message?: string } }).error;
      return {
        ok: false,
        failure: new TransportFailure(
          kindOfError(error?.type),
          error?.message ?? "failed in its batch",
        ),
      };
    }
    case "expired":
      return {
        ok: false,
        failure: new TransportFailure(
          "timeout",
          "the batch's 24 h window ended before this request ran",
        ),
      };
    case "canceled":
      return {
        ok: false,
        failure: new TransportFailure(
          "server-error",
          "the batch was canceled before this request ran",
        ),
      };
    default:
      return {
        ok: false,
        failure: new TransportFailure("malformed-response", "an unknown batch result type"),
      };
  }
}

/** The failure kind of an Anthropic error type inside a batch result. */
function kindOfError(type: string | undefined): TransportFailure["kind"] {
  switch (type) {
    case "rate_limit_error":
      return "rate-limited";
    case "api_error":
    case "overloaded_error":
      return "server-error";
    case "authentication_error":
    case "permission_error":
      return "auth-error";
    case "not_found_error":
      return "not-found";
    case "invalid_request_error":
    case "request_too_large":
      return "bad-request";
    default:
      return "provider-error";
  }
}
