// The rule expression evaluator: every operator and function, precedence as trees, missing fields,
// tags, and totality on malformed trees and records.
import { describe, expect, it } from "vitest";
import type { Expr, ExprBinaryOp, ExprField } from "../../src/constitution/compiled.js";
import {
  MAX_EXPR_DEPTH,
  evaluate,
  evaluateCondition,
  evaluateRule,
  toText,
  truthy,
  type RuleRecord,
} from "../../src/constitution/evaluate.js";

const field = (name: ExprField): Expr => ({ kind: "field", name });
const str = (value: string): Expr => ({ kind: "string", value });
const num = (value: number): Expr => ({ kind: "number", value });
const bool = (value: boolean): Expr => ({ kind: "boolean", value });
const re = (source: string, flags = ""): Expr => ({ kind: "regex", source, flags });
const list = (...items: Expr[]): Expr => ({ kind: "list", items });
const bin = (left: Expr, op: ExprBinaryOp, right: Expr): Expr => ({
  kind: "binary",
  op,
  left,
  right,
});
const not = (operand: Expr): Expr => ({ kind: "not", operand });
const words = (arg: Expr): Expr => ({ kind: "call", fn: "words", arg });
const chars = (arg: Expr): Expr => ({ kind: "call", fn: "chars", arg });
const lines = (arg: Expr): Expr => ({ kind: "call", fn: "lines", arg });

const record: RuleRecord = {
  prompt: "How do I bake bread?",
  response: "Mix flour and water.\nKnead it.\nBake at 230C.",
  critique: "The reply is terse.",
  revision: "Mix 500 g flour with 350 g water, knead ten minutes, bake at 230C.",
  tags: ["cooking", "how-to"],
};
const holds = (expr: Expr, row: RuleRecord = record): boolean => evaluateCondition(expr, row);

describe("functions", () => {
  it("words counts whitespace-separated runs, Unicode spaces included", () => {
    expect(evaluate(words(field("response")), record)).toBe(9);
    expect(evaluate(words(str("  a\u00a0b\u3000c\t\nd  ")), {})).toBe(4);
    expect(evaluate(words(str("")), {})).toBe(0);
    expect(evaluate(words(str("   ")), {})).toBe(0);
  });

  it("chars counts Unicode code points, not UTF-16 units", () => {
    expect(evaluate(chars(str("héllo")), {})).toBe(5);
    expect(evaluate(chars(str("😀😀a")), {})).toBe(3);
    expect(evaluate(chars(str("\ud800x")), {})).toBe(2); // a lone surrogate counts once
    expect(evaluate(chars(str("")), {})).toBe(0);
  });

  it("lines counts lines; a final line break ends the last line; \\r\\n is one break", () => {
    expect(evaluate(lines(field("response")), record)).toBe(3);
    expect(evaluate(lines(str("")), {})).toBe(0);
    expect(evaluate(lines(str("one")), {})).toBe(1);
    expect(evaluate(lines(str("one\n")), {})).toBe(1);
    expect(evaluate(lines(str("a\r\nb\rc\n\n")), {})).toBe(4);
  });

  it("functions on the tags list read its items joined by newlines", () => {
    expect(evaluate(lines(field("tags")), record)).toBe(2);
    expect(evaluate(words(field("tags")), record)).toBe(2);
  });
});

