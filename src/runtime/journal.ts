// The run journal (.journal/journal.jsonl) and positions file (.journal/positions.jsonl): record
// formats, and reading them back after a crash. The protocol is described in README.md.

import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { readRawLines } from "../io/index.js";
import { CharterError } from "../errors.js";
import type { Failure } from "./run-folder.js";

/** One finished attempt at one item, written as one line when the item finishes. */
export interface ItemRecord {
  readonly t: "item";
  /** The item's input index. */
  readonly i: number;
  readonly id: string;
  readonly ok: boolean;
  /** Dataset records per output file (absent when the item failed). */
  readonly out?: Readonly<Record<string, readonly unknown[]>>;
  readonly trace: readonly unknown[];
  readonly counters?: Readonly<Record<string, number>>;
  readonly failure?: { readonly code: string; readonly message: string };
}

/**
 * Written after the ordered files were appended: every item with index < `next` is written, and
 * each ordered file (dataset files, trace, positions) is `bytes[name]` long.
 */
export interface CommitRecord {
  readonly t: "commit";
  readonly next: number;
  readonly bytes: Readonly<Record<string, number>>;
  /** IdChain digest of the ids written so far: a resume checks its input against it. */
  readonly ids?: string;
}

/** A running hash of the ids written to the ordered files, in order. */
export class IdChain {
  private readonly hash = createHash("sha256");

  add(id: string): void {
    this.hash.update(`${id}\n`);
  }

  digest(): string {
    return this.hash.copy().digest("hex").slice(0, 16);
  }
}

/** One line of positions.jsonl per written item: [index, id, lines per file, bytes per file]. */
export type PositionEntry = [number, string, number[], number[]];

/** Done count, latest failures and summed counters of a sequence of item records. */
export class RecordTally {
  /** Distinct items finished successfully. */
  done = 0;
  /** Items whose latest attempt failed, by index. */
  readonly failures = new Map<number, Failure>();
  /** Counters summed over every attempt. */
  readonly counters: Record<string, number> = {};

  add(record: ItemRecord): void {
    addCounters(this.counters, record.counters);
    if (record.ok) {
      this.done += 1;
      this.failures.delete(record.i);
      return;
    }
    const failure = record.failure ?? { code: "item-failed", message: "failed" };
    this.failures.set(record.i, { id: record.id, code: failure.code, message: failure.message });
  }
}

/** What the journal says about a folder, from one pass over it. */
export interface JournalState {
  /** Bytes of the journal up to its last complete line (a torn tail is cut off on resume). */
  readonly validLength: number;
  readonly commit: CommitRecord | undefined;
  readonly tally: RecordTally;
}

/** Where a successful item's record sits in the journal. */
export interface RecordLocation {
  readonly index: number;
  readonly id: string;
  readonly offset: number;
  readonly bytes: number;
}

export function addCounters(
  into: Record<string, number>,
  add: Readonly<Record<string, number>> | undefined,
): void {
  if (!add) return;
  for (const [name, value] of Object.entries(add))
    if (typeof value === "number" && Number.isFinite(value)) into[name] = (into[name] ?? 0) + value;
}

function damaged(path: string, detail: string): CharterError {
  return new CharterError(
    "run-folder-damaged",
    `${path} is damaged (${detail}); start again in a new --out folder`,
  );
}

function parseRecord(path: string, text: string): ItemRecord | CommitRecord {
  try {
    return JSON.parse(text) as ItemRecord | CommitRecord;
  } catch {
    throw damaged(path, "a complete line is not JSON");
  }
}

/** Read the whole journal once. */
export async function scanJournal(path: string): Promise<JournalState> {
  let validLength = 0;
  let commit: CommitRecord | undefined;
  const tally = new RecordTally();
  for await (const line of readRawLines(path)) {
    validLength = line.offset + line.bytes;
    const record = parseRecord(path, line.text);
    if (record.t === "commit") commit = record;
    else tally.add(record);
  }
  return { validLength, commit, tally };
}

