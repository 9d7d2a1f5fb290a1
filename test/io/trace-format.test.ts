// The trace's compact form packs an item's events into one line and expands back to exactly the
// same events; `off` keeps everything but the calls; the reader names a line that does not decode.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  expandTraceEvent,
  packEvents,
  readTraceOfRun,
  runTraceSetup,
  traceDictionaryFrom,
  readTraceEvents,
  traceEventsFor,
  traceEventsOfText,
} from "../../src/io/index.js";

const prompt = "How do I keep basil alive on a windowsill?";
const reply = "Water it when the top of the soil is dry, and give it six hours of sun.";
const critique = "The reply does not say how to tell the soil is dry.";
const request = (messages: string[]): Record<string, unknown> => ({
  messages: messages.map((content, n) => ({ role: n % 2 === 0 ? "user" : "assistant", content })),
  params: { temperature: 0.7, seed: 12345 + messages.length },
});
const events: Record<string, unknown>[] = [
  { event: "call", round: 0, purpose: "reply", request: request([prompt]), reply, latencyMs: 3 },
  {
    event: "call",
    round: 1,
    principle: "helpful",
    purpose: "critique",
    request: request([prompt, reply, "Critique request: is anything missing?"]),
    reply: critique,
    usage: { inputTokens: 40, outputTokens: 12, cachedTokens: 0 },
  },
  { event: "no-change", round: 1 },
  {
    event: "call-failed",
    round: 1,
    purpose: "revision",
    request: request([prompt, reply, "Critique request: is anything missing?", critique, "x"]),
    error: { code: "server-error", message: "500" },
  },
  // A reply equal to an earlier text, and a message whose content is not a string.
  {
    event: "call",
    purpose: "echo",
    request: { messages: [{ role: "user", content: [1] }] },
    reply: prompt,
  },
];

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("compact traces", () => {
  it("pack an item's events into one line that expands to exactly the same events and bytes", () => {
    const [packed, ...rest] = traceEventsFor("compact", events);
    expect(rest).toEqual([]);
    expect(packed).toMatchObject({ event: "packed", format: 2 });
    const line = { item: "basil", ...packed };
    const expanded = expandTraceEvent(line);
    expect(expanded.map((event) => JSON.stringify(event))).toEqual(
      events.map((event) => JSON.stringify({ item: "basil", ...event })),
    );
    // Each repeated text is stored once: the packed line is far smaller than the events.
    expect(JSON.stringify(line).length).toBeLessThan(JSON.stringify(events).length / 2);
  });

  it("store a repeated text as a reference to its first appearance", () => {
    const repeated = Array.from({ length: 6 }, (_, n) => ({
      event: "call",
      request: request([prompt.repeat(50), `turn ${n}`]),
      reply: `${n}`,
    }));
    const once = JSON.stringify(packEvents(repeated.slice(0, 1))).length;
    const six = JSON.stringify(packEvents(repeated)).length;
    expect(six - once).toBeLessThan(200);
  });

  it("leave no event for an item without events, and full keeps events as they are", () => {
    expect(traceEventsFor("compact", [])).toEqual([]);
    expect(traceEventsFor("full", events)).toEqual(events);
  });

  it("off drops the call events and keeps the rest", () => {
    expect(traceEventsFor("off", events)).toEqual([{ event: "no-change", round: 1 }]);
  });

  it("still expand a format 1 line (base64 over format 1's dictionary)", () => {
    // Written by the format 1 packer (development builds before format 2), kept as it was.
    const line = {
      item: "basil",
      event: "packed",
      format: 1,
      z: "zZUxCgIxEEWv8skBbCy0s3VPYCEWkQR3cMwszmBIsXdf4jYrAdnCwis8Hu+df6ln499RMoKgwz3GAVevxPBMrwipUc6UgmQl5oNbJ+BuaeDJW62xIfcxvSNpMkDmLKsQgxThWTbuw6ft+BX3v2ni2siTwqcy7+JBqpRuawHulwA7Q5BYt2VQX9BLhgksMrcMx8sE",
    };
    const ask = "How do I keep basil alive on a windowsill?";
    const answer = "Water it when the top of the soil is dry.";
    expect(expandTraceEvent(line)).toEqual([
      {
        item: "basil",
        event: "call",
        round: 0,
        purpose: "reply",
        request: {
          messages: [{ role: "user", content: ask }],
          params: { temperature: 0.7, seed: 7 },
        },
        reply: answer,
        latencyMs: 3,
      },
      {
        item: "basil",
        event: "call",
        round: 1,
        purpose: "critique",
        request: {
          messages: [
            { role: "user", content: ask },
            { role: "assistant", content: answer },
            { role: "user", content: "Critique request: is anything missing?" },
          ],
          params: { temperature: 0.7, seed: 8 },
        },
        reply: "It does not say how to tell the soil is dry.",
      },
    ]);
  });

  it("pass any other line through as it is", () => {
    expect(expandTraceEvent({ item: "a", event: "rule", rules: ["x"] })).toEqual([
      { item: "a", event: "rule", rules: ["x"] },
    ]);
  });
});

