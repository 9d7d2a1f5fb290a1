// The batch journal as one model's collector reads it: which journaled batch holds a request
// (custom_id → intent → batch), and when a batch is no longer needed (collected). Read one record
// at a time into a compact index (a fingerprint per request, not its id), keeping only the intents
// whose batch is not collected yet, and compacted (collected batches' intent, file and collected
// records dropped) so it stays small.

import type { BatchIntentRecord, BatchLog, BatchLogRecord, IntentSummary } from "./batch-api.js";
import { FingerprintTable, fingerprint } from "./batch-fingerprints.js";

/**
 * Bytes of collected intents a run writes before it compacts the journal in passing (a resume
 * compacts whatever is collected, first thing, and a run that ends compacts). At about 55 bytes
 * per request: ~1 million requests.
 */
export const COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

/** One journaled intent of this model, not collected yet. */
interface LiveIntent extends IntentSummary {
  readonly slot: number;
  batch?: string;
  /**
   * Every item that asked one of its requests has an index below this (`before` in the journal,
   * raised when a later item joins one of them): once the run journal holds every item below it,
   * no run will ask this batch again.
   */
  before: number;
  /** Its requests still in the index (not yet delivered in this process). */
  entries: number;
  /** Its batch was followed in this process and did not end in results: keep it for a rerun. */
  unsettled: boolean;
}

/**
 * What the journal says about one model's batches: custom_id → the latest intent holding it, and
 * the batch made for each intent. Requests leave it once their result was delivered, intents once
 * their batch is collected (`collect`).
 */
export class JournalIndex {
  readonly #table: FingerprintTable;
  /** By slot (the table's value − 1); undefined once collected. */
  readonly #slots: (LiveIntent | undefined)[] = [];
  readonly #byName = new Map<string, LiveIntent>();
  readonly #batches = new Set<string>();
  /** Table entries whose intent was collected (dropped when they outnumber the live ones). */
  #dead = 0;
  /** Journal bytes of the intents collected since the last compaction (estimated). */
  #collectedBytes = 0;
  /** The smallest `before` among live intents (a lower bound), so `collect` rarely looks. */
  #lowest = Number.POSITIVE_INFINITY;

  /**
   * Reads the journal; when it holds intents already collected (by this model or another), it is
   * rewritten without them on the way (a crash then leaves the old file or the new one).
   */
  constructor(
    private readonly log: BatchLog,
    private readonly model: string,
    private readonly compactAfterBytes = COMPACT_AFTER_BYTES,
  ) {
    const { collected, stale, requests } = firstPass(log, model);
    this.#table = new FingerprintTable(requests);
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
    const { collected, stale } = firstPass(this.log, this.model);
    if (stale) this.log.rewrite((record) => !isCollectedIntent(record, collected));
    this.#collectedBytes = 0;
  }

