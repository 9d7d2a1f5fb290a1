// Files that mix layouts: `inspect`, `filter` and `split` read each row in its own layout among
// those of the file's kind (as `judge --pairs` does), say which layouts they saw and how many rows
// of each, refuse a mix of kinds at its line naming both layouts, and `--format` still forces one.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectDataset, runFilter, runSplit, parseShares } from "../../src/quality/index.js";
import { idOf, type JsonRow } from "../../src/datasets/layouts/layout.js";
import { charterInProcess } from "../cli/charter-in-process.js";
import { sftRow, tempDir, writeJsonl } from "./planted.js";

const EXAMPLE = join(import.meta.dirname, "..", "..", "examples", "pairs.jsonl");

/** 4 judge-input rows, 3 TRL rows, 2 TRL chat rows and 1 HH row, interleaved. */
function plantedMixed(dir: string): string {
  const judge = (i: number): unknown => ({
    id: `j${i}`,
    prompt: `Question ${i}?`,
    responses: [`Answer ${i}.`, `Other answer ${i}.`],
  });
  const trl = (i: number): unknown => ({
    id: `t${i}`,
    prompt: `Ask ${i}?`,
    chosen: `Good ${i}.`,
    rejected: `Bad ${i}.`,
  });
  const chat = (i: number): unknown => ({
    id: `c${i}`,
    prompt: [{ role: "user", content: `Chat ${i}?` }],
    chosen: [{ role: "assistant", content: `Kind ${i}.` }],
    rejected: [{ role: "assistant", content: `Rude ${i}.` }],
  });
  const hh = {
    chosen: "\n\nHuman: Hello?\n\nAssistant: Hi there.",
    rejected: "\n\nHuman: Hello?\n\nAssistant: Go away.",
  };
  return writeJsonl(join(dir, "mixed.jsonl"), [
    judge(1),
    trl(1),
    chat(1),
    judge(2),
    hh,
    trl(2),
    judge(3),
    chat(2),
    trl(3),
    judge(4),
  ]);
}

const MIXED_LAYOUTS = [
  { format: "judge-input", rows: 4 },
  { format: "preference-trl", rows: 3 },
  { format: "preference-trl-chat", rows: 2 },
  { format: "preference-hh", rows: 1 },
];