describe("a run's trace dictionary", () => {
  const constitution = {
    name: "garden",
    principles: [
      { id: "helpful", critique: "Critique request: is anything missing?", weight: 1 },
      { id: "short", critique: "x" },
    ],
  };

  it("holds the constitution's longer texts, JSON-escaped, and names itself by a hash", () => {
    const dictionary = traceDictionaryFrom({ ...constitution, note: 'a "quoted"\nline here.' });
    expect(dictionary.text).toBe(
      'Critique request: is anything missing?a \\"quoted\\"\\nline here.',
    );
    expect(dictionary.id).toMatch(/^[0-9a-f]{12}$/);
    expect(traceDictionaryFrom(constitution).id).not.toBe(dictionary.id);
  });

  it("packs smaller with it, and a line packed with it expands only with it", () => {
    const dictionary = traceDictionaryFrom(constitution);
    const packed = packEvents(events, dictionary);
    expect(packed.dict).toBe(dictionary.id);
    expect(String(packed.z).length).toBeLessThan(String(packEvents(events).z).length);
    expect(expandTraceEvent(packed, dictionary)).toEqual(events);
    expect(() => expandTraceEvent(packed)).toThrow(
      /compressed with the run's dictionary "[0-9a-f]{12}", which was not found: read the trace inside its run folder/,
    );
    expect(() =>
      expandTraceEvent(packed, traceDictionaryFrom({ other: "another text, long enough" })),
    ).toThrow(/trace-dictionary-missing|compressed with the run's dictionary/);
  });

  it("is what a compact run keeps in its manifest, and the reader finds it there", () => {
    const setup = runTraceSetup("compact", constitution);
    expect(setup.manifestInfo.traceDictionary).toBe(setup.ledger.traceDictionary?.text);
    expect(runTraceSetup("full", constitution)).toEqual({
      ledger: { trace: "full" },
      manifestInfo: {},
    });
    dir = mkdtempSync(join(tmpdir(), "charter-trace-"));
    const packed = packEvents(events, setup.ledger.traceDictionary);
    writeFileSync(join(dir, "trace.jsonl"), `${JSON.stringify({ item: "b", ...packed })}\n`);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify({ manifestInfo: setup.manifestInfo }));
    expect(readTraceOfRun(dir)).toEqual(events.map((event) => ({ item: "b", ...event })));
  });
});

describe("the trace reader", () => {
  it("reads full and compact lines alike, and names a packed line that does not decode", async () => {
    dir = mkdtempSync(join(tmpdir(), "charter-trace-"));
    const file = join(dir, "trace.jsonl");
    const packed = JSON.stringify({ item: "b", ...packEvents(events) });
    const plain = JSON.stringify({ item: "a", event: "rule" });
    const newer = JSON.stringify({ item: "c", event: "packed", format: 9, z: "" });
    const torn = JSON.stringify({ item: "d", event: "packed", format: 1, z: "AAAA" });
    writeFileSync(file, [plain, packed].join("\n") + "\n");
    const seen: unknown[] = [];
    for await (const { line, event } of readTraceEvents(file)) seen.push([line, event.event]);
    expect(seen).toEqual([[1, "rule"], ...events.map((event) => [2, event.event])]);
    expect(traceEventsOfText([plain, packed].join("\n"))).toHaveLength(1 + events.length);

    writeFileSync(file, [plain, newer, torn].join("\n") + "\n");
    await expect(async () => {
      for await (const _ of readTraceEvents(file));
    }).rejects.toThrow(
      /trace\.jsonl:2: a packed trace line of format 9: this Charter reads formats 1 and 2/,
    );
    const invalid: number[] = [];
    const kept: unknown[] = [];
    for await (const { event } of readTraceEvents(file, {
      skipInvalid: true,
      onInvalid: ({ line }) => invalid.push(line),
    }))
      kept.push(event.item);
    expect(kept).toEqual(["a"]);
    expect(invalid).toEqual([2, 3]);
  });
});
