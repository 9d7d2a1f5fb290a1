// --trace full|compact|off on real offline runs: a compact trace expands to the full trace's
// events, sharded compact traces merge line for line, `off` keeps the dataset and drops the calls,
// and `charter trace RUN ID` prints an item's requests as they were sent.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { readTraceOfRun, traceEventsOfText } from "../../src/io/index.js";
import { captureIO } from "./cli-io.js";

const repo = join(import.meta.dirname, "..", "..");
const revise = (out: string, ...extra: string[]): string[] => [
  "revise",
  "--constitution",
  join(repo, "constitutions", "harmless.charter"),
  "--prompts",
  join(repo, "examples", "prompts.jsonl"),
  "--model",
  "offline:rehearsal",
  "--out",
  out,
  "--quiet",
  ...extra,
];

let root = "";
const read = (...path: string[]): string => readFileSync(join(root, ...path), "utf8");
/** A run's trace events, expanded, without the latencies (which differ from run to run). */
const events = (dir: string): Record<string, unknown>[] =>
  readTraceOfRun(join(root, dir)).map(({ latencyMs: _latency, ...event }) => event);

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "charter-trace-"));
  for (const [dir, mode] of [
    ["full", "full"],
    ["compact", "compact"],
    ["off", "off"],
    ["default", undefined],
  ] as const) {
    const io = captureIO(root);
    const code = await main(revise(dir, ...(mode === undefined ? [] : ["--trace", mode])), io);
    expect(code, io.err()).toBe(0);
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("--trace", () => {
  it("compact (the default) expands to exactly the full trace's events, in far fewer bytes", () => {
    const full = events("full");
    expect(full.filter((event) => event.event === "call")).toHaveLength(76);
    expect(events("compact")).toEqual(full);
    expect(events("default")).toEqual(full);
    // One packed line per item, and each line is the item's events.
    const lines = read("compact", "trace.jsonl").trim().split("\n");
    expect(lines).toHaveLength(12);
    expect(lines.every((line) => JSON.parse(line).event === "packed")).toBe(true);
    expect(read("compact", "trace.jsonl").length).toBeLessThan(
      read("full", "trace.jsonl").length / 8,
    );
    // Issue 14's bar, on this offline run as on the bench's 50,000 prompts: at most 2× sft.jsonl.
    const bytes = (dir: string, file: string): number => Buffer.byteLength(read(dir, file));
    expect(bytes("compact", "trace.jsonl")).toBeLessThanOrEqual(2 * bytes("compact", "sft.jsonl"));
    for (const dir of ["full", "compact", "default", "off"])
      expect(read(dir, "sft.jsonl")).toBe(read("full", "sft.jsonl"));
    const settings = (dir: string): unknown =>
      JSON.parse(read(dir, "manifest.json")).settings.trace;
    expect([settings("full"), settings("compact"), settings("default"), settings("off")]).toEqual([
      "full",
      "compact",
      "compact",
      "off",
    ]);
  });

  it("off writes no call events, keeps the others, and the dataset is unchanged", () => {
    const off = events("off");
    expect(off.filter((event) => event.event === "call" || event.event === "call-failed")).toEqual(
      [],
    );
    expect(off).toEqual(
      events("full").filter((event) => event.event !== "call" && event.event !== "call-failed"),
    );
    expect(off.length).toBeGreaterThan(0);
  });

  it("refuses to resume a folder with another trace mode", async () => {
    const io = captureIO(root);
    expect(await main(revise("compact", "--trace", "full"), io)).toBe(1);
    expect(io.err()).toContain('trace: "compact" -> "full"');
  });

  it("refuses an unknown mode", async () => {
    const io = captureIO(root);
    expect(await main(revise("other", "--trace", "gzip"), io)).toBe(2);
    expect(io.err()).toContain("--trace must be full, compact, off (got 'gzip')");
  });

  it("merges sharded compact traces line for line, into the whole run's events", async () => {
    for (const index of [0, 1, 2]) {
      const io = captureIO(root);
      expect(await main(revise(`s${index}`, "--shard", `${index}/3`), io), io.err()).toBe(0);
    }
    const io = captureIO(root);
    expect(await main(["merge", "--out", "merged", "s2", "s0", "s1"], io), io.err()).toBe(0);
    const merged = read("merged", "trace.jsonl").trim().split("\n");
    const shardLines = new Set(
      ["s0", "s1", "s2"].flatMap((dir) => read(dir, "trace.jsonl").trim().split("\n")),
    );
    expect(merged).toHaveLength(12);
    expect(merged.every((line) => shardLines.has(line))).toBe(true);
    expect(events("merged")).toEqual(events("full"));
  });
});

describe("the readers of a trace see no difference between full and compact", () => {
  const output = async (argv: string[]): Promise<string> => {
    const io = captureIO(root);
    expect(await main(argv, io), io.err()).toBe(0);
    return io.out();
  };

  it("charter show ID and charter inspect --json say the same of both runs", async () => {
    expect(await output(["show", "compact", "lockpick", "--no-color"])).toBe(
      await output(["show", "full", "lockpick", "--no-color"]),
    );
    const inspect = async (dir: string): Promise<string> =>
      (await output(["inspect", dir, "--json"]))
        .replaceAll(join(root, dir), "RUN")
        .replaceAll(dir, "RUN");
    expect(await inspect("compact")).toBe(await inspect("full"));
  });
});

describe("charter trace RUN ID", () => {
  it("prints each call's messages, settings, reply and usage, the same from full and compact", async () => {
    const outputs: string[] = [];
    for (const dir of ["full", "compact"]) {
      const io = captureIO(root);
      expect(await main(["trace", dir, "lockpick"], io), io.err()).toBe(0);
      outputs.push(
        io
          .out()
          .replace(/ · \d+ ms/g, " · N ms")
          .replace(/ \(trace \w+\)/, ""),
      );
    }
    expect(outputs[0]).toBe(outputs[1]);
    const text = outputs[1] ?? "";
    const calls = events("full").filter((e) => e.item === "lockpick" && e.event === "call");
    expect(text.startsWith(`lockpick: ${calls.length} calls`)).toBe(true);
    const critique = calls.find((call) => call.purpose === "critique") as {
      request: { messages: { content: string }[]; params: { seed: number } };
      reply: string;
    };
    expect(text).toContain(`settings: temperature 0.7, seed ${critique.request.params.seed}`);
    for (const message of critique.request.messages)
      expect(text).toContain(
        message.content
          .split("\n")
          .map((line) => `    ${line}`)
          .join("\n"),
      );
    expect(text).toContain(`[reply] (stop)\n    ${critique.reply}`);
    expect(text).toMatch(/tokens: inputTokens \d+, outputTokens \d+, cachedTokens 0/);
  });

  it("--json gives the item's events, expanded", async () => {
    const io = captureIO(root);
    expect(await main(["trace", "compact", "lockpick", "--json"], io)).toBe(0);
    const printed = traceEventsOfText(io.out()).map(({ latencyMs: _l, ...event }) => event);
    expect(printed).toEqual(events("full").filter((event) => event.item === "lockpick"));
  });

  it("says when the run kept no calls, and names an unknown item", async () => {
    const off = captureIO(root);
    expect(await main(["trace", "off", "sleep"], off)).toBe(0);
    expect(off.out()).toContain("sleep: 0 calls, 2 other events (trace off)");
    expect(off.out()).toContain("this run was made with --trace off: its calls were not recorded");
    const none = captureIO(root);
    expect(await main(["trace", "off", "lockpick"], none)).toBe(1);
    expect(none.err()).toContain("(the run was made with --trace off");
    const unknown = captureIO(root);
    expect(await main(["trace", "compact", "nope"], unknown)).toBe(1);
    expect(unknown.err()).toContain("no item 'nope' in compact/trace.jsonl");
  });
});
