// What a Phase 1 run's trace says about each item: the first reply, each round's principle and
// outcome with the reply length before and after, and whether the final reply was cut off by the
// token limit. Read in step with sft.jsonl (both are in input order), one item at a time.

import { readTraceEvents } from "../io/index.js";
import { countWords } from "./text.js";

export type RoundOutcome = "revised" | "no-change" | "rejected";

export interface TracedRound {
  readonly principle: string;
  readonly outcome: RoundOutcome;
  /** Words of the reply before and after this round (equal unless revised). */
  readonly wordsBefore: number;
  readonly wordsAfter: number;
}

export interface ItemTrace {
  readonly item: string;
  /** The model's first reply (absent when the input row gave the response). */
  readonly firstReply?: string;
  readonly rounds: readonly TracedRound[];
  /** The call that wrote the final reply stopped at its token limit (finish reason `length`). */
  readonly truncated: boolean;
}

type Json = Record<string, unknown>;

interface PendingRevision {
  readonly round: number;
  readonly principle: string;
  readonly reply: string;
  readonly finishReason: unknown;
}

/** Folds one item's trace events, in order, into an ItemTrace. */
class ItemTraceBuilder {
  private firstReply: string | undefined;
  private currentWords = 0;
  private finalFinish: unknown;
  private pending: PendingRevision | undefined;
  private readonly rounds: TracedRound[] = [];

  constructor(readonly item: string) {}

  add(event: Json): void {
    const round = typeof event.round === "number" ? event.round : -1;
    if (this.pending !== undefined && round !== this.pending.round) this.commit();
    const principle = typeof event.principle === "string" ? event.principle : "";
    switch (event.event) {
      case "call":
        if (event.purpose === "reply" && typeof event.reply === "string") {
          this.firstReply = event.reply;
          this.currentWords = countWords(event.reply);
          this.finalFinish = event.finishReason;
        } else if (event.purpose === "revision" && typeof event.reply === "string") {
          this.pending = { round, principle, reply: event.reply, finishReason: event.finishReason };
        }
        return;
      case "no-change":
        this.rounds.push({
          principle,
          outcome: "no-change",
          wordsBefore: this.currentWords,
          wordsAfter: this.currentWords,
        });
        return;
      case "rejected":
        this.pending = undefined;
        this.rounds.push({
          principle,
          outcome: "rejected",
          wordsBefore: this.currentWords,
          wordsAfter: this.currentWords,
        });
        return;
      default:
        return;
    }
  }

  private commit(): void {
    const pending = this.pending!;
    this.pending = undefined;
    const after = countWords(pending.reply);
    this.rounds.push({
      principle: pending.principle,
      outcome: "revised",
      wordsBefore: this.currentWords,
      wordsAfter: after,
    });
    this.currentWords = after;
    this.finalFinish = pending.finishReason;
  }

  build(): ItemTrace {
    if (this.pending !== undefined) this.commit();
    return {
      item: this.item,
      ...(this.firstReply === undefined ? {} : { firstReply: this.firstReply }),
      rounds: this.rounds,
      truncated: this.finalFinish === "length",
    };
  }
}

/** A trace's events as the one trace reader gives them (compact lines expanded). */
export type TraceEvents = AsyncIterable<Record<string, unknown>>;

async function* eventsOf(file: string): TraceEvents {
  for await (const { event } of readTraceEvents(file, { skipInvalid: true })) yield event;
}

/** The items of a trace file in order, one ItemTrace per run of events with the same item. */
export function readItemTraces(file: string): AsyncGenerator<ItemTrace> {
  return itemTracesOf(eventsOf(file));
}

/** The items of a stream of trace events (a trace another reader is reading anyway), in order. */
export async function* itemTracesOf(events: TraceEvents): AsyncGenerator<ItemTrace> {
  let builder: ItemTraceBuilder | undefined;
  for await (const event of events) {
    const item = typeof event.item === "string" ? event.item : undefined;
    if (item === undefined) continue;
    if (builder !== undefined && builder.item !== item) {
      yield builder.build();
      builder = undefined;
    }
    builder ??= new ItemTraceBuilder(item);
    builder.add(event);
  }
  if (builder !== undefined) yield builder.build();
}

/**
 * Finds each dataset row's item in a trace read alongside it. Rows and trace are both in input
 * order, so this only moves forward; items that failed (in the trace, not in the dataset) are
 * passed over. A row with no item in the rest of the trace gets undefined.
 */
export class TraceCursor {
  private readonly items: AsyncGenerator<ItemTrace>;
  private current: ItemTrace | undefined;
  private done = false;

  /** From the trace file, or from its events when the caller reads them already (`charter report`). */
  constructor(trace: string | TraceEvents) {
    this.items = typeof trace === "string" ? readItemTraces(trace) : itemTracesOf(trace);
  }

  async find(id: string): Promise<ItemTrace | undefined> {
    if (this.current?.item === id) return this.current;
    while (!this.done) {
      const next = await this.items.next();
      if (next.done === true) {
        this.done = true;
        return undefined;
      }
      this.current = next.value;
      if (next.value.item === id) return next.value;
    }
    return undefined;
  }

  async close(): Promise<void> {
    await this.items.return(undefined);
  }
}
