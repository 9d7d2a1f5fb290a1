// The batch tier's transport: requests are collected instead of sent; once every item in flight
// waits on a batch (counted: batch-activity.ts) they go out together as provider batches, journaled
// before they are polled, and each result resolves the call that asked for it. The phases and the
// managed model above see an ordinary (slow) transport, so their outputs are the standard tier's.

import { createHash } from "node:crypto";
import type {
  BatchApi,
  BatchLine,
  BatchLog,
  BatchResult,
  BatchState,
  BatchStatus,
} from "./batch-api.js";
import type { CallActivity } from "./batch-activity.js";
import { JournalIndex, intentRecord } from "./batch-journal.js";
import type { Clock } from "./clock.js";
import { TransportFailure, type Transport, type TransportReply } from "./transport.js";
import type { ChatRequest } from "./types.js";

/** One batch in flight, for the progress line. */
export interface BatchProgress {
  readonly id: string;
  readonly state: BatchState;
  readonly total: number;
  readonly done: number;
  /** When this process started following it, and when this status was read (ms). */
  readonly since: number;
  readonly at: number;
}

const STATE_WORDS: Readonly<Record<BatchState, string>> = {
  validating: "validating",
  in_progress: "in progress",
  finalizing: "finalizing",
  cancelling: "cancelling",
  ended: "ended",
  failed: "failed",
};

/**
 * The progress line's words for the batches in flight, or undefined when there are none:
 * `batches: 1 validating, 2 in progress (1,200/5,000), 1 finalizing · wait ~12 min (at most 24 h)`.
 * The wait is the slowest batch's pace so far carried to its end; before any request finished it
 * is only the providers' 24-hour promise.
 */
export function describeBatches(batches: readonly BatchProgress[]): string | undefined {
  if (batches.length === 0) return undefined;
  const parts: string[] = [];
  for (const state of Object.keys(STATE_WORDS) as BatchState[]) {
    const here = batches.filter((batch) => batch.state === state);
    if (here.length === 0) continue;
    const done = here.reduce((sum, batch) => sum + batch.done, 0);
    const total = here.reduce((sum, batch) => sum + batch.total, 0);
    const counts =
      state === "in_progress" && total > 0 ? ` (${number(done)}/${number(total)})` : "";
    parts.push(`${here.length} ${STATE_WORDS[state]}${counts}`);
  }
  let wait: number | undefined;
  for (const batch of batches) {
    if (batch.state === "finalizing") wait = Math.max(wait ?? 0, 0);
    if (batch.done <= 0 || batch.done >= batch.total) continue;
    const pace = (batch.at - batch.since) / batch.done;
    wait = Math.max(wait ?? 0, pace * (batch.total - batch.done));
  }
  const expected = wait === undefined ? "" : `~${minutes(wait)} `;
  return `batches: ${parts.join(", ")} · wait ${expected}(at most 24 h)`;
}

