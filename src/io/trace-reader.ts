// The one reader of trace.jsonl: streams a run's trace as its events, whatever mode wrote it
// (`full` lines as they are, `compact` packed lines expanded), so no reader sees the difference.

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { CharterError } from "../errors.js";
import { readJsonLines, type InvalidLine } from "./read-lines.js";
import { dictionaryOf, expandTraceEvent, type TraceDictionary } from "./trace-format.js";

/** One event of a trace and the file line it came from (several events share a packed line). */
export interface TraceEvent {
  readonly line: number;
  readonly event: Readonly<Record<string, unknown>>;
}

export interface ReadTraceOptions {
  /** Count and report unreadable lines (malformed JSON, a packed line that does not decode). */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (invalid: InvalidLine) => void;
  /** Only this item's events: other items' packed lines are passed over without expanding. */
  readonly item?: string;
  /** The run's trace dictionary; default: from the manifest.json beside the trace, if any. */
  readonly dictionary?: TraceDictionary;
}

/**
 * The trace dictionary a run folder's manifest keeps (`manifestInfo.traceDictionary`), or
 * undefined when it has none (a full or off trace, or a run without a constitution).
 */
export function runTraceDictionary(dir: string): TraceDictionary | undefined {
  let manifest: { manifestInfo?: { traceDictionary?: unknown } };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as typeof manifest;
  } catch {
    return undefined;
  }
  const text = manifest.manifestInfo?.traceDictionary;
  return typeof text === "string" ? dictionaryOf(text) : undefined;
}

/**
 * Every event of a trace file, in order, each with its `item` first; lines that are not JSON
 * objects are passed over. A line that does not parse or decode throws (naming file and line)
 * unless `skipInvalid`.
 *
 * @example
 * for await (const { event } of readTraceEvents("runs/demo/trace.jsonl")) if (event.event === "call") ...
 */
export async function* readTraceEvents(
  file: string,
  options: ReadTraceOptions = {},
): AsyncGenerator<TraceEvent> {
  const dictionary = options.dictionary ?? runTraceDictionary(dirname(file));
  for await (const { line, value } of readJsonLines(file, options)) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    if (options.item !== undefined && (value as { item?: unknown }).item !== options.item) continue;
    let events: Record<string, unknown>[];
    try {
      events = expandTraceEvent(value as Record<string, unknown>, dictionary);
    } catch (error) {
      if (!(error instanceof CharterError)) throw error;
      if (!options.skipInvalid)
        throw new CharterError(error.code, `${file}:${line}: ${error.message}`);
      options.onInvalid?.({ file, line, message: error.message });
      continue;
    }
    for (const event of events) yield { line, event };
  }
}

/**
 * The events of a trace held as text (a test's or a bench's file contents), expanded with the
 * run's dictionary (`runTraceDictionary(dir)`) when its lines name one.
 */
export function traceEventsOfText(
  text: string,
  dictionary?: TraceDictionary,
): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => expandTraceEvent(JSON.parse(line) as Record<string, unknown>, dictionary));
}

/** A run folder's trace.jsonl as its events (expanded with the run's dictionary): tests and benches. */
export function readTraceOfRun(dir: string): Record<string, unknown>[] {
  return traceEventsOfText(readFileSync(join(dir, "trace.jsonl"), "utf8"), runTraceDictionary(dir));
}

/** The events of one item, in order (only its lines are expanded). */
export async function readItemTrace(file: string, id: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for await (const { event } of readTraceEvents(file, { item: id })) found.push({ ...event });
  return found;
}
