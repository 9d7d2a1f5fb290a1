// The batch journal as one model's collector reads it: which journaled batch holds a request
// (custom_id → intent → batch), and when a batch is no longer needed (collected). Read one record
// at a time into a compact index (a fingerprint per request, not its id), keeping only the intents
// whose batch is not collected yet, and compacted (collected batches' intent, file and collected
// records dropped) so it stays small.

import type { BatchIntentRecord, BatchLog, BatchLogRecord, IntentSummary } from "./batch-api.js";
import { FingerprintTable, fingerprint, fingerprintAt } from "./batch-fingerprints.js";

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
    // An intent's ids are read straight from its line: no string per request, even for a moment.
    // Other models' records are not this index's business: not even parsed.
    const needsParsing = (line: string, head: Head | undefined): boolean => {
      if (head !== undefined && head.model !== model) return false;
      return !(head?.t === "batch-intent" && this.#indexIntentLine(line, head));
    };
    if (stale)
      log.rewrite((line) => {
        const head = headOf(line);
        if (isCollected(head, collected)) return false;
        if (needsParsing(line, head)) this.#index(parseLine(line));
        return true;
      });
    else
      for (const record of log.records((line) => needsParsing(line, headOf(line))))
        this.#index(record as BatchLogRecord);
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
    if (stale) this.log.rewrite((line) => !isCollected(headOf(line), collected));
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
        const intent = this.#newIntent(record.intent, record.at, record.ids.length, record.before);
        const key = new Uint32Array(2);
        for (const id of record.ids) {
          fingerprintAt(id, 0, id.length, key);
          this.#addId(intent, key);
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

  #newIntent(name: string, at: number, count: number, before: number | undefined): LiveIntent {
    const intent: LiveIntent = {
      intent: name,
      at,
      count,
      slot: this.#slots.length,
      before: before ?? Number.POSITIVE_INFINITY,
      entries: 0,
      unsettled: false,
    };
    this.#slots.push(intent);
    this.#byName.set(name, intent);
    this.#lowest = Math.min(this.#lowest, intent.before);
    return intent;
  }

  #addId(intent: LiveIntent, key: Uint32Array): void {
    // A request in a later intent went out again: the earlier one is done with it.
    const previous = this.#table.set(key[0] ?? 0, key[1] ?? 0, intent.slot + 1);
    if (previous !== 0) this.#release(previous);
    intent.entries += 1;
  }

  /**
   * Indexes an intent's line as written (`{"t":"batch-intent","model":…,"intent":…,"ids":[…],"at":…}`)
   * without parsing its ids into strings; false (nothing indexed) when it is shaped otherwise.
   */
  #indexIntentLine(line: string, head: Head): boolean {
    // custom_ids hold no escapes: a line with one is read the slow way.
    if (!line.startsWith(IDS_FIELD, head.end) || line.includes("\\")) return false;
    const open = head.end;
    const ids: number[] = [];
    let at = open + IDS_FIELD.length;
    if (line.charCodeAt(at) !== 93 /* ] */)
      for (;;) {
        if (line.charCodeAt(at) !== 34 /* " */) return false;
        const end = line.indexOf('"', at + 1);
        if (end < 0) return false;
        ids.push(at + 1, end);
        at = end + 1;
        const next = line.charCodeAt(at);
        if (next === 93) break;
        if (next !== 44 /* , */) return false;
        at += 1;
      }
    let rest: { at?: unknown; before?: unknown };
    try {
      rest = JSON.parse(`{${line.slice(at + 2)}`) as { at?: unknown; before?: unknown };
    } catch {
      return false;
    }
    if (typeof rest.at !== "number") return false;
    const before = typeof rest.before === "number" ? rest.before : undefined;
    const intent = this.#newIntent(head.intent, rest.at, ids.length / 2, before);
    const key = new Uint32Array(2);
    for (let n = 0; n < ids.length; n += 2) {
      fingerprintAt(line, ids[n] ?? 0, ids[n + 1] ?? 0, key);
      this.#addId(intent, key);
    }
    return true;
  }

  /** A table entry of this slot went (delivered, or superseded by a later intent). */
  #release(value: number): void {
    const owner = this.#slots[value - 1];
    if (owner === undefined) this.#dead -= 1;
    else owner.entries -= 1;
  }

  lookup(customId: string): { intent: IntentSummary; batch?: string } | undefined {
    const [hi, lo] = fingerprint(customId);
    const entry = this.#slots[this.#table.get(hi, lo) - 1];
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

  forget(customIds: readonly string[]): void {
    for (const id of customIds) {
      const [hi, lo] = fingerprint(id);
      const value = this.#table.delete(hi, lo);
      if (value !== 0) this.#release(value);
    }
  }
}

const IDS_FIELD = ',"ids":[';

/** The start of a record's line as written: `t`, `model` and `intent` first, in that order. */
const HEAD = /^\{"t":"([a-z-]+)","model":("(?:[^"\\]|\\.)*"),"intent":"([^"\\]*)"/;

interface Head {
  readonly t: string;
  readonly model: string;
  readonly intent: string;
  /** Where the line goes on after the intent. */
  readonly end: number;
}

/**
 * A line's record type, model and intent, read from its start (fresh strings: a slice of a long
 * line would keep the whole line alive), or undefined for a line shaped otherwise.
 */
function headOf(line: string): Head | undefined {
  const match = HEAD.exec(line);
  if (match === null) return undefined;
  const [whole, t = "", model = '""', intent = ""] = match;
  return {
    t: detached(t),
    model: JSON.parse(model) as string,
    intent: detached(intent),
    end: whole.length,
  };
}

function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

function parseLine(line: string): BatchLogRecord {
  return JSON.parse(line) as BatchLogRecord;
}

/**
 * First pass over the journal, parsing only `batch-collected` lines (not the intents' long lists):
 * the intents (of every model) whose batch was collected, and how many requests this model's live
 * intents hold (their commas: an upper bound), to size the index once. Compaction drops collected
 * intents' records, so any still here means there is something to drop.
 */
function firstPass(
  log: BatchLog,
  model: string,
): { collected: Set<string>; stale: boolean; requests: number } {
  const collected = new Set<string>();
  const sizes = new Map<string, number>();
  const where = (line: string): boolean => {
    const head = headOf(line);
    if (head === undefined) return false;
    if (head.t === "batch-collected") collected.add(`${head.model}\u0000${head.intent}`);
    else if (head.t === "batch-intent" && head.model === model)
      sizes.set(head.intent, commas(line) + 1);
    return false;
  };
  for (const value of log.records(where)) void value;
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
function isCollected(head: Head | undefined, collected: ReadonlySet<string>): boolean {
  return (
    head !== undefined &&
    (head.t === "batch-intent" || head.t === "batch-file" || head.t === "batch-collected") &&
    collected.has(`${head.model}\u0000${head.intent}`)
  );
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
