// `charter inspect` through the CLI entry: JSON schema, the table, formats, bad input, --compare.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { plantedSft, sftRow, tempDir, writeJsonl } from "../quality/planted.js";
import { captureIO } from "./cli-io.js";

async function charter(args: string[], cwd: string) {
  const io = captureIO(cwd);
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}

describe("charter inspect", () => {
  it("prints charter-inspect/1 JSON with the planted counts", async () => {
    const dir = tempDir();
    plantedSft(dir);
    const { code, stdout } = await charter(["inspect", "planted.jsonl", "--json"], dir);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.schema).toBe("charter-inspect/1");
    expect(report.comparison).toBeNull();
    expect(report.datasets[0].source.path).toBe("planted.jsonl");
    expect(report.datasets[0].duplicates.exact.duplicateRows).toBe(2);
    expect(report.datasets[0].duplicates.near.duplicateRows).toBe(3);
    expect(report.datasets[0].badTargets.refusal.count).toBe(2);
  });

  it("prints an aligned table by default", async () => {
    const dir = tempDir();
    plantedSft(dir);
    const { code, stdout } = await charter(["inspect", "planted.jsonl"], dir);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dataset +planted\.jsonl \(sft-trl\)$/m);
    expect(stdout).toMatch(/^exact duplicates +2 rows \(6\.7%\) in 2 clusters$/m);
    expect(stdout).toMatch(/^refusals +2 \(6\.7%\) e\.g\. r1: "I'm sorry, but I can't"$/m);
  });

  it("adds the config file's quality.phrases to the built-in lists", async () => {
    const dir = tempDir();
    writeJsonl(join(dir, "rows.jsonl"), [
      sftRow("a", "p", "Computer says no."),
      sftRow("b", "p2", "Sure, here it is."),
    ]);
    const before = await charter(["inspect", "rows.jsonl", "--json"], dir);
    expect(JSON.parse(before.stdout).datasets[0].badTargets.refusal.count).toBe(0);
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({ quality: { phrases: { refusal: ["computer says no"] } } }),
    );
    const after = await charter(["inspect", "rows.jsonl", "--json"], dir);
    expect(JSON.parse(after.stdout).datasets[0].badTargets.refusal.examples).toEqual([
      { id: "a", phrase: "Computer says no" },
    ]);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ quality: { phrases: { rude: ["x"] } } }));
    const bad = await charter(["inspect", "rows.jsonl", "--config", "bad.json"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown phrase list 'rude'");
  });

  it("names the formats it tried for an unknown layout, and file and line for a bad row", async () => {
    const dir = tempDir();
    writeJsonl(join(dir, "odd.jsonl"), [{ question: "q", answer: "a" }]);
    const unknown = await charter(["inspect", "odd.jsonl"], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "odd.jsonl:1: unknown dataset format (row has keys question, answer); tried sft-hf-cai, sft-trl,",
    );
    writeFileSync(
      join(dir, "bad.jsonl"),
      [
        JSON.stringify(sftRow("a", "p", "r")),
        "{not json",
        JSON.stringify({ id: "b", messages: "x" }),
      ].join("\n"),
    );
    const bad = await charter(["inspect", "bad.jsonl"], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.jsonl:2: not valid JSON/);
    const skipped = await charter(["inspect", "bad.jsonl", "--skip-invalid", "--json"], dir);
    expect(skipped.code).toBe(0);
    const report = JSON.parse(skipped.stdout).datasets[0];
    expect(report.rows).toBe(1);
    expect(report.invalid.count).toBe(2);
    expect(report.invalid.examples.map((example: { line: number }) => example.line)).toEqual([
      2, 3,
    ]);
    expect(report.invalid.examples[1].message).toBe(
      "not a sft-trl row: `messages` is not a list of messages",
    );
  });

  it("compares a collapsing generation with the one before it", async () => {
    const dir = tempDir();
    const varied = Array.from({ length: 40 }, (_, i) =>
      sftRow(
        `g1-${i}`,
        `prompt ${i}`,
        `Answer ${i}: ${"alpha beta gamma delta epsilon zeta eta theta"
          .split(" ")
          .slice(i % 8)
          .join(" ")} item${i} detail${i * 7}`,
      ),
    );
    const collapsed = Array.from({ length: 40 }, (_, i) =>
      sftRow(
        `g2-${i}`,
        `prompt ${i}`,
        `Great question! Here is a helpful answer for you number ${i % 3}.`,
      ),
    );
    writeJsonl(join(dir, "gen1.jsonl"), varied);
    writeJsonl(join(dir, "gen2.jsonl"), collapsed);
    const { code, stdout } = await charter(
      ["inspect", "gen1.jsonl", "--compare", "gen2.jsonl", "--json"],
      dir,
    );
    expect(code).toBe(0);
    const comparison = JSON.parse(stdout).comparison;
    expect(comparison.datasets).toEqual(["gen1.jsonl", "gen2.jsonl"]);
    const metric = (name: string) =>
      comparison.metrics.find((entry: { metric: string }) => entry.metric === name);
    expect(metric("sets.reply.diversity.distinct2").deltas[1]).toBeLessThan(-0.3);
    expect(metric("sets.reply.diversity.template.share").values).toEqual([0.025, 1]);
    expect(metric("sets.reply.diversity.gzipRatio").deltas[1]).toBeLessThan(-0.1);
    // Different prompts: the examples are not duplicates, though the replies collapsed.
    expect(metric("duplicates.exact.rate").values).toEqual([0, 0]);
    const table = await charter(["inspect", "gen1.jsonl", "--compare", "gen2.jsonl"], dir);
    expect(table.stdout).toMatch(
      /^sets\.reply\.diversity\.template\.share +0\.0250 +1 +\+0\.9750$/m,
    );
  });
});