describe("a file of mixed layouts", () => {
  it("inspects the shipped examples/pairs.jsonl (judge --pairs' input) and says what it saw", async () => {
    const report = await inspectDataset(EXAMPLE);
    expect(report.source.format).toBe("judge-input");
    expect(report.source.kind).toBe("preference");
    expect(report.source.layouts).toEqual([
      { format: "judge-input", rows: 9 },
      { format: "preference-trl", rows: 1 },
    ]);
    expect(report.rows).toBe(10);
    expect(report.invalid.count).toBe(0);
    const run = await charterInProcess(tempDir(), ["inspect", EXAMPLE]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("(judge-input: 9 rows, preference-trl: 1 row)");
  });

  it("counts each layout exactly, in one thread and with workers over small blocks", async () => {
    const file = plantedMixed(tempDir());
    const single = await inspectDataset(file, { workers: 0 });
    expect(single.source.layouts).toEqual(MIXED_LAYOUTS);
    expect(single.rows).toBe(10);
    expect(single.sets.find((set) => set.name === "rejected")?.replies).toBe(10);
    const parallel = await inspectDataset(file, { workers: 2, blockBytes: 256 });
    expect(parallel).toEqual(single);
  });

  it("keeps the report of a file in one layout as it was: no `layouts` field", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "one.jsonl"), [
      sftRow("a", "Hi", "Hello"),
      sftRow("b", "Yo", "Hey"),
    ]);
    const report = await inspectDataset(file);
    expect(report.source.format).toBe("sft-trl");
    expect("layouts" in report.source).toBe(false);
  });

  it("refuses a mix of kinds at the row's line, naming both layouts", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "kinds.jsonl"), [
      { prompt: "Q?", responses: ["A.", "B."] },
      { prompt: "R?", chosen: "C.", rejected: "D." },
      sftRow("s1", "Hi", "Hello"),
    ]);
    const message =
      "kinds.jsonl:3: a sft-trl row (SFT) in a file whose first row is judge-input (preference): a file holds one kind of dataset";
    await expect(inspectDataset(file)).rejects.toThrow(message);
    await expect(inspectDataset(file, { workers: 1, blockBytes: 64 })).rejects.toThrow(message);
    await expect(runFilter({ input: file, out: join(dir, "f") })).rejects.toThrow(message);
    await expect(
      runSplit({ input: file, out: join(dir, "s"), into: parseShares("a=0.5,b=0.5") }),
    ).rejects.toThrow(message);
    // With --skip-invalid it is a bad row like any other: listed with the same message.
    const skipped = await inspectDataset(file, { skipInvalid: true });
    expect(skipped.rows).toBe(2);
    expect(skipped.invalid.examples.map((bad) => [bad.line, bad.message])).toEqual([
      [3, expect.stringContaining("a sft-trl row (SFT) in a file whose first row is judge-input")],
    ]);
  });

  it("still reads a broken row as the file's layout, whose message says what is wrong", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "broken.jsonl"), [
      { prompt: "Q?", chosen: "C.", rejected: "D." },
      { prompt: "R?", chosen: 3, rejected: "D." },
    ]);
    await expect(inspectDataset(file)).rejects.toThrow(
      "broken.jsonl:2: not a preference-trl row: `chosen` is not a string",
    );
  });

  it("--format still forces one layout on every row", async () => {
    await expect(inspectDataset(EXAMPLE, { format: "judge-input" })).rejects.toThrow(
      "pairs.jsonl:9: not a judge-input row: `responses` is not a list of strings",
    );
    const forced = await inspectDataset(EXAMPLE, { format: "judge-input", skipInvalid: true });
    expect(forced.rows).toBe(9);
    expect(forced.invalid.count).toBe(1);
    expect("layouts" in forced.source).toBe(false);
    const run = await charterInProcess(tempDir(), ["inspect", EXAMPLE, "--format", "judge-input"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("pairs.jsonl:9: not a judge-input row");
  });

  it("filter and split read the rows as inspect does and say the same layouts", async () => {
    const dir = tempDir();
    const file = plantedMixed(dir);
    const filtered = await runFilter({ input: file, out: join(dir, "f"), dedup: ["exact"] });
    expect(filtered.format).toBe("judge-input");
    expect(filtered.layouts).toEqual(MIXED_LAYOUTS);
    expect([filtered.rows, filtered.kept]).toEqual([10, 10]);
    expect(readFileSync(join(dir, "f", "kept.jsonl"), "utf8")).toBe(readFileSync(file, "utf8"));
    const split = await runSplit({
      input: file,
      out: join(dir, "s"),
      into: parseShares("a=0.5,b=0.5"),
    });
    expect(split.layouts).toEqual(MIXED_LAYOUTS);
    expect([split.rows, split.invalid]).toEqual([10, 0]);
    const one = await runSplit({
      input: file,
      out: join(dir, "one"),
      into: parseShares("a=0.5,b=0.5"),
      format: "preference-trl",
      skipInvalid: true,
    });
    expect("layouts" in one).toBe(false);
    expect([one.rows, one.invalid]).toEqual([3, 7]);
  });
});

/** One row judge --pairs takes, then three it refuses (lines 2-4), each for another reason. */
const UNJUDGEABLE = [
  { id: "ok", prompt: "Q?", chosen: "A.", rejected: "B." },
  {
    id: "ends-with-assistant",
    prompt: [
      { role: "user", content: "Q?" },
      { role: "assistant", content: "A." },
    ],
    chosen: [{ role: "assistant", content: "C." }],
    rejected: [{ role: "assistant", content: "D." }],
  },
  {
    chosen: "\n\nHuman: Hi?\n\nAssistant: Hello.",
    rejected: "\n\nHuman: Bye?\n\nAssistant: Go.",
  },
  { id: "one-reply", prompt: "Q?", responses: ["Only."] },
];