describe("string operators", () => {
  it("matches runs a regex with flags", () => {
    expect(holds(bin(field("response"), "matches", re("bake", "i")))).toBe(true);
    expect(holds(bin(field("response"), "matches", re("bake")))).toBe(false);
    expect(holds(bin(field("response"), "matches", re("^Knead", "m")))).toBe(true);
    expect(holds(bin(field("response"), "matches", re("^Knead")))).toBe(false);
    expect(holds(bin(field("response"), "matches", re("water.*Bake", "s")))).toBe(true);
    expect(holds(bin(field("response"), "matches", re("water.*Bake")))).toBe(false);
    expect(holds(bin(str("see https://x.org"), "matches", re("https?:\\/\\/")))).toBe(true);
  });

  it("matches with an unusable pattern is false, not an error", () => {
    expect(holds(bin(str("aa"), "matches", re("(a)\\1")))).toBe(false);
    expect(holds(bin(str("aa"), "matches", re("a", "g")))).toBe(false);
    expect(holds(bin(str("aa"), "matches", re("(")))).toBe(false);
  });

  it("matches with a string reads it as a pattern; with a list, any pattern", () => {
    expect(holds(bin(str("abc123"), "matches", str("\\d+")))).toBe(true);
    expect(holds(bin(str("abc"), "matches", list(re("x"), re("B", "i"))))).toBe(true);
    expect(holds(bin(str("abc"), "matches", list(re("x"), re("B"))))).toBe(false);
  });

  it("matches on tags holds when any tag matches", () => {
    expect(holds(bin(field("tags"), "matches", re("^how")))).toBe(true);
    expect(holds(bin(field("tags"), "matches", re("^to")))).toBe(false);
  });

  it("contains is a case-sensitive substring test on text", () => {
    expect(holds(bin(field("prompt"), "contains", str("bake")))).toBe(true);
    expect(holds(bin(field("prompt"), "contains", str("Bake")))).toBe(false);
    expect(holds(bin(field("prompt"), "contains", str("")))).toBe(true);
  });

  it("contains with a regex on the right matches it", () => {
    expect(holds(bin(field("prompt"), "contains", re("BREAD", "i")))).toBe(true);
  });

  it("contains on the tags list is membership, not substring", () => {
    expect(holds(bin(field("tags"), "contains", str("cooking")))).toBe(true);
    expect(holds(bin(field("tags"), "contains", str("cook")))).toBe(false);
  });

  it("startswith and endswith", () => {
    expect(holds(bin(field("prompt"), "startswith", str("How")))).toBe(true);
    expect(holds(bin(field("prompt"), "startswith", str("bread")))).toBe(false);
    expect(holds(bin(field("prompt"), "endswith", str("bread?")))).toBe(true);
    expect(holds(bin(field("prompt"), "endswith", str("How")))).toBe(false);
    expect(holds(bin(field("tags"), "startswith", str("how")))).toBe(true); // any tag
  });

  it("in: string in a list is membership, string in a string is substring", () => {
    expect(holds(bin(str("how-to"), "in", field("tags")))).toBe(true);
    expect(holds(bin(str("how"), "in", field("tags")))).toBe(false);
    expect(holds(bin(str("flour"), "in", field("response")))).toBe(true);
    expect(holds(bin(str("sugar"), "in", field("response")))).toBe(false);
    expect(holds(bin(str("b"), "in", list(str("a"), str("b"))))).toBe(true);
  });

  it("in: a list in a list holds when every item is a member", () => {
    expect(holds(bin(list(str("cooking"), str("how-to")), "in", field("tags")))).toBe(true);
    expect(holds(bin(list(str("cooking"), str("legal")), "in", field("tags")))).toBe(false);
  });
});

describe("comparisons", () => {
  it("compare numbers", () => {
    expect(holds(bin(words(field("revision")), ">=", num(3)))).toBe(true);
    expect(holds(bin(words(field("critique")), ">", num(4)))).toBe(false);
    expect(holds(bin(num(2), "<", num(3)))).toBe(true);
    expect(holds(bin(num(3), "<", num(3)))).toBe(false);
    expect(holds(bin(num(3), "<=", num(3)))).toBe(true);
    expect(holds(bin(num(3), "==", num(3)))).toBe(true);
    expect(holds(bin(num(3), "!=", num(3)))).toBe(false);
  });

  it("compare strings by code units and equality by text", () => {
    expect(holds(bin(str("apple"), "<", str("banana")))).toBe(true);
    expect(holds(bin(str("b"), ">=", str("a")))).toBe(true);
    expect(holds(bin(field("prompt"), "==", str("How do I bake bread?")))).toBe(true);
    expect(holds(bin(field("prompt"), "!=", str("how do i bake bread?")))).toBe(true);
    expect(holds(bin(num(3), "==", str("3")))).toBe(true); // mixed kinds compare as text
  });

  it("ordering a non-numeric string against a number is false both ways", () => {
    expect(holds(bin(field("prompt"), "<", num(3)))).toBe(false);
    expect(holds(bin(field("prompt"), ">=", num(3)))).toBe(false);
    expect(holds(bin(str(" 12 "), ">", num(3)))).toBe(true); // numeric text is its number
  });

  it("a list compares by its length", () => {
    expect(holds(bin(field("tags"), ">=", num(2)))).toBe(true);
    expect(holds(bin(field("tags"), ">", num(2)))).toBe(false);
  });
});

