// compileSource end to end on valid files: the design sketch compiles unchanged, every construct
// lands in the compiled form, and the hash ignores locations.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/dsl/index.js";

const sketchPath = join(import.meta.dirname, "fixtures", "sketch.charter");
const sketch = readFileSync(sketchPath, "utf8");

describe("compileSource", () => {
  it("compiles the design sketch unchanged with zero diagnostics", () => {
    const result = compileSource(sketch, { filename: "sketch.charter" });
    expect(result.diagnostics).toEqual([]);
    const constitution = result.constitution;
    expect(constitution?.schema).toBe("charter/1");
    expect(constitution?.name).toBe("harmless");
    expect(constitution?.version).toBe("1.0.0");
    expect(constitution?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(constitution?.principles.map((principle) => principle.id)).toEqual([
      "harm.general",
      "honesty.calibrated",
    ]);
    expect(constitution?.rules.map((rule) => [rule.id, rule.stage])).toEqual([
      ["revision-has-substance", "revision"],
      ["no-links", "pair"],
    ]);
    expect(constitution?.rubrics[0]?.criteria.map((criterion) => criterion.weight)).toEqual([
      5, 3, 1, -4,
    ]);
    expect(Object.keys(constitution?.templates ?? {})).toEqual(["critique-request"]);
    expect(constitution?.defaults).toEqual({
      revisions: 3,
      "judge-principles": 2,
      "both-orders": true,
    });
  });

  it("keeps every construct of a principle, with locations", () => {
    const honesty = compileSource(sketch, { filename: "sketch.charter" }).constitution
      ?.principles[1];
    expect(honesty).toMatchObject({
      id: "honesty.calibrated",
      weight: 1,
      tags: ["honesty"],
      critique: "Does the reply claim more certainty than the evidence supports?",
      revise: "Rewrite the reply so each claim carries the confidence it deserves.",
      compare: ["Which reply is more honest about what it does not know?"],
      whenSource: "response matches /\\b(definitely|guaranteed|always)\\b/i",
      location: { file: "sketch.charter", line: 32, column: 1 },
    });
    expect(honesty?.when).toEqual({
      kind: "binary",
      op: "matches",
      left: { kind: "field", name: "response" },
      right: { kind: "regex", source: "\\b(definitely|guaranteed|always)\\b", flags: "i" },
    });
    expect(honesty?.examples[0]).toMatchObject({
      prompt: "Will this stock go up next week?",
      revision: "Nobody can know that; here is how to think about the risk...",
      location: { line: 39, column: 3 },
    });
  });

  it("dedents triple-quoted blocks and trims their first and last blank lines", () => {
    const constitution = compileSource(sketch, { filename: "sketch.charter" }).constitution;
    expect(constitution?.about).toBe(
      "General-purpose harmlessness principles for critique-and-revise\nand for preference labelling.",
    );
    expect(constitution?.templates["critique-request"]?.text).toBe(
      "{{conversation}}\n\nCritique request: {{principle.critique}}\nIf nothing needs changing, answer exactly {{no_change_marker}}.",
    );
  });

  it("hashes content, not positions: moving text around keeps the hash", () => {
    const first = compileSource(sketch, { filename: "a.charter" }).constitution?.hash;
    const moved = compileSource(`\n\n# moved\n${sketch.replace(/\n {2}/g, "\n    ")}`, {
      filename: "b/other.charter",
    }).constitution?.hash;
    expect(moved).toBe(first);
    const changed = compileSource(sketch.replace("weight 2", "weight 3"), {
      filename: "a.charter",
    });
    expect(changed.constitution?.hash).not.toBe(first);
  });

  it("parses expression precedence: or < and < not < comparison", () => {
    const text = `charter "x" version "1.0.0"
rule r {
  on response
  flag not response contains "a" or words(response) > 3 and "t" in tags
}`;
    const rule = compileSource(text, { filename: "x.charter" }).constitution?.rules[0];
    expect(rule?.checks[0]?.source).toBe(
      'not response contains "a" or words(response) > 3 and "t" in tags',
    );
    expect(rule?.checks[0]?.expr).toMatchObject({
      kind: "binary",
      op: "or",
      left: { kind: "not", operand: { kind: "binary", op: "contains" } },
      right: { kind: "binary", op: "and", left: { op: ">" }, right: { op: "in" } },
    });
  });
});

describe("the no-change marker in a custom critique request", () => {
  const compile = (files: Record<string, string>) =>
    compileSource(files["main.charter"] ?? "", {
      filename: "main.charter",
      root: ".",
      readFile: (path) => files[path],
    })
      .diagnostics.map((entry) => `${entry.range.file}:${entry.range.start.line} ${entry.code}`)
      .filter((line) => line.endsWith("no-change-marker-unused"));
  const head = 'charter "m" version "1.0.0"\nprinciple p { critique "c" revise "r" }\n';
  const asking =
    'template critique-request "{{principle.critique}} Else say {{no_change_marker}}."';
  const silent = 'template critique-request "{{principle.critique}} If fine, say NO_CHANGES."';

  it("warns where the template lacks {{no_change_marker}}, even when it spells the marker out", () => {
    expect(compile({ "main.charter": `${head}${silent}\n` })).toEqual([
      "main.charter:3 no-change-marker-unused",
    ]);
    expect(compile({ "main.charter": `${head}${asking}\n` })).toEqual([]);
    expect(compile({ "main.charter": head })).toEqual([]);
  });

  it("does not warn when `defaults` turns the skip off with an empty marker", () => {
    const off = `${head}defaults { no-change-marker "" }\n${silent}\n`;
    expect(compile({ "main.charter": off })).toEqual([]);
  });

  it("looks across files: an imported template, the entry's defaults", () => {
    const lib = `${silent}\n`;
    const main = `${head}import "./lib.charter"\n`;
    expect(compile({ "main.charter": main, "lib.charter": lib })).toEqual([
      "lib.charter:1 no-change-marker-unused",
    ]);
    const off = `${main}defaults { no-change-marker "" }\n`;
    expect(compile({ "main.charter": off, "lib.charter": lib })).toEqual([]);
  });
});
