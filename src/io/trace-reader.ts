// The one reader of trace.jsonl: streams a run's trace as its events, whatever mode wrote it
// (`full` lines as they are, `compact` packed lines expanded), so no reader sees the difference.

import { CharterError } from "../errors.js";
import { readJsonLines, type InvalidLine } from "./read-lines.js";
import { expandTraceEvent } from "./trace-format.js";

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
  for await (const { line, value } of readJsonLines(file, options)) {
    if (value === null || typeof value !== "object" || Array.isArray(value)) continue;
    if (options.item !== undefined && (value as { item?: unknown }).item !== options.item) continue;
    let events: Record<string, unknown>[];
    try {
      events = expandTraceEvent(value as Record<string, unknown>);
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

/** The events of a trace held as text (a test's or a bench's file contents), expanded. */
export function traceEventsOfText(text: string): Record<string, unknown>[] {
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .flatMap((line) => expandTraceEvent(JSON.parse(line) as Record<string, unknown>));
}

/** The events of one item, in order (only its lines are expanded). */
export async function readItemTrace(file: string, id: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  for await (const { event } of readTraceEvents(file, { item: id })) found.push({ ...event });
  return found;
}
