// What the batch tier needs from a provider's batch API (batch-openai.ts, batch-anthropic.ts), the
// custom_id of a request, and the journal records that keep a batch from being paid for twice.

import { createHash } from "node:crypto";
import type { TransportFailure, TransportReply } from "./transport.js";
import type { ChatRequest } from "./types.js";

/** One request of a batch: its custom_id and its line as the provider wants it. */
export interface BatchLine {
  readonly customId: string;
  /** The request's JSON as it goes into the batch (OpenAI: a JSONL line; Anthropic: one request). */
  readonly json: string;
}

/** A batch's life as Charter shows it. */
export type BatchState =
  | "validating"
  | "in_progress"
  | "finalizing"
  | "cancelling"
  /** Finished: results (and errors) can be downloaded. */
  | "ended"
  /** Refused as a whole (OpenAI validation): no request ran. */
  | "failed";

export interface BatchStatus {
  readonly state: BatchState;
  readonly total: number;
  /** Requests finished so far (succeeded or not). */
  readonly done: number;
  /** Why a `failed` batch failed. */
  readonly failure?: string;
}

/** One request's outcome in a finished batch. */
export type BatchResult =
  | { readonly ok: true; readonly reply: TransportReply }
  | { readonly ok: false; readonly failure: TransportFailure };

/** A provider's batch API, through its official SDK. */
export interface BatchApi {
  readonly provider: "openai" | "anthropic";
  /** Most requests and bytes one batch may hold (the provider's published limits). */
  readonly maxRequests: number;
  readonly maxBytes: number;
  /** The request as a batch line, with its custom_id (customIdOf its body). */
  line(request: ChatRequest): BatchLine;
  /** OpenAI uploads the lines as a file first (its id), Anthropic sends them with the batch. */
  upload?(lines: readonly BatchLine[]): Promise<string>;
  /** Creates the batch, tagged with `intent` where the provider keeps metadata; its id. */
  create(lines: readonly BatchLine[], intent: string, fileId: string | undefined): Promise<string>;
  retrieve(batchId: string): Promise<BatchStatus>;
  /** Every result of a finished batch, by custom_id (results come in no particular order). */
  results(batchId: string): Promise<Map<string, BatchResult>>;
  /**
   * The batch created for `intent` whose id never reached the journal (the run died between
   * `create` returning and the journal write), if the provider lists one.
   */
  findIntent(intent: IntentSummary, known: ReadonlySet<string>): Promise<string | undefined>;
}

/** What is kept in memory of a journaled intent: its id, when it was written, its request count. */
export interface IntentSummary {
  readonly intent: string;
  /** Milliseconds since the epoch, when the intent was written. */
  readonly at: number;
  readonly count: number;
}

/**
 * Records of `.journal/batches.jsonl`, in the order they are written: an intent before anything is
 * sent, the uploaded file, the batch id, and once every item that asked one of its requests has its
 * outcome in the run journal, `batch-collected`: no run asks that batch again, and compaction drops
 * the intent (with its file and collected records). All of a run's models share the file (`model`
 * tells them apart).
 */
export type BatchLogRecord =
  BatchIntentRecord | BatchFileRecord | BatchCreatedRecord | BatchCollectedRecord;

export interface BatchIntentRecord {
  readonly t: "batch-intent";
  readonly model: string;
  readonly intent: string;
  readonly ids: readonly string[];
  /** Milliseconds since the epoch, when the intent was written. */
  readonly at: number;
  /**
   * The run engine's admission frontier when the intent was written: every item that asked one of
   * its requests has a lower index. Absent without an engine (a library caller's own loop) and in
   * journals written before it existed: then the batch is collected only when a run ends.
   */
  readonly before?: number;
}

export interface BatchFileRecord {
  readonly t: "batch-file";
  readonly model: string;
  readonly intent: string;
  readonly file: string;
}

export interface BatchCreatedRecord {
  readonly t: "batch";
  readonly model: string;
  readonly intent: string;
  readonly batch: string;
}

/**
 * Every item that asked one of the batch's requests has its outcome in the run journal (a resume
 * replays it, or retries it if it failed, as the standard tier would): no run asks this batch
 * again, so the intent's custom_ids may go (batch-journal.ts). No `batch` for an intent whose
 * batch was never made.
 */
export interface BatchCollectedRecord {
  readonly t: "batch-collected";
  readonly model: string;
  readonly intent: string;
  readonly batch?: string;
}

/** Where batch records are kept: the run folder's journal (runtime's `openBatchLog`). */
export interface BatchLog {
  /**
   * Every complete record written so far, one at a time (a torn last line is cut off); with
   * `where`, only those whose JSON line it accepts (the others are not even parsed).
   */
  records(where?: (line: string) => boolean): Iterable<unknown>;
  /** Appends one record in one write call. */
  append(record: BatchLogRecord): void;
  /**
   * Keeps only the records whose JSON line `keep` accepts (read as lines: the batch journal decides
   * from a line's start, and reads an intent's ids without parsing them); a crash leaves the old
   * log or the new one, whole.
   */
  rewrite(keep: (line: string) => boolean): void;
}

/**
 * The custom_id of a request: its purpose, then a hash of what tells it apart as the response
 * cache does: the provider's request body, the sample index, and the call's seed (derived from
 * the item, purpose, round and sample; sent to OpenAI, not to Anthropic, but still distinct
 * calls). Deterministic, so a resumed run finds the same requests in journaled batches; at most
 * 64 characters of `[a-zA-Z0-9_-]` (Anthropic's rule, which also satisfies OpenAI's).
 */
export function customIdOf(body: string, request: ChatRequest): string {
  const hash = createHash("sha256")
    .update(body)
    .update(`\u0000${request.sampleIndex ?? 0}\u0000${request.params?.seed ?? ""}`)
    .digest("hex")
    .slice(0, 40);
  const purpose = (request.purpose ?? "call").replace(/[^a-zA-Z0-9_-]/g, "").slice(0, 23);
  return `${purpose}-${hash}`;
}
