// OpenAI's Batch API through the official SDK: the requests uploaded as a JSONL file (Files API,
// purpose `batch`), `batches.create` with a 24 h window and Charter's intent in `metadata`,
// `batches.retrieve` to poll, and the output and error files read back by custom_id.

import type OpenAI from "openai";
import type { BatchApi, IntentSummary, BatchLine, BatchResult, BatchStatus } from "./batch-api.js";
import { customIdOf } from "./batch-api.js";
import { openAIClient, openaiRequestBody, replyOf } from "./openai-model.js";
import { sdkCall } from "./sdk-errors.js";
import { TransportFailure } from "./transport.js";
import type { ChatRequest } from "./types.js";

/** OpenAI's published limits per batch input file (checked December 2025). */
export const OPENAI_BATCH_LIMITS = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 } as const;

/** The metadata key holding Charter's intent id, so a batch whose id was lost can be found. */
const INTENT_KEY = "charter_intent";

export interface OpenAIBatchOptions {
  readonly model: string;
  readonly apiKey: string;
  readonly baseURL: string;
  readonly official: boolean;
  readonly now: () => number;
}

export function openAIBatchApi(options: OpenAIBatchOptions): BatchApi {
  const connect = openAIClient(options.apiKey, options.baseURL);
  const secrets = [options.apiKey];
  const call = async <T>(run: (client: OpenAI) => Promise<T>): Promise<T> => {
    const { sdk, client } = await connect();
    return sdkCall(sdk, secrets, options.now, () => run(client));
  };
  return {
    provider: "openai",
    ...OPENAI_BATCH_LIMITS,
    line(request: ChatRequest): BatchLine {
      const body = JSON.stringify(openaiRequestBody(options.model, request, options.official));
      const customId = customIdOf(body, request);
      return {
        customId,
        json: `{"custom_id":${JSON.stringify(customId)},"method":"POST","url":"/v1/chat/completions","body":${body}}`,
      };
    },
    async upload(lines) {
      const { toFile } = await import("openai");
      const content = Buffer.from(lines.map((line) => `${line.json}\n`).join(""), "utf8");
      const upload = await toFile(content, "charter-batch.jsonl", { type: "application/jsonl" });
      const file = await call((client) => client.files.create({ file: upload, purpose: "batch" }));
      return file.id;
    },
    async create(_lines, intent, fileId) {
      if (fileId === undefined) throw new TransportFailure("provider-error", "no input file");
      const batch = await call((client) =>
        client.batches.create({
          input_file_id: fileId,
          endpoint: "/v1/chat/completions",
          completion_window: "24h",
          metadata: { [INTENT_KEY]: intent },
        }),
      );
      return batch.id;
    },
    async retrieve(batchId) {
      return statusOf(await call((client) => client.batches.retrieve(batchId)));
    },
    async results(batchId) {
      const batch = await call((client) => client.batches.retrieve(batchId));
      const results = new Map<string, BatchResult>();
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (fileId == null) continue;
        const text = await call(async (client) => (await client.files.content(fileId)).text());
        for (const line of text.split("\n")) {
          if (line.trim() === "") continue;
          const parsed = JSON.parse(line) as OutputLine;
          results.set(parsed.custom_id, resultOf(parsed));
        }
      }
      return results;
    },
    async findIntent(intent: IntentSummary, known: ReadonlySet<string>) {
      // Newest first: stop once the batches listed are older than the intent (with slack for clocks).
      const since = intent.at / 1000 - 600;
      return call(async (client) => {
        for await (const batch of client.batches.list({ limit: 100 })) {
          if (batch.created_at < since) return undefined;
          if (batch.metadata?.[INTENT_KEY] === intent.intent && !known.has(batch.id))
            return batch.id;
        }
        return undefined;
      });
    },
  };
}

function statusOf(batch: OpenAI.Batches.Batch): BatchStatus {
  const counts = batch.request_counts;
  const total = counts?.total ?? 0;
  const done = (counts?.completed ?? 0) + (counts?.failed ?? 0);
  switch (batch.status) {
    case "validating":
    case "in_progress":
    case "finalizing":
    case "cancelling":
      return { state: batch.status, total, done };
    // An expired or cancelled batch keeps what it finished; the rest are in its error file.
    case "completed":
    case "expired":
    case "cancelled":
      return { state: "ended", total, done };
    case "failed": {
      const why = (batch.errors?.data ?? []).map((error) => error.message).filter(Boolean);
      return { state: "failed", total, done, failure: why.join("; ") || "refused" };
    }
    default:
      return { state: "in_progress", total, done };
  }
}

interface OutputLine {
  readonly custom_id: string;
  readonly response?: { readonly status_code?: number; readonly body?: unknown } | null;
  readonly error?: { readonly code?: string | null; readonly message?: string | null } | null;
}

/** One line of an output or error file as the request's outcome. */
function resultOf(line: OutputLine): BatchResult {
  const status = line.response?.status_code;
  if (status !== undefined && status >= 200 && status < 300)
    return {
      ok: true,
      reply: replyOf(line.response?.body as OpenAI.Chat.Completions.ChatCompletion),
    };
  if (line.error?.code === "batch_expired")
    return {
      ok: false,
      failure: new TransportFailure(
        "timeout",
        "the batch's 24 h window ended before this request ran",
      ),
    };
  const body = line.response?.body as { error?: { message?: string } } | undefined;
  const message = body?.error?.message ?? line.error?.message ?? "failed in its batch";
  return { ok: false, failure: new TransportFailure(kindOfStatus(status), message, status) };
}

/** The failure kind of an HTTP status inside a batch (as sdk-errors classifies a live one). */
export function kindOfStatus(status: number | undefined): TransportFailure["kind"] {
  if (status === undefined) return "server-error";
  if (status === 429) return "rate-limited";
  if (status === 408) return "timeout";
  if (status === 409 || status >= 500) return "server-error";
  if (status === 401 || status === 403) return "auth-error";
  if (status === 404) return "not-found";
  return status >= 400 ? "bad-request" : "provider-error";
}
