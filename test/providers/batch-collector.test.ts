// The batch collector on its own: a step larger than the provider's limits is split into batches
// within them (requests and bytes), identical requests share one line, each call gets its own
// result by custom_id, and the journal gets an intent before each batch's id.
import { describe, expect, it } from "vitest";
import {
  customIdOf,
  type BatchApi,
  type BatchLog,
  type BatchLogRecord,
} from "../../src/providers/batch-api.js";
import { BatchCollector } from "../../src/providers/batch-collector.js";
import { CallActivity } from "../../src/providers/batch-activity.js";
import { JournalIndex } from "../../src/providers/batch-journal.js";
import { systemClock } from "../../src/providers/index.js";
import { TransportFailure } from "../../src/providers/transport.js";

/** A provider batch API kept in memory (no SDK here: the SDK paths are tested on the server). */
function memoryApi(limits: { maxRequests: number; maxBytes: number }) {
  const batches: string[][] = [];
  const api: BatchApi = {
    provider: "openai",
    ...limits,
    line: (request) => {
      const json = JSON.stringify(request.messages);
      return { customId: customIdOf(json, request), json };
    },
    create: async (lines) => {
      batches.push(lines.map((line) => line.customId));
      return `b${batches.length}`;
    },
    retrieve: async () => ({ state: "ended", total: 0, done: 0 }),
    results: async (id) =>
      new Map(
        (batches[Number(id.slice(1)) - 1] ?? []).map((customId) => [
          customId,
          {
            ok: true as const,
            reply: {
              text: customId,
              usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
              model: "m",
            },
          },
        ]),
      ),
    findIntent: async () => undefined,
  };
  return { api, batches };
}

function memoryLog(log: BatchLogRecord[]): BatchLog {
  return {
    records: (where) => (where === undefined ? log : log.filter((r) => where(JSON.stringify(r)))),
    append: (record) => void log.push(record),
    rewrite: (keep) =>
      void log.splice(0, log.length, ...log.filter((r) => keep(JSON.stringify(r)))),
  };
}

function collect(api: BatchApi, log: BatchLogRecord[], activity?: CallActivity) {
  return new BatchCollector({
    api,
    model: "openai:m",
    log: () => memoryLog(log),
    clock: systemClock,
    pollMs: 1,
    quietMs: 20,
    ...(activity === undefined ? {} : { activity }),
  });
}

const ask = (text: string) => ({
  messages: [{ role: "user" as const, content: text }],
  purpose: "reply" as const,
});

describe("BatchCollector", () => {
  it("splits a step at the request limit and shares identical requests", async () => {
    const { api, batches } = memoryApi({ maxRequests: 3, maxBytes: 1_000_000 });
    const log: BatchLogRecord[] = [];
    const collector = collect(api, log);
    const signal = new AbortController().signal;
    const texts = ["a", "b", "c", "d", "e", "f", "g", "a"];
    const replies = await Promise.all(texts.map((text) => collector.submit(ask(text), signal)));
    expect(batches.map((batch) => batch.length).sort()).toEqual([1, 3, 3]);
    // Each call got the result of its own request, matched by custom_id.
    replies.forEach((reply, n) => expect(reply.text).toBe(api.line(ask(texts[n] ?? "")).customId));
    expect(replies[0]?.text).toBe(replies[7]?.text);
    // Per batch: the intent is journaled before the batch id.
    const created = log.filter((record) => record.t === "batch");
    expect(created).toHaveLength(3);
    for (const record of created) {
      const intent = log.findIndex((r) => r.t === "batch-intent" && r.intent === record.intent);
      expect(intent).toBeGreaterThanOrEqual(0);
      expect(intent).toBeLessThan(log.indexOf(record));
    }
  });

  it("splits a step at the byte limit", async () => {
    const line = api0().line(ask("x".repeat(100)));
    const { api, batches } = memoryApi({ maxRequests: 100, maxBytes: 2 * (line.json.length + 1) });
    const collector = collect(api, []);
    const signal = new AbortController().signal;
    await Promise.all(
      ["1", "2", "3", "4", "5"].map((n) => collector.submit(ask(n.repeat(100)), signal)),
    );
    expect(batches.map((batch) => batch.length).sort()).toEqual([1, 2, 2]);
  });
});