describe("logic", () => {
  it("and, or, not", () => {
    const t = bool(true);
    const f = bool(false);
    expect([holds(bin(t, "and", t)), holds(bin(t, "and", f)), holds(bin(f, "and", t))]).toEqual([
      true,
      false,
      false,
    ]);
    expect([holds(bin(f, "or", f)), holds(bin(t, "or", f)), holds(bin(f, "or", t))]).toEqual([
      false,
      true,
      true,
    ]);
    expect([holds(not(t)), holds(not(f)), holds(not(not(t)))]).toEqual([false, true, true]);
  });

  it("and/or yield booleans and short-circuit (a bad regex on the right is never run)", () => {
    expect(evaluate(bin(num(2), "and", str("x")), {})).toBe(true);
    expect(evaluate(bin(num(0), "or", str("")), {})).toBe(false);
    expect(holds(bin(bool(true), "or", bin(str("x"), "matches", re("(?=x)"))))).toBe(true);
  });

  it("long and/or chains are flat, not deep: 20,000 terms either way of grouping", () => {
    const count = 20_000;
    const keywords = Array.from({ length: count }, (_, i) =>
      bin(field("prompt"), "contains", str(`kw${i}!`)),
    );
    const positives = Array.from({ length: count }, (_, i) => bin(num(i), ">=", num(0)));
    const leftChain = (op: ExprBinaryOp, terms: Expr[]): Expr =>
      terms.reduce((acc, term) => bin(acc, op, term));
    const rightChain = (op: ExprBinaryOp, terms: Expr[]): Expr =>
      terms.reduceRight((acc, term) => bin(term, op, acc));
    expect(holds(leftChain("or", keywords), { prompt: `has kw${count - 1}!` })).toBe(true);
    expect(holds(rightChain("or", keywords), { prompt: `has kw${count - 1}!` })).toBe(true);
    expect(holds(leftChain("or", keywords), { prompt: "none" })).toBe(false);
    expect(holds(leftChain("and", positives), {})).toBe(true);
    expect(holds(rightChain("and", positives), {})).toBe(true);
    expect(holds(leftChain("and", [...positives, bool(false)]), {})).toBe(false);
  });

  it("precedence is the tree's: not (a or b) differs from (not a) or b", () => {
    const a = bin(field("prompt"), "contains", str("bread")); // true
    const b = bin(field("prompt"), "contains", str("cake")); // false
    expect(holds(not(bin(a, "or", b)))).toBe(false);
    expect(holds(bin(not(a), "or", b))).toBe(false);
    expect(holds(bin(not(b), "and", a))).toBe(true);
    // a or (b and false) vs (a or b) and false
    expect(holds(bin(a, "or", bin(b, "and", bool(false))))).toBe(true);
    expect(holds(bin(bin(a, "or", b), "and", bool(false)))).toBe(false);
  });

  it("truthiness: false, 0, NaN, empty text and empty list are false", () => {
    expect([false, 0, Number.NaN, "", []].map(truthy)).toEqual([false, false, false, false, false]);
    expect(
      [true, 1, -1, "x", ["x"], { kind: "regex", source: "", flags: "" } as const].map(truthy),
    ).toEqual([true, true, true, true, true, true]);
  });

  it("toText renders numbers, booleans, lists and regexes", () => {
    expect([
      toText(3.5),
      toText(true),
      toText(["a", 1]),
      toText({ kind: "regex", source: "a+", flags: "i" }),
    ]).toEqual(["3.5", "true", "a\n1", "a+"]);
  });
});

describe("missing fields and hostile records", () => {
  it("missing text fields read as empty text, missing tags as an empty list", () => {
    expect(evaluate(field("response"), {})).toBe("");
    expect(evaluate(field("tags"), {})).toEqual([]);
    expect(evaluate(words(field("revision")), {})).toBe(0);
    expect(holds(bin(words(field("revision")), ">=", num(3)), {})).toBe(false);
    expect(holds(bin(field("tags"), "contains", str("x")), {})).toBe(false);
    expect(holds(not(bin(field("response"), "matches", re("https?://"))), {})).toBe(true);
  });

  it("fields of the wrong type read as missing; non-string tags are skipped", () => {
    const bad = { response: 42, tags: ["ok", 7, null] } as unknown as RuleRecord;
    expect(evaluate(field("response"), bad)).toBe("");
    expect(evaluate(field("tags"), bad)).toEqual(["ok"]);
    expect(evaluate(field("tags"), { tags: "not-a-list" } as unknown as RuleRecord)).toEqual([]);
    expect(evaluate(field("prompt"), null as unknown as RuleRecord)).toBe("");
  });

  it("malformed trees evaluate to false instead of throwing", () => {
    const junk = [
      { kind: "nonsense" },
      null,
      { kind: "binary", op: "xor", left: num(1), right: num(1) },
      { kind: "call", fn: "eval", arg: str("x") },
      { kind: "list", items: "x" },
      { kind: "binary", op: "and", left: null, right: num(1) },
    ] as unknown as Expr[];
    for (const expr of junk) expect(evaluateCondition(expr, record)).toBe(false);
  });

  it("an expression nested past MAX_EXPR_DEPTH is false, however deep, without throwing", () => {
    for (const depth of [MAX_EXPR_DEPTH + 5, 200_000]) {
      let expr: Expr = bool(true);
      for (let i = 0; i < depth; i++) expr = not(not(expr));
      expect(evaluateCondition(expr, record)).toBe(false);
    }
    let shallow: Expr = bool(true);
    for (let i = 0; i < 500; i++) shallow = not(not(shallow));
    expect(evaluateCondition(shallow, record)).toBe(true);
  });
});

describe("evaluateRule", () => {
  it("evaluates a compiled check against a record", () => {
    const check = {
      kind: "require",
      source: "words(revision) >= 3",
      expr: bin(words(field("revision")), ">=", num(3)),
    } as const;
    expect(evaluateRule(check, record)).toBe(true);
    expect(evaluateRule(check, { revision: "too short" })).toBe(false);
  });
});
