// The trace's two written forms: `full` (one JSON event per line) and `compact` (an item's events
// packed into one line: each distinct message text once, then deflated), and the one decoder.

import { createHash } from "node:crypto";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { CharterError } from "../errors.js";
import { decodeBase91, encodeBase91 } from "./trace-base91.js";
import { PACK_DICTIONARY_1, PACK_DICTIONARY_2 } from "./trace-dictionaries.js";

/** How much of each model call a run's trace.jsonl keeps (`--trace`, config key `trace`). */
export const TRACE_MODES = ["full", "compact", "off"] as const;
export type TraceMode = (typeof TRACE_MODES)[number];

/** What runs write unless told otherwise: every call kept, at a fraction of `full`'s bytes. */
export const DEFAULT_TRACE_MODE: TraceMode = "compact";

/** The `event` of a packed line, and the version of its payload (its dictionary and encoding). */
export const PACKED_EVENT = "packed";
export const PACK_FORMAT = 2;

/**
 * What each format's `z` is: the deflated bytes in a text encoding, from the format's preset
 * dictionary. Format 1 (base64) was written by development builds only; it is still read.
 */
const FORMATS: ReadonlyMap<
  unknown,
  { readonly preset: Buffer; readonly decode: (z: string) => Buffer }
> = new Map([
  [1, { preset: PACK_DICTIONARY_1, decode: (z: string) => Buffer.from(z, "base64") }],
  [2, { preset: PACK_DICTIONARY_2, decode: decodeBase91 }],
]);

/** The events a trace `off` leaves out: every model call (its request, reply, usage, latency). */
const CALL_EVENTS: ReadonlySet<unknown> = new Set(["call", "call-failed"]);

type Json = Record<string, unknown>;

/** Deflate looks back at most 32 KiB: a longer preset dictionary only wastes its start. */
const WINDOW = 32 * 1024;
/** Texts shorter than this are not worth a dictionary's room. */
const SHORTEST_TEXT = 16;

/**
 * A run's own preset dictionary: the texts every item of the run is likely to send (the
 * constitution's critique and revision requests, questions, few-shot examples), JSON-escaped as
 * they appear in a packed payload. Packed lines name it by `id`; the run's manifest keeps its text
 * (`manifestInfo.traceDictionary`) for the reader.
 */
export interface TraceDictionary {
  readonly id: string;
  readonly text: string;
}

/**
 * The dictionary of a run from a JSON value (the compiled constitution): its distinct string
 * leaves of 16 characters or more, in document order, JSON-escaped, up to what deflate can use.
 */
export function traceDictionaryFrom(value: unknown): TraceDictionary {
  const texts = new Set<string>();
  const walk = (node: unknown): void => {
    if (typeof node === "string") {
      if (node.length >= SHORTEST_TEXT) texts.add(JSON.stringify(node).slice(1, -1));
    } else if (Array.isArray(node)) node.forEach(walk);
    else if (isObject(node)) Object.values(node).forEach(walk);
  };
  walk(value);
  const room = WINDOW - PACK_DICTIONARY_2.length;
  let text = "";
  for (const entry of texts) {
    if (Buffer.byteLength(text + entry) > room) break;
    text += entry;
  }
  return dictionaryOf(text);
}

/** A dictionary from its text (as the manifest keeps it). */
export function dictionaryOf(text: string): TraceDictionary {
  return { id: createHash("sha256").update(text, "utf8").digest("hex").slice(0, 12), text };
}

/** The bytes deflate starts from: the format's dictionary, then the run's (nearer, so cheaper). */
function presetOf(format: Buffer, dictionary: TraceDictionary | undefined): Buffer {
  if (dictionary === undefined) return format;
  const both = Buffer.concat([format, Buffer.from(dictionary.text, "utf8")]);
  return both.length > WINDOW ? both.subarray(both.length - WINDOW) : both;
}

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * The events one item's ledger hands to the run, in `mode`: `full` as they are, `off` without its
 * calls, `compact` as one `packed` event (none when there are no events).
 *
 * @example
 * const [packed] = traceEventsFor("compact", ledgerEvents); // { event: "packed", format: 2, z }
 * expandTraceEvent(packed); // the ledger's events again, exactly
 */
export function traceEventsFor(
  mode: TraceMode,
  events: readonly Json[],
  dictionary?: TraceDictionary,
): Json[] {
  switch (mode) {
    case "full":
      return [...events];
    case "off":
      return events.filter((event) => !CALL_EVENTS.has(event.event));
    case "compact":
      return events.length === 0 ? [] : [packEvents(events, dictionary)];
  }
}

/**
 * Packs events into one: every message `content` and `reply` string that equals an earlier one of
 * these events becomes `{"ref": n}` (n: the text's rank among the distinct texts, in order of
 * first appearance: each event's messages in order, then its reply), then the JSON array is
 * deflated with the format's preset dictionary (followed by the run's `dictionary`, named in the
 * line as `dict`) and written in base 91 (trace-base91.ts).
 */
