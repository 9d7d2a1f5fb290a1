// The batch journal as one model's collector reads it: which journaled batch holds a request
// (custom_id → intent → batch). Read one record at a time, keeping only the intents whose batch is
// not collected yet, and compacted (collected batches' intent, file and collected records dropped) so
// it stays small.

import type { BatchIntentRecord, BatchLog, BatchLogRecord } from "./batch-api.js";

/**
 * Bytes of collected intents a run writes before it compacts the journal in passing (a resume
 * compacts whatever is collected, first thing). At about 60 bytes per request: ~1 million requests.
 */
export const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/**
 * What the journal says about one model's batches: custom_id → the latest intent holding it, and
 * the batch made for each intent. Requests leave it once their result was delivered, intents once
 * their batch is collected (`batch-collected`: every reply in the response cache, or failed).
 */
export class JournalIndex {
  readonly #byId = new Map<string, string>();
  readonly #intents = new Map<string, { record: BatchIntentRecord; batch?: string }>();
  readonly #batches = new Set<string>();
  /** Journal bytes of the intents collected since the last compaction (estimated). */
  #collectedBytes = 0;

  /**
   * Reads the journal; when it holds intents already collected (by this model or another), it is
   * rewritten without them on the way (a crash then leaves the old file or the new one).
   */
  constructor(
    private readonly log: BatchLog,
    private readonly model: string,
    private readonly compactAfterBytes = COMPACT_AFTER_BYTES,
  ) {
    const { collected, stale } = collectedIntents(log);
    const live = (record: unknown): boolean => !isCollectedIntent(record, collected);
    const index = (record: unknown): boolean => {
      if (!live(record)) return false;
      this.#index(record as BatchLogRecord);
      return true;
    };
    if (stale) log.rewrite(index);
    else for (const record of log.records()) index(record);
  }

  add(record: BatchLogRecord): void {
    this.log.append(record);
    this.#index(record);
    if (record.t === "batch-collected" && this.#collectedBytes >= this.compactAfterBytes)
      this.compact();
  }

  /** Drops every collected intent's records from the journal (all models'). */
  compact(): void {
    const { collected, stale } = collectedIntents(this.log);
    if (stale) this.log.rewrite((record) => !isCollectedIntent(record, collected));
    this.#collectedBytes = 0;
  }

  #index(record: BatchLogRecord): void {
    if (record.model !== this.model) return;
    switch (record.t) {
      case "batch-intent":
        this.#intents.set(record.intent, { record });
        for (const id of record.ids) this.#byId.set(id, record.intent);
        return;
      case "batch": {
        const intent = this.#intents.get(record.intent);
        if (intent !== undefined) intent.batch = record.batch;
        this.#batches.add(record.batch);
        return;
      }
      case "batch-collected": {
        const intent = this.#intents.get(record.intent);
        if (intent === undefined) return;
        this.#intents.delete(record.intent);
        for (const id of intent.record.ids)
          if (this.#byId.get(id) === record.intent) this.#byId.delete(id);
        // Its line: the ids, quoted, with commas, and the record's other fields.
        this.#collectedBytes += intent.record.ids.reduce((sum, id) => sum + id.length + 3, 120);
        return;
      }
      case "batch-file":
        return;
      default:
        return;
    }
  }

  lookup(customId: string): { intent: BatchIntentRecord; batch?: string } | undefined {
    const intent = this.#byId.get(customId);
    const entry = intent === undefined ? undefined : this.#intents.get(intent);
    if (entry === undefined) return undefined;
    return entry.batch === undefined
      ? { intent: entry.record }
      : { intent: entry.record, batch: entry.batch };
  }

  intent(id: string): BatchIntentRecord | undefined {
    return this.#intents.get(id)?.record;
  }

  batchIds(): ReadonlySet<string> {
    return this.#batches;
  }

  /** Requests asked for in this journal's intents so far (live ones only). */
  get size(): number {
    return this.#byId.size;
  }

  forget(customIds: readonly string[]): void {
    for (const id of customIds) this.#byId.delete(id);
  }
}

/** How a `batch-collected` line starts (records are written with `t` first). */
const COLLECTED_LINE = '{"t":"batch-collected"';

/**
 * First pass over the journal, parsing only `batch-collected` lines (not the intents' long lists):
 * the intents (of every model) whose batch was collected. Compaction drops those records with the
 * intents, so any still here means there is something to drop.
 */
function collectedIntents(log: BatchLog): { collected: Set<string>; stale: boolean } {
  const collected = new Set<string>();
  for (const value of log.records((line) => line.startsWith(COLLECTED_LINE)))
    collected.add(keyOf(value as Partial<BatchLogRecord>));
  return { collected, stale: collected.size > 0 };
}

/**
 * A collected batch's intent, uploaded file or collected record: what compaction drops (its
 * `batch` record stays, for stats.json's batch ids).
 */
function isCollectedIntent(value: unknown, collected: ReadonlySet<string>): boolean {
  const record = value as Partial<BatchLogRecord>;
  return (
    (record.t === "batch-intent" || record.t === "batch-file" || record.t === "batch-collected") &&
    collected.has(keyOf(record))
  );
}

function keyOf(record: Partial<BatchLogRecord>): string {
  return `${String(record.model)}\u0000${String(record.intent)}`;
}
