// Law: printing an expression and parsing it back gives the same tree (so `whenSource`, `convert`
// and the YAML form all round-trip), for generated trees of every kind.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { toExpr as strip } from "../../src/dsl/compile/compile-unit.js";
import type { Expr, ExprNode } from "../../src/dsl/index.js";
import { printExpression } from "../../src/dsl/print/print-expression.js";
import { parseExpression } from "../../src/dsl/syntax/parse-charter.js";

const leaf: fc.Arbitrary<Expr> = fc.oneof(
  fc
    .constantFrom("prompt", "response", "critique", "revision", "tags")
    .map((name) => ({ kind: "field", name }) as Expr),
  fc
    .string({ maxLength: 12, unit: "grapheme" })
    .map((value) => ({ kind: "string", value }) as Expr),
  fc
    .oneof(
      fc.integer({ min: -1_000_000, max: 1_000_000 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
    )
    .map((value) => ({ kind: "number", value: Object.is(value, -0) ? 0 : value }) as Expr),
  fc.boolean().map((value) => ({ kind: "boolean", value }) as Expr),
  fc
    .record({
      source: fc.constantFrom("a+", "\\bword\\b", "https?:\\/\\/", "[/]x", "(a|b)*c"),
      flags: fc.constantFrom("", "i", "ms"),
    })
    .map(({ source, flags }) => ({ kind: "regex", source, flags }) as Expr),
);

const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant("not" as const), operand: tie("expr") }),
    fc.record({
      kind: fc.constant("binary" as const),
      op: fc.constantFrom("and", "or", "matches", "contains", "in", "==", "<", ">=", "startswith"),
      left: tie("expr"),
      right: tie("expr"),
    }),
    fc.record({
      kind: fc.constant("call" as const),
      fn: fc.constantFrom("words", "chars", "lines"),
      arg: tie("expr"),
    }),
    fc.record({ kind: fc.constant("list" as const), items: fc.array(leaf, { maxLength: 3 }) }),
  ) as fc.Arbitrary<Expr>,
}));

describe("printExpression", () => {
  it("parse(print(e)) equals e for generated expressions", () => {
    fc.assert(
      fc.property(expr, (tree) => {
        const printed = printExpression(tree);
        const parsed = parseExpression(printed, "p");
        expect(parsed.diagnostics).toEqual([]);
        expect(strip(parsed.expr as ExprNode)).toEqual(tree);
      }),
      { numRuns: 300, seed: 20261121 },
    );
  });

  it("prints only the parentheses precedence needs", () => {
    const parsed = parseExpression('(not (a contains "x")) or (b and (c or d))', "p")
      .expr as ExprNode;
    expect(printExpression(strip(parsed))).toBe('not a contains "x" or b and (c or d)');
  });

  it("never prints exponent notation", () => {
    expect(printExpression({ kind: "number", value: 0.0000001 })).toBe("0.0000001");
    expect(printExpression({ kind: "number", value: 1e21 })).toBe("1000000000000000000000");
  });
});