describe("preference rows judge --pairs would refuse", () => {
  it("are flagged by inspect with the pair reader's reason, in one thread and with workers", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "flags.jsonl"), UNJUDGEABLE);
    const single = await inspectDataset(file, { workers: 0 });
    expect(single.rows).toBe(4);
    expect(single.preference?.unjudgeableRows).toEqual({
      count: 3,
      examples: [
        { line: 2, message: "`prompt` must end with a user turn" },
        { line: 3, message: "`rejected` continues a different conversation than `chosen`" },
        { line: 4, message: "expected `responses` to be an array of at least two replies" },
      ],
    });
    expect(await inspectDataset(file, { workers: 2, blockBytes: 128 })).toEqual(single);
    const run = await charterInProcess(dir, ["inspect", file]);
    expect(run.stdout).toMatch(/judge --pairs refuses +3 rows/);
    // What judge --pairs takes whole is not flagged, and the field is absent.
    const clean = await inspectDataset(EXAMPLE);
    expect(clean.preference !== null && "unjudgeableRows" in clean.preference).toBe(false);
  });

  it("are removed by filter --drop unjudgeable with the same reasons, and only from preference data", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "flags.jsonl"), UNJUDGEABLE);
    const stats = await runFilter({ input: file, out: join(dir, "f"), drop: ["unjudgeable"] });
    expect([stats.rows, stats.kept, stats.removed]).toEqual([4, 1, 3]);
    expect(stats.steps).toEqual([{ rule: "unjudgeable", removed: 3 }]);
    const removed = readFileSync(join(dir, "f", "removed.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; rule: string; message: string });
    expect(removed.map(({ id, rule, message }) => [id, rule, message])).toEqual([
      ["ends-with-assistant", "unjudgeable", "`prompt` must end with a user turn"],
      ["line:3", "unjudgeable", "`rejected` continues a different conversation than `chosen`"],
      ["one-reply", "unjudgeable", "expected `responses` to be an array of at least two replies"],
    ]);
    // Without the rule nothing is removed: the check only flags.
    const kept = await runFilter({ input: file, out: join(dir, "g") });
    expect([kept.kept, kept.removed]).toEqual([4, 0]);
    const sft = writeJsonl(join(dir, "sft.jsonl"), [sftRow("a", "Q?", "A.")]);
    await expect(
      runFilter({ input: sft, out: join(dir, "h"), drop: ["unjudgeable"] }),
    ).rejects.toThrow("--drop unjudgeable applies to preference data");
  });
});

/** An sft-hf-cai row (the recipe's string columns, or the older `{role, content}` turns). */
function hfCaiRow(id: string, first: string, final: string, turns = false): unknown {
  const turn = (content: string) => ({ role: "assistant", content });
  return {
    id,
    init_prompt: "Q?",
    init_response: turns ? turn(first) : first,
    revision_response: turns ? turn(final) : final,
    prompt: "Q?",
    messages: [{ role: "user", content: "Q?" }, turn(final)],
    chosen: [{ role: "user", content: "Q?" }, turn(final)],
    rejected: [{ role: "user", content: "Q?" }, turn(first)],
  };
}

/**
 * SFT rows of three layouts, the first row's giving no first reply: `filter --drop unchanged`
 * judges each row by its own layout. Planted: h-same (line 2) and h-same-turns (line 6) left the
 * reply as it was; h-blank (line 7) did too but is blank, so `empty` (earlier in the order) takes
 * it; h-revised changed it; the sft-trl and sft-openai rows (lines 1, 4, 5) give no first reply.
 */
const MIXED_SFT = [
  sftRow("t1", "Hi", "Same words."),
  hfCaiRow("h-same", "Same reply.", "Same reply."),
  hfCaiRow("h-revised", "Draft reply.", "Better reply."),
  {
    messages: [
      { role: "user", content: "Yo" },
      { role: "assistant", content: "Same words." },
    ],
  },
  sftRow("t2", "Hey", "Hello."),
  hfCaiRow("h-same-turns", "Kept as it was.", "Kept as it was.", true),
  hfCaiRow("h-blank", " ", " "),
];