describe("BatchCollector after a restart", () => {
  it("sends anew the requests of a journaled batch the provider no longer knows", async () => {
    const { api, batches } = memoryApi({ maxRequests: 10, maxBytes: 1_000_000 });
    const id = api.line(ask("a")).customId;
    const log: BatchLogRecord[] = [
      { t: "batch-intent", model: "openai:m", intent: "old", ids: [id], at: 0 },
      { t: "batch", model: "openai:m", intent: "old", batch: "gone" },
    ];
    const retrieve = api.retrieve;
    let retrieved = 0;
    const gone: BatchApi = {
      ...api,
      retrieve: async (batchId) => {
        retrieved += 1;
        if (batchId === "gone") throw new TransportFailure("not-found", "no such batch", 404);
        return retrieve(batchId);
      },
    };
    const collector = collect(gone, log);
    const signal = new AbortController().signal;
    // The journaled batch is asked first (never sent again while it exists)...
    await expect(collector.submit(ask("a"), signal)).rejects.toThrow(/batch gone is gone/);
    expect(batches).toEqual([]);
    // ...and once it is known to be gone, the retry goes out in a batch of its own.
    expect((await collector.submit(ask("a"), signal)).text).toBe(id);
    expect(batches).toEqual([[id]]);
    expect(retrieved).toBe(2);
  });
});