function number(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function minutes(ms: number): string {
  const total = Math.max(1, Math.round(ms / 60_000));
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

export interface BatchCollectorOptions {
  readonly api: BatchApi;
  /** Tags this model's journal records (several models share a run's journal). */
  readonly model: string;
  /** The run's batch journal; opened on the first batch, once the run folder exists. */
  readonly log: () => BatchLog;
  readonly clock: Clock;
  /** Between two status checks of a batch. */
  readonly pollMs: number;
  /**
   * The run's calls and engine, counted: the collected requests go out once every call in
   * progress waits on a batch and the engine waits for items. Without an engine reporting to it
   * (or without one at all), `quietMs` decides instead.
   */
  readonly activity?: CallActivity;
  /** Fallback when nothing counts the run's items: no new request for this long, and they go out. */
  readonly quietMs: number;
  /** Told whenever a batch's state or counts change, and when one ends. */
  readonly onProgress?: (batches: readonly BatchProgress[]) => void;
}

interface Waiter {
  resolve(reply: TransportReply): void;
  reject(error: unknown): void;
}

/** A distinct request waiting to go out, and every call waiting on it. */
interface Pending {
  readonly line: BatchLine;
  readonly waiters: Set<Waiter>;
  /** The batch it is in, once known, and the journaled intent that batch was made for. */
  batch?: string;
  intent?: string;
}

/** Everyone waiting on one batch, its results, and a way to stop polling when nobody is left. */
interface Follow {
  readonly entries: Set<Pending>;
  readonly stop: AbortController;
  results?: Promise<Map<string, BatchResult>>;
}

/** Status checks (or downloads) in a row that may fail before the batch's calls fail. */
const MAX_POLL_FAILURES = 10;
/** Results handed out at once before waiting for their calls to settle. */
const DELIVERY_SLICE = 1_000;
/** A trickle of requests (retries after backoff) holds a batch back at most this many quiet periods. */
const MAX_QUIET_PERIODS = 20;

/** A batch refused as a whole (OpenAI validation): its requests may go out again, alone. */
class BatchRefused extends TransportFailure {}

/**
 * @example
 * const collector = new BatchCollector({ api, model: "openai:gpt-4o-mini", log, clock, pollMs: 30_000, quietMs: 200 });
 * const transport = batchTransport(createOpenAITransport(settings), collector);
 */
export class BatchCollector {
  readonly #options: BatchCollectorOptions;
  readonly #pending = new Map<string, Pending>();
  /** Requests in this process's batches, by custom_id, until their result is delivered. */
  readonly #flying = new Map<string, Pending>();
  readonly #follows = new Map<string, Follow>();
  readonly #progress = new Map<string, BatchProgress>();
  #journal: JournalIndex | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstPending = 0;

  constructor(options: BatchCollectorOptions) {
    this.#options = options;
    options.activity?.onQuiet(() => {
      if (this.#pending.size > 0) this.#flush();
    });
    // The run journal holds the items below `below`: batches only they asked are not needed again.
    options.activity?.onJournaled((below) => {
      if (below === Number.POSITIVE_INFINITY) this.#journal ??= this.#openJournal();
      this.#journal?.collect(below);
    });
  }

  #openJournal(): JournalIndex {
    return new JournalIndex(this.#options.log(), this.#options.model);
  }

  /** The batches being followed now. */
  batches(): readonly BatchProgress[] {
    return [...this.#progress.values()];
  }

  /** Collects a request; resolves with its reply once its batch has ended. */
  submit(request: ChatRequest, signal: AbortSignal): Promise<TransportReply> {
    const line = this.#options.api.line(request);
    const activity = this.#options.activity;
    return new Promise<TransportReply>((resolve, reject) => {
      if (signal.aborted) {
        reject(aborted());
        return;
      }
      const id = line.customId;
      const flying = this.#flying.get(id);
      const entry = flying ?? this.#pending.get(id) ?? { line, waiters: new Set<Waiter>() };
      let waiting = true;
      const done = (): void => {
        if (!waiting) return;
        waiting = false;
        signal.removeEventListener("abort", onAbort);
        activity?.waitEnded();
      };
      const onAbort = (): void => {
        entry.waiters.delete(waiter);
        done();
        this.#release(entry);
        reject(aborted());
      };
      const waiter: Waiter = {
        resolve: (reply) => {
          done();
          resolve(reply);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      };
      signal.addEventListener("abort", onAbort, { once: true });
      entry.waiters.add(waiter);
      activity?.waitStarted();
      if (flying !== undefined) {
        // A later item waits on this batch too: it is needed until that item is journaled.
        if (flying.intent !== undefined)
          this.#journal?.raise(flying.intent, activity?.admittedBelow);
        return;
      }
      if (!this.#pending.has(id)) {
        if (this.#pending.size === 0) this.#firstPending = this.#options.clock.now();
        this.#pending.set(id, entry);
      }
      this.#schedule();
    });
  }

  /** A request nobody waits for any more: not sent if still collected; its batch left alone. */
  #release(entry: Pending): void {
    if (entry.waiters.size > 0) return;
    if (this.#pending.get(entry.line.customId) === entry) this.#pending.delete(entry.line.customId);
    const follow = entry.batch === undefined ? undefined : this.#follows.get(entry.batch);
    // The batch stays journaled: a later run collects its results without paying again.
    if (follow !== undefined && ![...follow.entries].some((other) => other.waiters.size > 0))
      follow.stop.abort();
  }

  /** A full batch goes at once; otherwise the run's quiet moment sends (or the fallback timer). */
  #schedule(): void {
    const { api, quietMs, clock, activity } = this.#options;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.size >= api.maxRequests) {
      this.#flush();
      return;
    }
    if (activity?.counting === true) return;
    const waited = clock.now() - this.#firstPending;
    if (waited >= quietMs * MAX_QUIET_PERIODS) {
      this.#flush();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#flush();
    }, quietMs);
  }

  #flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    // In custom_id order: the same step makes the same batch files whatever order its calls came in.
    const entries = [...this.#pending.values()].sort((a, b) =>
      a.line.customId < b.line.customId ? -1 : a.line.customId > b.line.customId ? 1 : 0,
    );
    this.#pending.clear();
    if (entries.length > 0)
      void this.#dispatch(entries).catch((error: unknown) => {
        for (const entry of entries) rejectAll(entry, error);
      });
  }

  /** Requests a journaled batch already holds are fetched from it; the others go out anew. */
  async #dispatch(entries: readonly Pending[]): Promise<void> {
    const journal = (this.#journal ??= this.#openJournal());
    const below = this.#options.activity?.admittedBelow;
    const byBatch = new Map<string, Pending[]>();
    const byIntent = new Map<string, Pending[]>();
    const fresh: Pending[] = [];
    for (const entry of entries) {
      this.#flying.set(entry.line.customId, entry);
      const known = journal.lookup(entry.line.customId);
      if (known !== undefined) {
        // Asked again (a resumed run): the batch is needed until this run's items are journaled.
        entry.intent = known.intent.intent;
        journal.raise(entry.intent, below);
      }
      if (known?.batch !== undefined) push(byBatch, known.batch, entry);
      else if (known !== undefined) push(byIntent, known.intent.intent, entry);
      else fresh.push(entry);
    }
    try {
      for (const [intent, group] of byIntent) {
        const record = journal.intent(intent);
        // Died between `create` returning and the journal write? The provider knows the batch.
        const found =
          record === undefined
            ? undefined
            : await this.#options.api.findIntent(record, journal.batchIds());
        if (found === undefined) {
          // No batch was made for it: nothing to keep it for.
          journal.forget(group.map((entry) => entry.line.customId));
          journal.unsettled(intent, false);
          for (const entry of group) delete entry.intent;
          fresh.push(...group);
          continue;
        }
        journal.add({ t: "batch", model: this.#options.model, intent, batch: found });
        push(byBatch, found, ...group);
      }
    } catch (error) {
      for (const group of byIntent.values()) for (const entry of group) this.#fail(entry, error);
      byIntent.clear();
    }
    const work: Promise<void>[] = [];
    for (const [batchId, group] of byBatch) work.push(this.#follow(batchId, group));
    for (const chunk of chunks(fresh, this.#options.api)) work.push(this.#send(chunk, journal));
    await Promise.all(work);
  }

  /** Intent, upload, create, journal: then follow the new batch to its end. */
  async #send(group: readonly Pending[], journal: JournalIndex): Promise<void> {
    const { api, model, clock } = this.#options;
    const lines = group.map((entry) => entry.line);
    const ids = lines.map((line) => line.customId);
    const intent = createHash("sha256")
      .update(`${clock.now()}\u0000${process.pid}\u0000${ids.join("\n")}`)
      .digest("hex")
      .slice(0, 24);
    let batchId: string;
    try {
      // Every item waiting on these requests was admitted before now (`before`).
      const before = this.#options.activity?.admittedBelow;
      journal.add(intentRecord(model, intent, ids, clock.now(), before));
      for (const entry of group) entry.intent = intent;
      const fileId = api.upload === undefined ? undefined : await api.upload(lines);
      if (fileId !== undefined) journal.add({ t: "batch-file", model, intent, file: fileId });
      batchId = await api.create(lines, intent, fileId);
      journal.add({ t: "batch", model, intent, batch: batchId });
    } catch (error) {
      // The intent stays journaled (and is kept until a retry settles it): a retry first asks the
      // provider whether the batch was made.
      journal.unsettled(intent, true);
      for (const entry of group) this.#fail(entry, error);
      return;
    }
    await this.#follow(batchId, group);
  }

  /** Waits for a batch (made by this run or an earlier one) to end and delivers its results. */
  async #follow(batchId: string, group: readonly Pending[]): Promise<void> {
    let follow = this.#follows.get(batchId);
    if (follow === undefined) {
      follow = { entries: new Set(), stop: new AbortController() };
      this.#follows.set(batchId, follow);
    }
    for (const entry of group) {
      entry.batch = batchId;
      follow.entries.add(entry);
    }
    const current = follow;
    current.results ??= this.#poll(batchId, current).finally(() => {
      this.#follows.delete(batchId);
      this.#progress.delete(batchId);
      this.#options.onProgress?.(this.batches());
    });
    const intents = new Set(group.flatMap((entry) => entry.intent ?? []));
    let results: Map<string, BatchResult>;
    try {
      results = await current.results;
    } catch (error) {
      // Polling gave up: the batch stays journaled (kept even once its items are journaled, failed)
      // and the next attempt follows it again, unless the provider refused it, when its requests
      // go out again.
      const refused = error instanceof BatchRefused;
      for (const intent of intents) this.#journal?.unsettled(intent, !refused);
      if (refused) this.#journal?.forget(group.map((entry) => entry.line.customId));
      for (const entry of group) this.#fail(entry, error);
      return;
    }
    for (const intent of intents) this.#journal?.unsettled(intent, false);
    // Handed out a slice at a time: each slice's calls store their replies and ask their next
    // question before the next slice starts, so a step's results do not set every item in flight
    // working at once (memory: src/providers/README.md).
    const activity = this.#options.activity;
    const release = activity?.counting === true ? activity.hold() : undefined;
    try {
      let handed = 0;
      for (const entry of group) {
        if (activity !== undefined && release !== undefined && handed >= DELIVERY_SLICE) {
          await activity.settled(DELIVERY_SLICE / 4);
          handed = 0;
        }
        handed += entry.waiters.size;
        this.#deliver(entry, results);
      }
    } finally {
      release?.();
    }
  }

  /** One request's result to everyone waiting on it. */
  #deliver(entry: Pending, results: ReadonlyMap<string, BatchResult>): void {
    const id = entry.line.customId;
    this.#flying.delete(id);
    // Delivered: a retry of a request that failed in it goes out anew. (The batch stays journaled
    // until every item that asked it is in the run journal: then no run asks it again.)
    this.#journal?.forget([id]);
    const result = results.get(id) ?? missing();
    for (const waiter of entry.waiters) {
      if (result.ok) waiter.resolve(result.reply);
      else waiter.reject(result.failure);
    }
  }

  #fail(entry: Pending, error: unknown): void {
    this.#flying.delete(entry.line.customId);
    rejectAll(entry, error);
  }

  /** Polls a batch until it ends, then downloads its results (shared by everyone waiting on it). */
  async #poll(batchId: string, follow: Follow): Promise<Map<string, BatchResult>> {
    const { api, clock, pollMs } = this.#options;
    const since = clock.now();
    for (let failures = 0; ;) {
      // Nobody waits any more (Ctrl-C): the batch stays journaled for the next run to collect.
      if (follow.stop.signal.aborted || ![...follow.entries].some((e) => e.waiters.size > 0))
        throw aborted();
      let status: BatchStatus | undefined;
      try {
        status = await api.retrieve(batchId);
        if (status.state === "ended") return await api.results(batchId);
        failures = 0;
      } catch (error) {
        // The provider no longer knows the batch (or its output file): its requests go out anew.
        if (error instanceof TransportFailure && error.kind === "not-found")
          throw new BatchRefused("server-error", `batch ${batchId} is gone: ${error.message}`);
        // A blip while polling is not the requests' failure; many in a row are (resume later).
        failures += 1;
        if (failures >= MAX_POLL_FAILURES) throw error;
      }
      if (status?.state === "failed")
        throw new BatchRefused(
          "server-error",
          `batch ${batchId} was refused: ${status.failure ?? ""}`,
        );
      if (status !== undefined) {
        this.#progress.set(batchId, { id: batchId, ...status, since, at: clock.now() });
        this.#options.onProgress?.(this.batches());
      }
      try {
        await clock.sleep(pollMs, follow.stop.signal);
      } catch {
        throw aborted();
      }
    }
  }
}