describe("filter --drop unchanged on SFT files of mixed layouts", () => {
  it("judges each row by its own layout and removes exactly the planted rows", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "mixed-sft.jsonl"), MIXED_SFT);
    const stats = await runFilter({
      input: file,
      out: join(dir, "f"),
      drop: ["empty", "unchanged"],
    });
    expect(stats.format).toBe("sft-trl");
    expect(stats.layouts).toEqual([
      { format: "sft-trl", rows: 2 },
      { format: "sft-hf-cai", rows: 4 },
      { format: "sft-openai", rows: 1 },
    ]);
    const removed = readFileSync(join(dir, "f", "removed.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { id: string; line: number; rule: string });
    expect(removed.map(({ id, line, rule }) => [id, line, rule])).toEqual([
      ["h-same", 2, "unchanged"],
      ["h-same-turns", 6, "unchanged"],
      ["h-blank", 7, "empty"],
    ]);
    const kept = readFileSync(join(dir, "f", "kept.jsonl"), "utf8")
      .trim()
      .split("\n");
    expect(kept.map((line, index) => idOf(JSON.parse(line) as JsonRow, index + 1))).toEqual([
      "t1",
      "h-revised",
      "line:3",
      "t2",
    ]);
    expect(stats.steps).toEqual([
      { rule: "empty", removed: 1 },
      { rule: "unchanged", removed: 2 },
    ]);
    // The three rows without a first reply are kept by the rule, and counted.
    expect(stats.settings.noFirstReply).toBe(3);
    // inspect counts the same rows as unchanged (h-blank included: it is blank and unchanged).
    const report = await inspectDataset(file);
    expect(report.badTargets.unchanged.count).toBe(3);
    const run = await charterInProcess(dir, [
      "filter",
      file,
      "--out",
      join(dir, "cli"),
      "--drop",
      "unchanged",
    ]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toContain("kept 4 of 7 rows, removed 3");
    expect(run.stdout).toContain("(unchanged: 3 rows without a first reply, kept)");
  });

  it("is refused, naming the layouts read, when no row gives a first reply; nothing is written", async () => {
    const dir = tempDir();
    const file = writeJsonl(join(dir, "plain.jsonl"), [MIXED_SFT[0], MIXED_SFT[3], MIXED_SFT[4]]);
    await expect(
      runFilter({ input: file, out: join(dir, "f"), drop: ["unchanged"] }),
    ).rejects.toThrow(
      `--drop unchanged needs a Phase 1 run folder or sft-hf-cai rows, which give the first reply: no row of ${file} does (sft-trl: 2 rows, sft-openai: 1 row)`,
    );
    expect(existsSync(join(dir, "f"))).toBe(false);
    // Without the rule the same file filters as before.
    expect((await runFilter({ input: file, out: join(dir, "g") })).kept).toBe(3);
  });

  it("is refused before reading when no row could give one: preference data, or --format of a layout without it", async () => {
    const dir = tempDir();
    const mixed = writeJsonl(join(dir, "mixed-sft.jsonl"), MIXED_SFT);
    await expect(
      runFilter({ input: mixed, out: join(dir, "f"), drop: ["unchanged"], format: "sft-openai" }),
    ).rejects.toThrow(
      `--drop unchanged needs a Phase 1 run folder or sft-hf-cai rows, which give the first reply (${mixed} is sft-openai, read as --format says)`,
    );
    await expect(
      runFilter({ input: EXAMPLE, out: join(dir, "g"), drop: ["unchanged"] }),
    ).rejects.toThrow(`(${EXAMPLE} is judge-input)`);
    // Forced to sft-hf-cai, the rows without its columns read with no first reply, and are kept.
    const forced = await runFilter({
      input: mixed,
      out: join(dir, "h"),
      drop: ["unchanged"],
      format: "sft-hf-cai",
    });
    expect(forced.steps).toEqual([{ rule: "unchanged", removed: 3 }]);
    expect(forced.settings.noFirstReply).toBe(3);
  });
});
