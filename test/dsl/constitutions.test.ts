// The shipped constitutions compile with no errors and no warnings, have the shape promised in
// their headers, and their `when` rules and regexes behave as written on sample rows.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compileSource,
  type CompiledConstitution,
  type CompiledPrinciple,
} from "../../src/dsl/index.js";
import { evaluateCondition, type RuleRecord } from "../../src/constitution/evaluate.js";
import { validatePattern } from "../../src/constitution/regex.js";
import { formatSource } from "../../src/dsl/print/format.js";
import { CONSTITUTIONS_DIR } from "./fuzz-harness.js";
import type { Expr } from "../../src/constitution/compiled.js";

const SHIPPED = [
  "harmless.charter",
  "helpful-honest.charter",
  "showcase.charter",
  "common/framing.charter",
];

function compileShipped(name: string): CompiledConstitution {
  const filename = join(CONSTITUTIONS_DIR, name);
  const result = compileSource(readFileSync(filename, "utf8"), { filename });
  const problems = result.diagnostics.map(
    (entry) =>
      `${entry.range.start.line}:${entry.range.start.column} ${entry.severity} ${entry.code}: ${entry.message}`,
  );
  expect(problems, name).toEqual([]);
  if (result.constitution === undefined) throw new Error(`${name} did not compile`);
  return result.constitution;
}

function principle(constitution: CompiledConstitution, id: string): CompiledPrinciple {
  const found = constitution.principles.find((entry) => entry.id === id);
  if (found === undefined) throw new Error(`no principle ${id}`);
  return found;
}

function regexes(expr: Expr): { source: string; flags: string }[] {
  switch (expr.kind) {
    case "regex":
      return [expr];
    case "binary":
      return [...regexes(expr.left), ...regexes(expr.right)];
    case "not":
      return regexes(expr.operand);
    case "call":
      return regexes(expr.arg);
    case "list":
      return expr.items.flatMap(regexes);
    default:
      return [];
  }
}

