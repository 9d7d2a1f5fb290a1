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
      "{{conversation}}\n\nCritique request: {{principle.critique}}",
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