describe("charter filter and charter split", () => {
  it("filters a file into kept, removed and stats, printing each filter's count", async () => {
    const dir = tempDir();
    plantedSft(dir);
    const { code, stdout } = await charter(
      [
        "filter",
        "planted.jsonl",
        "--out",
        "clean",
        "--dedup",
        "exact,near",
        "--drop",
        "refusals,identity",
      ],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      "kept 24 of 30 rows, removed 6 → clean\n  refusal          2\n  identity         1\n  duplicate-exact  2\n  duplicate-near   1\n",
    );
    const stats = JSON.parse(readFileSync(join(dir, "clean", "stats.json"), "utf8"));
    expect(stats.schema).toBe("charter-filter/1");
  });

  it("refuses unknown rules and a missing --out as usage errors", async () => {
    const dir = tempDir();
    plantedSft(dir);
    const unknown = await charter(["filter", "planted.jsonl", "--out", "x", "--drop", "rude"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--drop: unknown rule 'rude'");
    const noOut = await charter(["filter", "planted.jsonl"], dir);
    expect(noOut.code).toBe(2);
  });

  it("refuses --workers and the MinHash flags that are not whole numbers in range", async () => {
    const dir = tempDir();
    plantedSft(dir);
    for (const [flag, value, says] of [
      ["--workers", "", "--workers takes a whole number from 0 to 64, got ''"],
      ["--workers", "0x2", "--workers takes a whole number from 0 to 64, got '0x2'"],
      ["--workers", "500", "--workers takes a whole number from 0 to 64, got '500'"],
      ["--bands", "0", "--bands takes a whole number of at least 1, got '0'"],
      ["--rows", "1e1", "--rows takes a whole number of at least 1, got '1e1'"],
    ] as const) {
      const run = await charter(["inspect", "planted.jsonl", flag, value], dir);
      expect([run.code, run.stderr.split("\n")[0]]).toEqual([2, expect.stringContaining(says)]);
    }
    const zero = await charter(["inspect", "planted.jsonl", "--workers", "0", "--json"], dir);
    expect(zero.code).toBe(0);
  });

  it("splits by prompt hash into the named files", async () => {
    const dir = tempDir();
    plantedSft(dir);
    const { code, stdout } = await charter(
      ["split", "planted.jsonl", "--into", "sft=0.5,pref=0.5", "--out", "parts"],
      dir,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^split 30 rows → parts: sft \d+, pref \d+\n$/);
    const sft = readFileSync(join(dir, "parts", "sft.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean);
    const pref = readFileSync(join(dir, "parts", "pref.jsonl"), "utf8")
      .split("\n")
      .filter(Boolean);
    expect(sft.length + pref.length).toBe(30);
  });
});

describe("the README quickstart", () => {
  it("inspects and filters runs/demo, agreeing with the run's own stats", async () => {
    const dir = tempDir();
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const demo = await charter(
      [
        "revise",
        "--constitution",
        join(root, "constitutions/harmless.charter"),
        "--prompts",
        join(root, "examples/prompts.jsonl"),
        "--model",
        "offline:rehearsal",
        "--out",
        "runs/demo",
      ],
      dir,
    );
    expect(demo.code).toBe(0);
    const counters = JSON.parse(readFileSync(join(dir, "runs/demo/stats.json"), "utf8")).counters;
    const inspected = await charter(["inspect", "runs/demo", "--json"], dir);
    expect(inspected.code).toBe(0);
    const report = JSON.parse(inspected.stdout).datasets[0];
    expect(report.source.runCommand).toBe("revise");
    expect(report.run.rounds).toBe(
      counters.revised + counters["no-change"] + (counters.rejected ?? 0),
    );
    const revised = report.run.principles.reduce(
      (sum: number, p: { revised: number }) => sum + p.revised,
      0,
    );
    expect(revised).toBe(counters.revised);
    expect(report.badTargets.unchanged.count).toBe(counters["pairs-skipped-unrevised"] ?? 0);
    const table = await charter(["inspect", "runs/demo"], dir);
    expect(table.stdout).toMatch(/^dataset +runs\/demo \(sft-trl, revise run\)$/m);
    const filtered = await charter(
      [
        "filter",
        "runs/demo",
        "--out",
        "runs/demo-clean",
        "--dedup",
        "exact,near",
        "--drop",
        "refusals,unchanged",
      ],
      dir,
    );
    expect(filtered.code).toBe(0);
    const stats = JSON.parse(readFileSync(join(dir, "runs/demo-clean/stats.json"), "utf8"));
    expect(stats.steps.find((step: { rule: string }) => step.rule === "unchanged").removed).toBe(
      counters["pairs-skipped-unrevised"] ?? 0,
    );
    expect(stats.kept + stats.removed).toBe(report.rows);
  });
});

describe("charter inspect on a Phase 2 run folder", () => {
  it("reads preferences.jsonl and counts ties.jsonl, agreeing with the run's stats", async () => {
    const dir = tempDir();
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const judged = await charter(
      [
        "judge",
        "--constitution",
        join(root, "constitutions/showcase.charter"),
        "--pairs",
        join(root, "examples/pairs.jsonl"),
        "--judge",
        "offline:rehearsal",
        "--out",
        "runs/judged",
      ],
      dir,
    );
    expect(judged.code).toBe(0);
    const stats = JSON.parse(readFileSync(join(dir, "runs/judged/stats.json"), "utf8")).preferences;
    const { stdout } = await charter(["inspect", "runs/judged", "--json"], dir);
    const report = JSON.parse(stdout).datasets[0];
    expect(report.source).toMatchObject({ format: "preference-trl", runCommand: "judge" });
    expect(report.preference.pairs).toBe(stats.preferences);
    expect(report.preference.ties).toBe(stats.ties);
    expect(report.preference.decidedByRule).toBe(stats.decidedByRule);
    expect(report.run).toBeNull();
  });
});
