// Lexing and parsing details: comments kept in their group, regex vs keywords, soft keywords as
// ids, strings and numbers, the serialized grammar, and every AST node carrying its range.
import { describe, expect, it } from "vitest";
import { compileSource, serializedGrammar, type Declaration } from "../../src/dsl/index.js";
import { lex } from "../../src/dsl/syntax/chevrotain-path.js";
import { parseCharter } from "../../src/dsl/syntax/parse-charter.js";
import { blockString, dedentBlock, unescapeString } from "../../src/dsl/syntax/strings.js";
import { createCharterLexer } from "../../src/dsl/syntax/lexer.js";
import { validateGrammar } from "../../src/dsl/syntax/parser.js";

describe("lexer", () => {
  it("keeps comments as tokens in the comments group, not in the token stream", () => {
    const result = lex('# head\ncharter "x" version "1.0.0" # tail\n', "c.charter");
    expect(
      result.comments.map((token) => [token.image, token.startLine, token.startColumn]),
    ).toEqual([
      ["# head", 1, 1],
      ["# tail", 2, 29],
    ]);
    expect(result.tokens.map((token) => token.tokenType.name)).toEqual([
      "Charter",
      "SimpleString",
      "Version",
      "SimpleString",
    ]);
  });

  it("reads `/` as the start of a regex, with classes holding `/` and flags", () => {
    const result = lex("response matches /a[/]b\\/c/im", "r");
    expect(result.tokens.map((token) => [token.tokenType.name, token.image])).toEqual([
      ["Response", "response"],
      ["Matches", "matches"],
      ["Regex", "/a[/]b\\/c/im"],
    ]);
  });

  it("reads dotted and kebab ids, globs, keywords inside longer names and negative numbers", () => {
    const result = lex("harm.general no-links important critique-requests b.* -4 2.5", "r");
    expect(result.tokens.map((token) => [token.tokenType.name, token.image])).toEqual([
      ["Identifier", "harm.general"],
      ["Identifier", "no-links"],
      ["Important", "important"],
      ["Identifier", "critique-requests"],
      ["Identifier", "b.*"],
      ["NumberLiteral", "-4"],
      ["NumberLiteral", "2.5"],
    ]);
  });
});

describe("parser and AST", () => {
  it("accepts soft keywords as ids (a principle named `example`, a tag named `rule`)", () => {
    const text = 'charter "x" version "1.0.0"\nprinciple example tags rule, when { compare "q" }\n';
    const result = compileSource(text, { filename: "k.charter", root: "." });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles[0]).toMatchObject({
      id: "example",
      tags: ["rule", "when"],
    });
  });

  it("gives every declaration and name a range with line, column and offset", () => {
    const text = 'charter "x" version "1.0.0"\n\nprinciple a.b weight 2 {\n  compare "q"\n}\n';
    const { ast } = parseCharter(text, "r.charter");
    const principle = ast.declarations[1] as Extract<Declaration, { kind: "principle" }>;
    expect(principle.range).toEqual({
      start: { line: 3, column: 1, offset: 29 },
      end: { line: 5, column: 2, offset: 69 },
    });
    expect(principle.id).toEqual({
      name: "a.b",
      range: {
        start: { line: 3, column: 11, offset: 39 },
        end: { line: 3, column: 14, offset: 42 },
      },
    });
    expect(text.slice(principle.range.start.offset, principle.range.end.offset)).toMatch(
      /^principle[\s\S]*\}$/,
    );
    expect(principle.weight?.value).toBe(2);
  });

  it("supports several compare questions, list literals and `in`", () => {
    const text = [
      'charter "x" version "1.0.0"',
      "principle p {",
      '  when "medical" in tags or prompt contains "doctor"',
      '  compare "first?"',
      '  compare "second?"',
      "}",
      'rule r { on prompt flag prompt in ["a", "b"] }',
    ].join("\n");
    const result = compileSource(text, { filename: "r.charter", root: "." });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles[0]?.compare).toEqual(["first?", "second?"]);
    expect(result.constitution?.principles[0]?.whenSource).toBe(
      '"medical" in tags or prompt contains "doctor"',
    );
    expect(result.constitution?.rules[0]?.checks[0]?.expr).toEqual({
      kind: "binary",
      op: "in",
      left: { kind: "field", name: "prompt" },
      right: {
        kind: "list",
        items: [
          { kind: "string", value: "a" },
          { kind: "string", value: "b" },
        ],
      },
    });
  });

  it("treats names like `__proto__` and `constructor` as plain names", () => {
    const text = [
      'charter "x" version "1.0.0"',
      "defaults { __proto__ 3 }",
      'template constructor "x"',
      'principle a { compare "q" }',
    ].join("\n");
    const result = compileSource(text, { filename: "p.charter", root: "." });
    expect(result.diagnostics.map((entry) => entry.code)).toEqual([
      "unknown-default",
      "unknown-template",
    ]);
    const defaults = compileSource(text.replace(/template.*\n/, ""), {
      filename: "p.charter",
      root: ".",
    });
    expect(defaults.diagnostics.map((entry) => entry.message)).toEqual([
      "unknown default `__proto__`",
    ]);
  });

  it("exposes the serialized grammar for generated diagrams", () => {
    const names = serializedGrammar().map((rule) => (rule as { name?: string }).name);
    expect(names).toContain("charterFile");
    expect(names).toContain("principleDecl");
    expect(names).toContain("expression");
  });

  // The shared lexer and parser skip chevrotain's definition checks to start faster; these run them.
  it("passes chevrotain's lexer definition checks, with no warnings", () => {
    const lexer = createCharterLexer(true);
    expect(lexer.lexerDefinitionErrors).toEqual([]);
    expect(
      (lexer as unknown as { lexerDefinitionWarning: unknown[] }).lexerDefinitionWarning,
    ).toEqual([]);
  });

  it("passes chevrotain's grammar validations (ambiguities, left recursion, unreachable rules)", () => {
    expect(() => validateGrammar()).not.toThrow();
  });
});

describe("strings", () => {
  it("unescapes JSON escapes and locates a bad one", () => {
    expect(unescapeString('a\\"b\\n\\u00e9\\\\')).toEqual({ ok: true, value: 'a"b\né\\' });
    expect(unescapeString("x\\qy")).toMatchObject({ ok: false, at: 1, escape: "\\q" });
  });

  it("dedents block strings, trimming the blank first and last lines", () => {
    expect(dedentBlock("\n    line one\n      indented\n\n    line three\n  ")).toBe(
      "line one\n  indented\n\nline three",
    );
    expect(dedentBlock("same line")).toBe("same line");
  });

  it("prints a block only when it reads back exactly", () => {
    expect(blockString("a\n  b", "")).toBe('"""\n  a\n    b\n"""');
    expect(blockString("  shared\n  indent", "")).toBeUndefined();
    expect(blockString('has """ inside\nx', "")).toBeUndefined();
    expect(blockString("\nleading blank", "")).toBe('"""\n\n  leading blank\n"""');
    expect(blockString("a\n   \nb", "")).toBeUndefined();
  });
});
