// Regex safety for rule expressions: linear time on catastrophic patterns, flags, validation,
// caching, and the documented input bound.
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/dsl/index.js";
import { evaluateCondition } from "../../src/constitution/evaluate.js";
import {
  MATCH_WORK_BUDGET,
  MAX_MATCH_INPUT,
  compilePattern,
  compiledPatternCount,
  truncate,
  validatePattern,
} from "../../src/constitution/regex.js";

const matches = (text: string, source: string, flags = ""): boolean =>
  evaluateCondition(
    {
      kind: "binary",
      op: "matches",
      left: { kind: "field", name: "response" },
      right: { kind: "regex", source, flags },
    },
    { response: text },
  );

describe("catastrophic backtracking cannot hang a rule", () => {
  const hostile = "a".repeat(50_000) + "!";

  it("native RegExp grows exponentially on these patterns even at small sizes (the reason for RE2)", () => {
    // Measured on tiny inputs only: six more characters cost the native engine ~18x (Fibonacci growth).
    const nativeTime = (n: number): number => {
      let best = Infinity;
      for (let run = 0; run < 3; run++) {
        const start = performance.now();
        /^(a|aa)+$/.test("a".repeat(n) + "!");
        best = Math.min(best, performance.now() - start);
      }
      return best;
    };
    expect(nativeTime(30) / nativeTime(24)).toBeGreaterThan(4);
  });

  for (const [source, flags] of [
    ["(a+)+$", ""],
    ["^(a|aa)+$", ""],
    ["(a|a?)+b", "i"],
    ["^(\\w+\\s?)*$", ""],
    ["(.*a){20}$", "s"],
  ] as const) {
    it(`/${source}/${flags} on a 50,000-char hostile string finishes in linear time`, () => {
      const start = performance.now();
      expect(matches(hostile, source, flags)).toBe(false);
      expect(performance.now() - start).toBeLessThan(1_000);
    });
  }

  it("still finds real matches on the hostile string", () => {
    expect(matches(hostile, "(a+)+!$")).toBe(true);
    expect(matches("a".repeat(50_000), "^(a|aa)+$")).toBe(true);
  });

  it("a large pattern on 1 MB of adversarial text stays bounded by the work budget", () => {
    let state = 7;
    const letters: string[] = [];
    for (let i = 0; i < MAX_MATCH_INPUT; i++) {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      letters.push((state >> 16) & 1 ? "a" : "b");
    }
    const text = letters.join("");
    const pattern = compilePattern("a[ab]{200}[xy]", "");
    expect(pattern).toBeDefined();
    expect(pattern?.inputLimit).toBeLessThan(MAX_MATCH_INPUT);
    const start = performance.now();
    expect(pattern?.test(text)).toBe(false);
    expect(performance.now() - start).toBeLessThan(3_000);
  });
});

describe("validatePattern", () => {
  it("accepts RE2 syntax and the JavaScript spellings people write", () => {
    for (const source of [
      "\\b(definitely|guaranteed|always)\\b",
      "https?:\\/\\/",
      "\\u00e9",
      "(?<year>\\d{4})",
      "[^\\s]+",
    ]) {
      expect(validatePattern(source, "i"), source).toBeUndefined();
    }
  });

  it("accepts the flags i, m, s and u (a no-op: RE2 matches by code point) and rejects others or repeats", () => {
    expect(validatePattern("a", "imsu")).toBeUndefined();
    expect(matches("😀", "^.$", "u")).toBe(true);
    expect(matches("😀", "^.$", "")).toBe(true);
    expect(validatePattern("a", "g")).toBe("regex flag `g` is not supported (use i, m, s or u)");
    expect(validatePattern("a", "y")).toMatch(/flag `y` is not supported/);
    expect(validatePattern("a", "ii")).toBe("regex flag `i` is repeated");
    expect(validatePattern("a", "uu")).toBe("regex flag `u` is repeated");
  });

  it("rejects lookaround and backreferences with the reason", () => {
    expect(validatePattern("(?=a)b", "")).toMatch(
      /lookaround and backreferences are not supported/,
    );
    expect(validatePattern("(?<!a)b", "")).toMatch(
      /lookaround and backreferences are not supported/,
    );
    expect(validatePattern("(a)\\1", "")).toMatch(
      /lookaround and backreferences are not supported/,
    );
  });

  it("rejects syntax errors and oversized programs", () => {
    expect(validatePattern("(", "")).toMatch(/^invalid regex: missing closing \)/);
    expect(validatePattern("a{1001}", "")).toMatch(/^invalid regex: invalid repeat count/);
    expect(validatePattern("[ab]{1000}[cd]{1000}x", "")).toMatch(
      /^regex is too large \(\d+ instructions, at most 2000\)/,
    );
  });
});

describe("compilation cache and input bound", () => {
  it("compiles each (pattern, flags) once and reuses it", () => {
    const first = compilePattern("cache-probe-\\d+", "i");
    const count = compiledPatternCount();
    for (let i = 0; i < 100; i++) matches(`x cache-probe-${i}`, "cache-probe-\\d+", "i");
    expect(compilePattern("cache-probe-\\d+", "i")).toBe(first);
    expect(compiledPatternCount()).toBe(count);
    expect(compilePattern("cache-probe-\\d+", "")).not.toBe(first);
  });

  it("looks only at the first inputLimit code units (documented bound)", () => {
    const pattern = compilePattern("needle", "");
    expect(pattern?.inputLimit).toBe(Math.min(MAX_MATCH_INPUT, Math.floor(MATCH_WORK_BUDGET / 8)));
    const limit = pattern?.inputLimit ?? 0;
    expect(pattern?.test("x".repeat(limit - 6) + "needle")).toBe(true);
    expect(pattern?.test("x".repeat(limit) + "needle")).toBe(false);
  });

  it("truncate never splits a surrogate pair", () => {
    expect(truncate("ab😀", 3)).toBe("ab");
    expect(truncate("ab😀", 4)).toBe("ab😀");
    expect(truncate("abc", 10)).toBe("abc");
  });
});

describe("the compiler and the evaluator agree on regexes", () => {
  const compiles = (source: string, flags: string): boolean => {
    const text = `charter "r" version "1.0.0"\nprinciple p {\n  when response matches /${source}/${flags}\n  critique "c"\n  revise "r"\n  compare "q"\n}\n`;
    return compileSource(text, { filename: "/regex/r.charter" }).constitution !== undefined;
  };

  it("every pattern the compiler accepts here is one `matches` can run", () => {
    for (const [source, flags] of [
      ["\\b(definitely|always)\\b", "i"],
      ["^\\s*$", "m"],
      ["a.b", "s"],
      ["x", "u"],
      ["(a+)+$", ""],
      ["[^\\s]+", ""],
    ] as const) {
      expect(compiles(source, flags), `/${source}/${flags}`).toBe(true);
      expect(validatePattern(source, flags), `/${source}/${flags}`).toBeUndefined();
    }
  });

  // The compiler validates with validatePattern, so it and the rule engine agree on what runs.
  it("a pattern too large for the rule engine is rejected at compile time", () => {
    expect(validatePattern("[ab]{1000}[cd]{1000}x", "")).toMatch(/too large/);
    expect(compiles("[ab]{1000}[cd]{1000}x", "")).toBe(false);
  });
});