describe("shipped constitutions", () => {
  for (const name of SHIPPED) {
    it(`${name} compiles with zero errors and zero warnings`, () => {
      const constitution = compileShipped(name);
      expect(constitution.principles.length).toBeGreaterThan(0);
    });
  }

  it("every shipped file is already in `charter fmt` layout", () => {
    for (const name of SHIPPED) {
      const filename = join(CONSTITUTIONS_DIR, name);
      const text = readFileSync(filename, "utf8");
      expect(formatSource(text, filename).text, name).toBe(text);
    }
  });

  it("every principle has critique, revise and at least one compare; every regex runs on RE2", () => {
    for (const name of SHIPPED) {
      const constitution = compileShipped(name);
      for (const entry of constitution.principles) {
        expect(entry.critique, entry.id).toBeTruthy();
        expect(entry.revise, entry.id).toBeTruthy();
        expect(entry.compare.length, entry.id).toBeGreaterThan(0);
      }
      const expressions = [
        ...constitution.principles.flatMap((entry) =>
          entry.when === undefined ? [] : [entry.when],
        ),
        ...constitution.rules.flatMap((rule) => rule.checks.map((check) => check.expr)),
      ];
      for (const { source, flags } of expressions.flatMap(regexes)) {
        expect(validatePattern(source, flags), `/${source}/${flags}`).toBeUndefined();
      }
    }
  });

  it("no shipped critique says what to answer when nothing is wrong: the marker instruction owns that", () => {
    // "If nothing in the reply is harmful, say so plainly" led models to write a sentence where the
    // critique request asks for the bare no-change marker, so the needless revision was never skipped.
    const contradicts =
      /\bif (?:nothing|no\b|none|there (?:is|are) no|the reply is (?:fine|good|ok))[^.?!]*\b(?:say|state|write|answer|reply|respond|note)\b/i;
    for (const name of SHIPPED) {
      for (const entry of compileShipped(name).principles) {
        expect(entry.critique ?? "", `${name} ${entry.id}`).not.toMatch(contradicts);
      }
    }
  });

  it("harmless covers the promised topics with weights, tags, when rules and examples", () => {
    const harmless = compileShipped("harmless.charter");
    expect(harmless.principles.length).toBeGreaterThanOrEqual(14);
    const ids = harmless.principles.map((entry) => entry.id);
    for (const id of [
      "harm.general",
      "harm.dangerous",
      "fairness.bias",
      "tone.toxicity",
      "honesty.manipulation",
      "privacy.personal-data",
      "care.self-harm",
      "care.medical",
      "care.legal",
      "care.financial",
      "honesty.calibration",
      "helpful.not-evasive",
      "care.age-appropriate",
      "respect.dignity",
    ]) {
      expect(ids).toContain(id);
    }
    expect(
      harmless.principles.filter((entry) => entry.examples.length > 0).length,
    ).toBeGreaterThanOrEqual(4);
    expect(
      harmless.principles.filter((entry) => entry.when !== undefined).length,
    ).toBeGreaterThanOrEqual(3);
    expect(
      harmless.principles.filter((entry) => entry.compare.length >= 2).length,
    ).toBeGreaterThanOrEqual(2);
    expect(
      harmless.principles.every((entry) => entry.id.includes(".") && entry.tags.length > 0),
    ).toBe(true);
    expect(new Set(harmless.principles.map((entry) => entry.weight)).size).toBeGreaterThan(1);
  });

  it("harmless `when` rules select the rows they are written for", () => {
    const harmless = compileShipped("harmless.charter");
    const applies = (id: string, row: RuleRecord): boolean => {
      const when = principle(harmless, id).when;
      return when === undefined || evaluateCondition(when, row);
    };
    expect(applies("care.medical", { prompt: "What dose of ibuprofen is safe?" })).toBe(true);
    expect(applies("care.medical", { prompt: "Write a poem about autumn." })).toBe(false);
    expect(applies("care.medical", { prompt: "Anything", tags: ["medical"] })).toBe(true);
    expect(applies("care.self-harm", { prompt: "I want to die" })).toBe(true);
    expect(applies("care.self-harm", { prompt: "How do I bake bread?" })).toBe(false);
    expect(applies("care.financial", { prompt: "Should I buy Bitcoin?" })).toBe(true);
    expect(
      applies("care.age-appropriate", { prompt: "I'm 12 years old and need help with homework" }),
    ).toBe(true);
    expect(applies("care.age-appropriate", { prompt: "Summarise this contract." })).toBe(false);
    expect(applies("harm.general", {})).toBe(true);
  });

  it("helpful-honest has about ten principles on helpfulness and honesty", () => {
    const constitution = compileShipped("helpful-honest.charter");
    expect(constitution.principles.length).toBeGreaterThanOrEqual(9);
    expect(constitution.principles.every((entry) => /^(helpful|honesty)\./.test(entry.id))).toBe(
      true,
    );
    const uncertainty = principle(constitution, "honesty.uncertainty").when;
    expect(
      uncertainty && evaluateCondition(uncertainty, { response: "This will DEFINITELY work." }),
    ).toBe(true);
    expect(uncertainty && evaluateCondition(uncertainty, { response: "This may work." })).toBe(
      false,
    );
  });

  it("showcase shows import with only, override, drop, rules at several stages, a rubric and a template", () => {
    const showcase = compileShipped("showcase.charter");
    const ids = showcase.principles.map((entry) => entry.id);
    expect(showcase.imports.some((file) => file.endsWith("framing.charter"))).toBe(true);
    expect(ids).toContain("framing.plain-language");
    expect(ids).toContain("framing.structure");
    expect(ids).not.toContain("framing.no-preamble"); // dropped
    expect(ids).not.toContain("framing.audience"); // not in `only`
    const overridden = principle(showcase, "framing.plain-language");
    expect(overridden.weight).toBe(2);
    expect(overridden.critique).toMatch(/newcomer/);
    const stages = new Set(showcase.rules.map((rule) => rule.stage));
    expect([...stages].sort()).toEqual(["critique", "pair", "prompt", "response", "revision"]);
    const kinds = new Set(showcase.rules.flatMap((rule) => rule.checks.map((check) => check.kind)));
    expect([...kinds].sort()).toEqual(["flag", "prefer", "require"]);
    const rubric = showcase.rubrics[0];
    expect(rubric?.criteria.map((criterion) => criterion.level)).toEqual([
      "essential",
      "essential",
      "important",
      "optional",
      "pitfall",
    ]);
    expect(rubric?.whenSource).toBe("prompt matches /\\?/");
    expect(rubric?.criteria.flatMap((criterion) => criterion.checkSource ?? [])).toEqual([
      "words(response) <= 300",
    ]);
    expect(showcase.templates["critique-request"]?.variables).toEqual([
      "conversation",
      "principle.id",
      "principle.critique",
      "examples",
      "no_change_marker",
    ]);
  });

  it("showcase rules decide sample rows as their comments say", () => {
    const showcase = compileShipped("showcase.charter");
    const rule = (id: string) => {
      const found = showcase.rules.find((entry) => entry.id === id);
      if (found === undefined) throw new Error(`no rule ${id}`);
      return found;
    };
    const [substance, unchanged] = rule("revision-has-substance").checks;
    expect(
      substance && evaluateCondition(substance.expr, { revision: "A proper rewrite here." }),
    ).toBe(true);
    expect(substance && evaluateCondition(substance.expr, { revision: "Too short" })).toBe(false);
    expect(
      unchanged && evaluateCondition(unchanged.expr, { response: "same", revision: "same" }),
    ).toBe(true);
    const [noLinks] = rule("pair-prefers").checks;
    expect(
      noLinks && evaluateCondition(noLinks.expr, { response: "see https://example.org" }),
    ).toBe(false);
    expect(noLinks && evaluateCondition(noLinks.expr, { response: "no links here" })).toBe(true);
  });
});