/** The transport of a model on the batch tier: the provider's, with `send` going through batches. */
export function batchTransport(inner: Transport, collector: BatchCollector): Transport {
  return {
    provider: inner.provider,
    model: inner.model,
    endpoint: inner.endpoint,
    ...(inner.url !== undefined ? { url: inner.url } : {}),
    capabilities: inner.capabilities,
    remote: inner.remote,
    defaults: inner.defaults,
    secrets: inner.secrets,
    send: (request, signal) => collector.submit(request, signal),
  };
}

/** Splits requests into batches within the provider's count and size limits. */
function chunks(entries: readonly Pending[], api: BatchApi): Pending[][] {
  const out: Pending[][] = [];
  let current: Pending[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = Buffer.byteLength(entry.line.json, "utf8") + 1;
    if (current.length > 0 && (current.length >= api.maxRequests || bytes + size > api.maxBytes)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function rejectAll(entry: Pending, error: unknown): void {
  const failure = asFailure(error);
  for (const waiter of entry.waiters) waiter.reject(failure);
}

function push<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [...values]);
  else list.push(...values);
}

function missing(): BatchResult {
  return {
    ok: false,
    failure: new TransportFailure(
      "server-error",
      "the request is missing from its batch's results",
    ),
  };
}

function aborted(): TransportFailure {
  return new TransportFailure("request-aborted", "the request was aborted");
}

function asFailure(error: unknown): TransportFailure {
  if (error instanceof TransportFailure) return error;
  return new TransportFailure(
    "provider-error",
    `unexpected error: ${error instanceof Error ? error.message : String(error)}`,
  );
}