export function packEvents(events: readonly Json[], dictionary?: TraceDictionary): Json {
  const texts = new Map<string, number>();
  const share = (text: unknown): unknown => {
    if (typeof text !== "string") return text;
    const known = texts.get(text);
    if (known !== undefined) return { ref: known };
    texts.set(text, texts.size);
    return text;
  };
  const shared = events.map((event) => mapTexts(event, share));
  const payload = deflateRawSync(JSON.stringify(shared), {
    level: 9,
    dictionary: presetOf(PACK_DICTIONARY_2, dictionary),
  });
  return {
    event: PACKED_EVENT,
    format: PACK_FORMAT,
    ...(dictionary === undefined ? {} : { dict: dictionary.id }),
    z: encodeBase91(payload),
  };
}

/**
 * The events a trace line stands for: a packed line's events (each with the line's other fields,
 * such as `item`, first), any other line as it is. The one decoder of compact traces: every reader
 * of trace.jsonl goes through this (see trace-reader.ts).
 */
export function expandTraceEvent(line: Json, dictionary?: TraceDictionary): Json[] {
  if (line.event !== PACKED_EVENT) return [line];
  const format = FORMATS.get(line.format);
  if (format === undefined || typeof line.z !== "string")
    throw new CharterError(
      "trace-format-unknown",
      `a packed trace line of format ${JSON.stringify(line.format)}: this Charter reads formats ${[...FORMATS.keys()].join(" and ")} (a newer Charter wrote it?)`,
    );
  const { event: _event, format: _format, dict, z, ...outer } = line;
  if (dict !== undefined && dict !== dictionary?.id)
    throw new CharterError(
      "trace-dictionary-missing",
      `a packed trace line was compressed with the run's dictionary ${JSON.stringify(dict)}, ${dictionary === undefined ? "which was not found" : `not ${dictionary.id}`}: read the trace inside its run folder (its manifest.json keeps the dictionary)`,
    );
  let events: unknown;
  try {
    events = JSON.parse(
      inflateRawSync(format.decode(z), {
        dictionary: presetOf(format.preset, dict === undefined ? undefined : dictionary),
      }).toString("utf8"),
    );
  } catch (error) {
    throw new CharterError(
      "trace-damaged",
      `a packed trace line does not decode: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (!Array.isArray(events))
    throw new CharterError("trace-damaged", "a packed trace line holds no event list");
  const texts: string[] = [];
  const resolve = (value: unknown): unknown => {
    if (typeof value === "string") {
      texts.push(value);
      return value;
    }
    if (isObject(value) && typeof value.ref === "number") {
      const text = texts[value.ref];
      if (text === undefined)
        throw new CharterError(
          "trace-damaged",
          `a packed trace line refers to text ${value.ref}, not yet seen`,
        );
      return text;
    }
    return value;
  };
  return events.map((event: unknown) => ({
    ...outer,
    ...mapTexts(isObject(event) ? event : { event }, resolve),
  }));
}

/**
 * A copy of `event` with each message text and the reply passed through `map`, in the fixed order
 * both directions rely on (messages in order, then the reply); keys keep their places.
 */
function mapTexts(event: Json, map: (text: unknown) => unknown): Json {
  const request = event.request;
  const messages = isObject(request) ? request.messages : undefined;
  if (!Array.isArray(messages) && !("reply" in event)) return event;
  const out: Json = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === "request" && isObject(value) && Array.isArray(messages))
      out[key] = {
        ...value,
        messages: messages.map((message: unknown) =>
          isObject(message) && "content" in message
            ? { ...message, content: map(message.content) }
            : message,
        ),
      };
    else out[key] = value;
  }
  if ("reply" in out) out.reply = map(out.reply);
  return out;
}

/**
 * What a run needs for its trace: the ledger options (mode and, when compact, the dictionary of
 * `source`, the run's compiled constitution) and what its manifest keeps for the reader.
 *
 * @example
 * const trace = runTraceSetup(options.trace ?? DEFAULT_TRACE_MODE, options.constitution);
 * new CallLedger({ ...trace.ledger }); runItems({ manifestInfo: { ...trace.manifestInfo } });
 */
export function runTraceSetup(
  mode: TraceMode,
  source: unknown,
): {
  readonly ledger: { readonly trace: TraceMode; readonly traceDictionary?: TraceDictionary };
  readonly manifestInfo: Readonly<Record<string, string>>;
} {
  if (mode !== "compact") return { ledger: { trace: mode }, manifestInfo: {} };
  const dictionary = traceDictionaryFrom(source);
  return {
    ledger: { trace: mode, traceDictionary: dictionary },
    manifestInfo: { traceDictionary: dictionary.text },
  };
}
