// Shared test helpers for the run engine: a temporary folder, a synthetic input and a process
// function whose results depend only on (seed, item) while its completion order is scrambled.

import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ItemContext, ItemOutcome, RunOptions, WorkItem } from "../../src/runtime/index.js";
import { fixedClock } from "../../src/runtime/index.js";
import { afterEach } from "vitest";

export interface Row {
  readonly text: string;
}

export function tempDir(prefix = "charter-run-"): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** For a test file: `folder(name)` gives a fresh, not yet existing path, removed after each test. */
export function tempFolders(): (name?: string) => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
  return (name = "run") => {
    const dir = tempDir();
    cleanups.push(dir.remove);
    return join(dir.path, name);
  };
}

export async function* rows(count: number, start = 0): AsyncGenerator<WorkItem<Row>> {
  for (let index = start; index < count; index++)
    yield { id: `item-${index}`, index, input: { text: `prompt ${index}` } };
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Deterministic outputs; the delay (and so completion order) comes from `delay`. */
export function makeProcess(
  delay: (item: WorkItem<Row>) => number = () => 0,
  fail: (item: WorkItem<Row>) => boolean = () => false,
) {
  return async (item: WorkItem<Row>, context: ItemContext): Promise<ItemOutcome> => {
    const draw = context.random.int(1000);
    const ms = delay(item);
    if (ms > 0) await sleep(ms, context.signal);
    if (fail(item)) throw Object.assign(new Error(`boom ${item.id}`), { code: "test-failure" });
    const records = item.index % 5 === 0 ? [] : [{ id: item.id, text: item.input.text, draw }];
    return {
      outputs: { "sft.jsonl": records, "pairs.jsonl": item.index % 2 ? [{ id: item.id }] : [] },
      trace: [{ type: "call", draw }, { type: "done" }],
      counters: { calls: 2, inputTokens: 10 + (item.index % 3) },
    };
  };
}

export function baseOptions(dir: string, count: number): RunOptions<Row> {
  return {
    dir,
    command: "revise",
    settings: { revisions: 2, model: "offline:rehearsal" },
    manifestInfo: { models: ["offline:rehearsal"] },
    seed: 7,
    outputFiles: ["sft.jsonl", "pairs.jsonl"],
    items: rows(count),
    process: makeProcess(),
    concurrency: 4,
    clock: fixedClock(Date.UTC(2026, 0, 1), 1000),
  };
}

export const ORDERED_FILES = ["sft.jsonl", "pairs.jsonl", "trace.jsonl"];

/**
 * Where two run folders' ordered files first differ ("" when identical): a short message, so a
 * failing comparison of multi-megabyte traces stays readable.
 */
export function firstDifference(dir: string, reference: string, files = ORDERED_FILES): string {
  const actual = orderedBytes(dir, files);
  const expected = orderedBytes(reference, files);
  for (const file of files) {
    const a = actual[file] ?? "";
    const b = expected[file] ?? "";
    if (a === b) continue;
    let at = 0;
    while (at < a.length && at < b.length && a[at] === b[at]) at++;
    return `${file} differs at char ${at} (lengths ${a.length} vs ${b.length}): ${JSON.stringify(a.slice(at, at + 60))} vs ${JSON.stringify(b.slice(at, at + 60))}`;
  }
  return "";
}

/** The bytes of the ordered files of a run folder. */
export function orderedBytes(dir: string, files = ORDERED_FILES): Record<string, string> {
  const bytes: Record<string, string> = {};
  for (const file of files) {
    const path = join(dir, file);
    bytes[file] = existsSync(path) ? readFileSync(path, "utf8") : "<missing>";
  }
  return bytes;
}