describe("the batch journal's collected batches", () => {
  const collectedRecords = (log: BatchLogRecord[]) =>
    log.filter((record) => record.t === "batch-collected");

  it("marks a batch collected once every item admitted before it is in the run journal", async () => {
    const { api } = memoryApi({ maxRequests: 10, maxBytes: 1_000_000 });
    const failing = api.line(ask("b")).customId;
    const results = api.results;
    const partly: BatchApi = {
      ...api,
      results: async (id) => {
        const map = await results(id);
        map.set(failing, { ok: false, failure: new TransportFailure("server-error", "expired") });
        return map;
      },
    };
    const log: BatchLogRecord[] = [];
    const activity = new CallActivity();
    const collector = collect(partly, log, activity);
    for (const index of [0, 1, 2]) activity.itemAdmitted(index);
    const signal = new AbortController().signal;
    const settled = await Promise.allSettled(
      ["a", "b", "c"].map((text) => collector.submit(ask(text), signal)),
    );
    expect(settled.map((outcome) => outcome.status)).toEqual([
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    const intent = log.find((record) => record.t === "batch-intent");
    expect(intent).toMatchObject({ before: 3 });
    // Replies delivered, but items 0..2 are not all journaled: a crash now must find the batch.
    activity.itemsJournaled(2);
    expect(collectedRecords(log)).toEqual([]);
    activity.itemsJournaled(3);
    expect(collectedRecords(log)).toEqual([
      { t: "batch-collected", model: "openai:m", intent: intent?.intent, batch: "b1" },
    ]);
  });

  it("collects a batch a resumed run followed, and one it never had to ask", async () => {
    const { api } = memoryApi({ maxRequests: 10, maxBytes: 1_000_000 });
    const [a, b] = ["a", "b"].map((text) => api.line(ask(text)).customId) as [string, string];
    const reply = {
      text: "old",
      usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 },
      model: "m",
    };
    const earlier: BatchApi = {
      ...api,
      results: async (id) =>
        id === "old-batch"
          ? new Map([a, b].map((customId) => [customId, { ok: true as const, reply }]))
          : api.results(id),
    };
    // The earlier run: two batches in flight when it died (items 0..1, then 0..3).
    const log: BatchLogRecord[] = [
      { t: "batch-intent", model: "openai:m", intent: "old", ids: [a, b], at: 0, before: 2 },
      { t: "batch", model: "openai:m", intent: "old", batch: "old-batch" },
      { t: "batch-intent", model: "openai:m", intent: "unasked", ids: ["x-1"], at: 1, before: 4 },
      { t: "batch", model: "openai:m", intent: "unasked", batch: "unasked-batch" },
    ];
    const activity = new CallActivity();
    const collector = collect(earlier, log, activity);
    for (const index of [0, 1]) activity.itemAdmitted(index);
    // Item 1 had its reply cached before the crash; item 0 asks the old batch again.
    expect((await collector.submit(ask("a"), new AbortController().signal)).text).toBe("old");
    for (const index of [2, 3]) activity.itemAdmitted(index);
    activity.itemsJournaled(2);
    expect(collectedRecords(log).map((record) => record.intent)).toEqual(["old"]);
    activity.itemsJournaled(4);
    expect(collectedRecords(log).map((record) => record.intent)).toEqual(["old", "unasked"]);
  });

  it("keeps a batch until a later item that joined it while it ran is journaled too", async () => {
    const { api } = memoryApi({ maxRequests: 10, maxBytes: 1_000_000 });
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    let created!: () => void;
    const made = new Promise<void>((resolve) => (created = resolve));
    const held: BatchApi = {
      ...api,
      create: async (lines, intent, fileId) => {
        const id = await api.create(lines, intent, fileId);
        created();
        return id;
      },
      retrieve: async (id) => {
        await running;
        return api.retrieve(id);
      },
    };
    const log: BatchLogRecord[] = [];
    const activity = new CallActivity();
    const collector = collect(held, log, activity);
    const signal = new AbortController().signal;
    activity.itemAdmitted(0);
    const first = collector.submit(ask("a"), signal);
    await made;
    // Item 2 asks the same request while its batch runs: it waits on the same batch.
    activity.itemAdmitted(1);
    activity.itemAdmitted(2);
    const second = collector.submit(ask("a"), signal);
    release();
    expect((await first).text).toBe((await second).text);
    expect(log.find((record) => record.t === "batch-intent")).toMatchObject({ before: 1 });
    activity.itemsJournaled(1);
    expect(collectedRecords(log)).toEqual([]);
    activity.itemsJournaled(3);
    expect(collectedRecords(log)).toHaveLength(1);
  });

  it("keeps a batch whose polling gave up; collects older journals' intents when the run ends", async () => {
    const { api } = memoryApi({ maxRequests: 10, maxBytes: 1_000_000 });
    const failing: BatchApi = {
      ...api,
      retrieve: async () => {
        throw new TransportFailure("server-error", "status unavailable", 503);
      },
    };
    const log: BatchLogRecord[] = [
      // Written before intents carried `before`.
      { t: "batch-intent", model: "openai:m", intent: "older", ids: ["y-1"], at: 0 },
      { t: "batch", model: "openai:m", intent: "older", batch: "older-batch" },
    ];
    const activity = new CallActivity();
    const collector = collect(failing, log, activity);
    activity.itemAdmitted(0);
    await expect(collector.submit(ask("a"), new AbortController().signal)).rejects.toThrow(
      /status unavailable/,
    );
    activity.itemsJournaled(1);
    expect(collectedRecords(log)).toEqual([]);
    activity.itemsJournaled(Number.POSITIVE_INFINITY);
    // The run ended: the older intent went (and the journal was compacted); the batch that never
    // gave results stays for the rerun of its failed item.
    expect(log.map((record) => `${record.t}:${record.intent}`)).toEqual([
      "batch:older",
      `batch-intent:${log.find((record) => record.t === "batch-intent")?.intent ?? "?"}`,
      `batch:${log.find((record) => record.t === "batch-intent")?.intent ?? "?"}`,
    ]);
    expect(log.find((record) => record.t === "batch-intent")?.intent).not.toBe("older");
  });

  it("reads a journal without its collected intents, and rewrites it without them", () => {
    const ids = (prefix: string) => Array.from({ length: 3 }, (_, n) => `${prefix}-${n}`);
    let records: unknown[] = [
      { t: "batch-intent", model: "openai:m", intent: "done", ids: ids("d"), at: 0 },
      { t: "batch-file", model: "openai:m", intent: "done", file: "f1" },
      { t: "batch", model: "openai:m", intent: "done", batch: "b1" },
      { t: "batch-intent", model: "anthropic:m", intent: "other", ids: ids("o"), at: 0 },
      { t: "batch-collected", model: "openai:m", intent: "done", batch: "b1" },
      { t: "batch-intent", model: "openai:m", intent: "live", ids: ids("l"), at: 1 },
      { t: "batch", model: "openai:m", intent: "live", batch: "b2" },
    ];
    let rewrites = 0;
    const log = {
      records: (where?: (line: string) => boolean) =>
        where === undefined ? records : records.filter((r) => where(JSON.stringify(r))),
      append: (record: BatchLogRecord) => void records.push(record),
      rewrite: (keep: (line: string) => boolean) => {
        rewrites += 1;
        records = records.filter((record) => keep(JSON.stringify(record)));
      },
    };
    const index = new JournalIndex(log, "openai:m", 400);
    expect(rewrites).toBe(1);
    expect(
      records.map((r) => `${(r as BatchLogRecord).t}:${(r as BatchLogRecord).intent}`),
    ).toEqual(["batch:done", "batch-intent:other", "batch-intent:live", "batch:live"]);
    expect(index.lookup("d-0")).toBeUndefined();
    expect(index.lookup("l-1")?.batch).toBe("b2");
    expect(index.size).toBe(3);
    expect([...index.batchIds()]).toEqual(["b1", "b2"]);
    // Read again: nothing left to drop, so no rewrite.
    new JournalIndex(log, "openai:m");
    expect(rewrites).toBe(1);
    // In a run: past the threshold of collected bytes, the journal is compacted in passing.
    index.add({ t: "batch-collected", model: "openai:m", intent: "live", batch: "b2" });
    expect(index.size).toBe(0);
    expect(rewrites).toBe(1); // 3 ids: under 400 bytes
    index.add({
      t: "batch-intent",
      model: "openai:m",
      intent: "big",
      ids: ids("x".repeat(60)),
      at: 2,
    });
    index.add({ t: "batch", model: "openai:m", intent: "big", batch: "b3" });
    index.add({ t: "batch-collected", model: "openai:m", intent: "big", batch: "b3" });
    expect(rewrites).toBe(2);
    expect(JSON.stringify(records)).not.toContain(
      '"batch-intent","model":"openai:m","intent":"live"',
    );
    expect(JSON.stringify(records)).not.toContain('"intent":"big","ids"');
  });
});

function api0(): BatchApi {
  return memoryApi({ maxRequests: 1, maxBytes: 1 }).api;
}