// The journal's item lines start with these fields in this order (see itemRecordLine), so the
// second pass can find successful records without parsing whole lines.
const ITEM_HEAD = /^\{"t":"item","i":(\d+),"id":("(?:[^"\\]|\\.)*"),"ok":true/;

/** Successful records with index >= `from`, sorted by index. */
export async function locateRecords(
  path: string,
  from: number,
  end: number,
): Promise<RecordLocation[]> {
  const found: RecordLocation[] = [];
  for await (const line of readRawLines(path, 0, end)) {
    const match = ITEM_HEAD.exec(line.text);
    if (!match) continue;
    const index = Number(match[1]);
    if (index < from) continue;
    found.push({
      index,
      id: JSON.parse(match[2] ?? '""') as string,
      offset: line.offset,
      bytes: line.bytes,
    });
  }
  return found.sort((a, b) => a.index - b.index);
}

/** Read back the record at a location found by locateRecords. */
export function readRecordAt(path: string, location: RecordLocation): ItemRecord {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(location.bytes);
    readSync(fd, buffer, 0, location.bytes, location.offset);
    return parseRecord(path, buffer.toString("utf8")) as ItemRecord;
  } finally {
    closeSync(fd);
  }
}

/** Serialise an item record as one journal line; the field order is what ITEM_HEAD expects. */
export function itemRecordLine(record: Omit<ItemRecord, "t">): string {
  const ordered: ItemRecord = {
    t: "item",
    i: record.i,
    id: record.id,
    ok: record.ok,
    ...(record.out ? { out: record.out } : {}),
    trace: record.trace,
    ...(record.counters ? { counters: record.counters } : {}),
    ...(record.failure ? { failure: record.failure } : {}),
  };
  return `${JSON.stringify(ordered)}\n`;
}

export function commitRecordLine(
  next: number,
  bytes: Readonly<Record<string, number>>,
  ids: string,
): string {
  const record: CommitRecord = { t: "commit", next, bytes, ids };
  return `${JSON.stringify(record)}\n`;
}

/**
 * The byte length each ordered file had when only the items with index < `index` were written,
 * and the IdChain digest of those items, from the positions file's first `end` bytes. `files` are the ordered files, positions excluded.
 */
export async function lengthsBefore(
  positionsPath: string,
  end: number,
  index: number,
  files: readonly string[],
): Promise<{ files: number[]; positions: number; ids: string }> {
  const lengths = files.map(() => 0);
  const chain = new IdChain();
  for await (const line of readRawLines(positionsPath, 0, end)) {
    const entry = JSON.parse(line.text) as PositionEntry;
    if (entry[0] >= index) return { files: lengths, positions: line.offset, ids: chain.digest() };
    chain.add(entry[1]);
    entry[3].forEach((bytes, file) => (lengths[file] = (lengths[file] ?? 0) + bytes));
  }
  return { files: lengths, positions: end, ids: chain.digest() };
}

/**
 * The text each ordered file receives for one item: its dataset records, one JSON per line, and
 * its trace events tagged with the item id. Always computed from a parsed journal record, so a
 * resumed run writes exactly the bytes an uninterrupted one does.
 */
export function recordTexts(record: ItemRecord, outputFiles: readonly string[]): string[] {
  const texts = outputFiles.map((file) =>
    record.ok
      ? (record.out?.[file] ?? []).map((value) => `${JSON.stringify(value)}\n`).join("")
      : "",
  );
  texts.push(
    record.trace.map((event) => `${JSON.stringify(traceLine(record.id, event))}\n`).join(""),
  );
  return texts;
}

/** A trace event as written: `{ "item": id, ...event }`, or `{ "item", "event" }` when it cannot spread. */
function traceLine(id: string, event: unknown): unknown {
  const spreadable =
    event !== null && typeof event === "object" && !Array.isArray(event) && !("item" in event);
  return spreadable ? { item: id, ...event } : { item: id, event };
}
