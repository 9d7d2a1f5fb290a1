// `filter` on planted datasets: which rows go, by which rule, in favour of which row; the order of
// filters; determinism; the input left alone; decontamination naming the evaluation row.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runFilter, runSplit, parseShares } from "../../src/quality/index.js";
import { lcg, plantedSft, randomText, sftRow, tempDir, writeJsonl } from "./planted.js";

interface Removed {
  id: string;
  rule: string;
  duplicate_of?: string;
  phrase?: string;
  eval?: { file: string; line: number; id: string; ngram: string };
}

function removed(dir: string): Removed[] {
  return readFileSync(join(dir, "removed.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Removed);
}

function keptIds(dir: string): string[] {
  return readFileSync(join(dir, "kept.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

describe("filter", () => {
  it("removes the planted duplicates and bad targets, each with its rule, in input order", async () => {
    const dir = tempDir();
    const input = plantedSft(dir);
    const before = readFileSync(input, "utf8");
    const stats = await runFilter({
      input,
      out: join(dir, "out"),
      dedup: ["exact", "near"],
      drop: ["refusal", "identity", "cutoff", "hedge", "empty"],
    });
    expect(
      removed(join(dir, "out")).map((row) => [row.id, row.rule, row.duplicate_of ?? row.phrase]),
    ).toEqual([
      ["x-u01", "duplicate-exact", "u01"],
      ["x-u02", "duplicate-exact", "u02"],
      ["n-u03", "duplicate-near", "u03"],
      ["r1", "refusal", "I'm sorry, but I can't"],
      ["r2", "refusal", "I cannot assist"],
      ["h1", "hedge", "It's important to note"],
      ["i1", "identity", "As an AI"],
      ["c1", "cutoff", "As of my last update"],
      ["e1", "empty", undefined],
    ]);
    expect(stats.kept).toBe(21);
    expect(stats.steps).toEqual([
      { rule: "empty", removed: 1 },
      { rule: "refusal", removed: 2 },
      { rule: "identity", removed: 1 },
      { rule: "cutoff", removed: 1 },
      { rule: "hedge", removed: 1 },
      { rule: "duplicate-exact", removed: 2 },
      { rule: "duplicate-near", removed: 1 },
    ]);
    expect(keptIds(join(dir, "out"))).toContain("u03");
    // Kept lines are the input's lines, byte for byte; the input is untouched.
    const inputLines = before.split("\n");
    for (const line of readFileSync(join(dir, "out", "kept.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean))
      expect(inputLines).toContain(line);
    expect(readFileSync(input, "utf8")).toBe(before);
  });

  it("gives the same bytes for the same input and seed", async () => {
    const dir = tempDir();
    const input = plantedSft(dir);
    const options = { input, dedup: ["exact", "near"] as const, drop: ["refusal"] as const };
    await runFilter({ ...options, out: join(dir, "a") });
    await runFilter({ ...options, out: join(dir, "b") });
    for (const file of ["kept.jsonl", "removed.jsonl", "stats.json"])
      expect(readFileSync(join(dir, "b", file))).toEqual(readFileSync(join(dir, "a", file)));
  });

  it("keeps a refusal's clean twin: duplicates are decided after the other filters", async () => {
    const dir = tempDir();
    const reply = randomText(lcg(3), 40);
    const input = writeJsonl(join(dir, "twins.jsonl"), [
      sftRow("refusing", "Same prompt", `${reply} I can't help with that.`),
      sftRow("clean", "Same prompt", `${reply} Here is how.`),
    ]);
    await runFilter({ input, out: join(dir, "out"), dedup: ["near"], drop: ["refusal"] });
    expect(removed(join(dir, "out")).map((row) => [row.id, row.rule])).toEqual([
      ["refusing", "refusal"],
    ]);
    expect(keptIds(join(dir, "out"))).toEqual(["clean"]);
  });

  it("drops truncated replies and unchanged revisions from a run folder's trace", async () => {
    const dir = tempDir();
    const run = join(dir, "run");
    writeJsonl(join(dir, "placeholder.jsonl"), []);
    const { mkdirSync } = await import("node:fs");
    mkdirSync(run);
    writeFileSync(
      join(run, "manifest.json"),
      JSON.stringify({ command: "revise", status: "complete" }),
    );
    writeJsonl(join(run, "sft.jsonl"), [
      sftRow("same", "p1", "first reply of same"),
      sftRow("cut", "p2", "a revision that stops in the mid"),
      sftRow("good", "p3", "a better revision"),
    ]);
    const call = (
      item: string,
      round: number,
      purpose: string,
      reply: string,
      finishReason = "stop",
    ) => ({
      item,
      event: "call",
      round,
      purpose,
      ...(purpose === "reply" ? {} : { principle: "p.x" }),
      reply,
      finishReason,
    });
    writeJsonl(join(run, "trace.jsonl"), [
      call("same", 0, "reply", "first reply of same"),
      call("same", 1, "critique", "fine"),
      { item: "same", event: "no-change", round: 1, principle: "p.x" },
      call("cut", 0, "reply", "first reply of cut"),
      call("cut", 1, "critique", "shorten"),
      call("cut", 1, "revision", "a revision that stops in the mid", "length"),
      call("good", 0, "reply", "first reply of good"),
      call("good", 1, "critique", "improve"),
      call("good", 1, "revision", "a better revision"),
    ]);
    const stats = await runFilter({
      input: run,
      out: join(dir, "out"),
      drop: ["truncated", "unchanged"],
    });
    expect(removed(join(dir, "out")).map((row) => [row.id, row.rule])).toEqual([
      ["same", "unchanged"],
      ["cut", "truncated"],
    ]);
    expect(stats.kept).toBe(1);
    await expect(
      runFilter({ input: join(run, "sft.jsonl"), out: join(dir, "o2"), drop: ["truncated"] }),
    ).rejects.toThrow(/--drop truncated needs a Phase 1 run folder/);
  });

  it("reads unchanged revisions from hf-cai rows and sends malformed rows to removed.jsonl with --skip-invalid", async () => {
    const dir = tempDir();
    const hfRow = (id: string, first: string, final: string) => ({
      id,
      prompt: "p",
      init_prompt: { role: "user", content: "p" },
      init_response: { role: "assistant", content: first },
      revision_response: { role: "assistant", content: final },
      messages: [
        { role: "user", content: "p" },
        { role: "assistant", content: final },
      ],
    });
    const input = join(dir, "hf.jsonl");
    writeFileSync(
      input,
      [
        JSON.stringify(hfRow("kept-one", "first", "revised")),
        "{broken",
        JSON.stringify(hfRow("same-one", "unchanged reply", "unchanged reply")),
      ].join("\n") + "\n",
    );
    const stats = await runFilter({
      input,
      out: join(dir, "out"),
      drop: ["unchanged"],
      skipInvalid: true,
    });
    expect(stats.format).toBe("sft-hf-cai");
    const rows = readFileSync(join(dir, "out", "removed.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean);
    expect(
      rows.map((line) => JSON.parse(line) as { rule: string; line: number; text?: string }),
    ).toEqual([
      expect.objectContaining({ rule: "invalid", line: 2, text: "{broken" }),
      expect.objectContaining({ rule: "unchanged", line: 3, id: "same-one" }),
    ]);
    expect(keptIds(join(dir, "out"))).toEqual(["kept-one"]);
    expect(stats.steps).toEqual([
      { rule: "invalid", removed: 1 },
      { rule: "unchanged", removed: 1 },
    ]);
  });

  it("decontaminates against evaluation prompts and answers, naming the evaluation row", async () => {
    const dir = tempDir();
    const next = lcg(11);
    const leaked = randomText(next, 20);
    const answer = randomText(next, 16);
    const evalFile = writeJsonl(join(dir, "eval.jsonl"), [
      { id: "e1", prompt: `Benchmark question: ${leaked}` },
      { id: "e2", prompt: "What is the capital of France?" },
      { id: "e3", prompt: "Unrelated eval question", response: answer },
    ]);
    const input = writeJsonl(join(dir, "train.jsonl"), [
      sftRow("t1", `Please answer: ${leaked.split(" ").slice(2, 17).join(" ")} thanks`, "r1"),
      sftRow("t2", "what is the   capital of france?", "Paris."),
      sftRow("t3", `Explain ${answer}`, "r3"),
      sftRow("t4", `Explain ${leaked.split(" ").slice(0, 12).join(" ")}`, "r4"),
    ]);
    const stats = await runFilter({ input, out: join(dir, "out"), decontaminate: [evalFile] });
    const rows = removed(join(dir, "out"));
    expect(rows.map((row) => [row.id, row.eval?.id, row.eval?.line])).toEqual([
      ["t1", "e1", 1],
      ["t2", "e2", 2],
      ["t3", "e3", 3],
    ]);
    expect(rows[0]!.eval?.ngram.split(" ")).toHaveLength(13);
    expect(rows[0]!.eval?.file).toBe("eval.jsonl");
    // t4 shares only 12 words: below the 13-gram.
    expect(stats.steps).toEqual([{ rule: "contaminated", removed: 3 }]);
  });

  it("uses scores.jsonl beside the input for --min-score and --keep best", async () => {
    const dir = tempDir();
    const reply = randomText(lcg(5), 50);
    const input = writeJsonl(join(dir, "scored.jsonl"), [
      sftRow("a", "q", reply),
      sftRow("b", "q", reply),
      sftRow("c", "q", reply),
      sftRow("low", "other question", randomText(lcg(6), 30)),
      sftRow("unscored", "third question", randomText(lcg(8), 30)),
    ]);
    writeJsonl(join(dir, "scores.jsonl"), [
      { id: "a", score: 0.6 },
      { id: "b", score: 0.9 },
      { id: "c", score: 0.7 },
      { id: "low", score: 0.1 },
    ]);
    const stats = await runFilter({
      input,
      out: join(dir, "out"),
      dedup: ["exact"],
      minScore: 0.5,
      keep: "best",
    });
    expect(removed(join(dir, "out")).map((row) => [row.id, row.rule, row.duplicate_of])).toEqual([
      ["a", "duplicate-exact", "b"],
      ["c", "duplicate-exact", "b"],
      ["low", "min-score", undefined],
    ]);
    expect(keptIds(join(dir, "out"))).toEqual(["b", "unscored"]);
    expect(stats.settings.unscored).toBe(1);
  });
});

describe("split", () => {
  it("puts every copy of a prompt in one split, deterministically", async () => {
    const dir = tempDir();
    const next = lcg(9);
    const rows = Array.from({ length: 400 }, (_, i) =>
      sftRow(`r${i}`, `Prompt number ${i % 150}`, randomText(next, 5)),
    );
    const input = writeJsonl(join(dir, "rows.jsonl"), rows);
    const stats = await runSplit({
      input,
      out: join(dir, "a"),
      into: parseShares("sft=0.5,pref=0.5"),
    });
    await runSplit({ input, out: join(dir, "b"), into: parseShares("sft=0.5,pref=0.5") });
    expect(readFileSync(join(dir, "b", "sft.jsonl"))).toEqual(
      readFileSync(join(dir, "a", "sft.jsonl")),
    );
    const promptsOf = (name: string) =>
      new Set(
        readFileSync(join(dir, "a", `${name}.jsonl`), "utf8")
          .split("\n")
          .filter(Boolean)
          .map(
            (line) =>
              (JSON.parse(line) as { messages: { content: string }[] }).messages[0]!.content,
          ),
      );
    const sft = promptsOf("sft");
    const pref = promptsOf("pref");
    expect([...sft].filter((prompt) => pref.has(prompt))).toEqual([]);
    expect(sft.size + pref.size).toBe(150);
    expect(stats.splits[0]!.rows + stats.splits[1]!.rows).toBe(400);
    expect(sft.size).toBeGreaterThan(55);
    expect(sft.size).toBeLessThan(95);
  });

  it("refuses fractions that do not add up to 1", () => {
    expect(() => parseShares("a=0.5,b=0.4")).toThrow(/add up to 0.9, not 1/);
    expect(() => parseShares("a=0.5,a=0.5")).toThrow(/named twice/);
  });
});