  /**
   * Every item with an index below `below` has its outcome in the run journal: the intents whose
   * items all are get `batch-collected` (unless their batch was followed here and gave no results).
   * `Infinity`: the run ended, every item settled; intents journaled without `before` go too, and
   * the journal is compacted.
   */
  collect(below: number): void {
    if (below < this.#lowest) return;
    let lowest = Number.POSITIVE_INFINITY;
    for (const intent of [...this.#byName.values()]) {
      if (intent.before <= below && !intent.unsettled)
        this.add({
          t: "batch-collected",
          model: this.model,
          intent: intent.intent,
          ...(intent.batch === undefined ? {} : { batch: intent.batch }),
        });
      else lowest = Math.min(lowest, intent.before);
    }
    this.#lowest = lowest;
    if (below === Number.POSITIVE_INFINITY && this.#collectedBytes > 0) this.compact();
  }

  /** An item admitted later (index below `before`) waits on this intent's batch too. */
  raise(intent: string, before: number | undefined): void {
    const live = this.#byName.get(intent);
    if (live !== undefined) live.before = Math.max(live.before, before ?? Number.POSITIVE_INFINITY);
  }

  /** The intent's batch was followed here and ended without results (polling gave up). */
  unsettled(intent: string, unsettled: boolean): void {
    const live = this.#byName.get(intent);
    if (live !== undefined) live.unsettled = unsettled;
  }

  #index(record: BatchLogRecord): void {
    if (record.model !== this.model) return;
    switch (record.t) {
      case "batch-intent": {
        const before = record.before ?? Number.POSITIVE_INFINITY;
        const intent: LiveIntent = {
          intent: record.intent,
          at: record.at,
          count: record.ids.length,
          slot: this.#slots.length,
          before,
          entries: 0,
          unsettled: false,
        };
        this.#slots.push(intent);
        this.#byName.set(intent.intent, intent);
        this.#lowest = Math.min(this.#lowest, before);
        for (const id of record.ids) {
          // A request in a later intent went out again: the earlier one is done with it.
          const previous = this.#table.set(fingerprint(id), intent.slot + 1);
          if (previous !== 0) this.#release(previous);
          intent.entries += 1;
        }
        return;
      }
      case "batch": {
        const intent = this.#byName.get(record.intent);
        if (intent !== undefined) intent.batch = record.batch;
        this.#batches.add(record.batch);
        return;
      }
      case "batch-collected": {
        const intent = this.#byName.get(record.intent);
        if (intent === undefined) return;
        this.#byName.delete(record.intent);
        this.#slots[intent.slot] = undefined;
        this.#dead += intent.entries;
        // Its line: the ids (about 51 characters each, quoted, with commas), and its other fields.
        this.#collectedBytes += intent.count * 54 + 120;
        if (this.#dead > 4096 && this.#dead > this.#table.size - this.#dead) {
          this.#table.retain((value) => this.#slots[value - 1] !== undefined);
          this.#dead = 0;
        }
        return;
      }
      case "batch-file":
        return;
      default:
        return;
    }
  }

  /** A table entry of this slot went (delivered, or superseded by a later intent). */
  #release(value: number): void {
    const owner = this.#slots[value - 1];
    if (owner === undefined) this.#dead -= 1;
    else owner.entries -= 1;
  }

  lookup(customId: string): { intent: IntentSummary; batch?: string } | undefined {
    const entry = this.#slots[this.#table.get(fingerprint(customId)) - 1];
    if (entry === undefined) return undefined;
    return entry.batch === undefined ? { intent: entry } : { intent: entry, batch: entry.batch };
  }

  intent(id: string): IntentSummary | undefined {
    return this.#byName.get(id);
  }

  batchIds(): ReadonlySet<string> {
    return this.#batches;
  }

  /** Requests of live intents still in the index. */
  get size(): number {
    return this.#table.size - this.#dead;
  }

  /** Bytes of the fingerprint table (the bench reports it). */
  get tableBytes(): number {
    return this.#table.bytes;
  }

  forget(customIds: readonly string[]): void {
    for (const id of customIds) {
      const value = this.#table.delete(fingerprint(id));
      if (value !== 0) this.#release(value);
    }
  }
}

/** How a `batch-collected` or `batch-intent` line starts (records are written with `t` first). */
const COLLECTED_LINE = '{"t":"batch-collected"';
const INTENT_LINE = '{"t":"batch-intent"';

/**
 * First pass over the journal, parsing only `batch-collected` lines (not the intents' long lists):
 * the intents (of every model) whose batch was collected, and about how many requests this model's
 * intents hold (their commas), to size the index once. Compaction drops collected intents' records,
 * so any still here means there is something to drop.
 */
function firstPass(
  log: BatchLog,
  model: string,
): { collected: Set<string>; stale: boolean; requests: number } {
  const collected = new Set<string>();
  const sizes = new Map<string, number>();
  const modelField = `"model":${JSON.stringify(model)},"intent":"`;
  const where = (line: string): boolean => {
    if (line.startsWith(COLLECTED_LINE)) return true;
    if (line.startsWith(INTENT_LINE) && line.startsWith(modelField, INTENT_LINE.length + 1)) {
      const from = INTENT_LINE.length + 1 + modelField.length;
      sizes.set(line.slice(from, line.indexOf('"', from)), commas(line) + 1);
    }
    return false;
  };
  for (const value of log.records(where)) collected.add(keyOf(value as Partial<BatchLogRecord>));
  let requests = 0;
  for (const [intent, size] of sizes)
    if (!collected.has(`${model}\u0000${intent}`)) requests += size;
  return { collected, stale: collected.size > 0, requests };
}

function commas(line: string): number {
  let count = 0;
  for (let at = line.indexOf(","); at !== -1; at = line.indexOf(",", at + 1)) count += 1;
  return count;
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

/** The intent record of a batch about to go out (`before`: the engine's admission frontier). */
export function intentRecord(
  model: string,
  intent: string,
  ids: readonly string[],
  at: number,
  before: number | undefined,
): BatchIntentRecord {
  return { t: "batch-intent", model, intent, ids, at, ...(before === undefined ? {} : { before }) };
}
