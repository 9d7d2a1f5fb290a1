// Parser recovery: independent mistakes in one file are all reported, each exactly once, and a
// broken declaration adds no follow-on noise from later stages.
import { describe, expect, it } from "vitest";
import { compileSource, formatDiagnosticsCompact } from "../../src/dsl/index.js";

const compact = (text: string): string =>
  formatDiagnosticsCompact(compileSource(text, { filename: "r.charter", root: "." }).diagnostics);

describe("recovery", () => {
  it("reports two independent syntax errors, once each", () => {
    const text = [
      'charter "r" version "1.0.0"',
      "principle a weight {",
      '  compare "q"',
      "}",
      "principle b {",
      '  compare "q" "extra"',
      "}",
      'principle c { compare "fine" }',
    ].join("\n");
    expect(compact(text)).toBe(
      [
        "2:20 unexpected-token expected a number, found `{`",
        '6:15 unexpected-token expected `critique`, `revise`, `compare`, `when`, `example` or `}`, found `"extra"`',
      ].join("\n"),
    );
  });

  it("reports three independent errors of different stages, once each", () => {
    const text = [
      'charter "r" version "1.0.0"',
      "principle a {",
      '  critque "Is it kind?"',
      '  revise "Make it kind."',
      "}",
      "rule r {",
      "  on response",
      "  require words(response) >",
      "}",
      'principle a { compare "again" }',
      'template critique-request "{{prompt}} {{principle.critque}}"',
    ].join("\n");
    expect(compact(text)).toBe(
      [
        "3:3 unknown-keyword unknown keyword `critque` in a principle; did you mean `critique`?",
        "9:1 unexpected-token expected a value (field, string, number, regex, list or `(`), found `}`",
        "10:11 duplicate-principle principle `a` is already defined at line 2",
        "11:39 unknown-template-variable template `critique-request` has no variable `principle.critque`; did you mean `principle.critique`?",
      ].join("\n"),
    );
  });

  it("keeps checking the principles after a broken one", () => {
    const text = [
      'charter "r" version "1.0.0"',
      "principle a { critique }",
      'principle b weight 0 { compare "q" }',
      "principle c { }",
    ].join("\n");
    expect(compact(text)).toBe(
      [
        "2:24 unexpected-token expected a string, found `}`",
        "3:20 invalid-weight principle weight must be greater than 0, found 0",
        "4:11 principle-without-purpose principle `c` has no `critique`, `revise` or `compare`, so no phase can use it",
      ].join("\n"),
    );
  });

  it("an unclosed block string is one error, not one per following line", () => {
    const text =
      'charter "r" version "1.0.0"\nabout """\n  never closed\nprinciple a { compare "q" }\n';
    expect(compact(text)).toBe('2:7 unterminated-string this `"""` block is never closed');
  });

  it("reports a missing closing brace at the end of the file", () => {
    const text = 'charter "r" version "1.0.0"\nprinciple a {\n  compare "q"\n';
    expect(compact(text)).toBe(
      "3:14 unexpected-token expected `critique`, `revise`, `compare`, `when`, `example` or `}`, found the end of the file",
    );
  });

  it("skips the missing-header check and unknown-id checks when the file did not parse", () => {
    const text = 'principle a { compare "q" \ndrop principle nowhere\n';
    const diagnostics = compileSource(text, { filename: "r.charter", root: "." }).diagnostics;
    expect(diagnostics.map((entry) => entry.code)).toEqual(["unexpected-token"]);
  });

  it("refuses nesting and operator chains deep enough to threaten the stack, without crashing", () => {
    const header = 'charter "r" version "1.0.0"\n';
    const braces = compileSource(`${header}principel x ${"{".repeat(5000)}`, {
      filename: "b.charter",
      root: ".",
    });
    expect(braces.diagnostics.map((entry) => entry.code)).toEqual([
      "unknown-keyword",
      "nesting-too-deep",
    ]);
    const nots = compileSource(
      `${header}rule r { on response require ${"not ".repeat(5000)}true }`,
      {
        filename: "n.charter",
        root: ".",
      },
    );
    expect(nots.diagnostics.map((entry) => entry.code)).toEqual(["nesting-too-deep"]);
    const chain = Array.from({ length: 400 }, () => 'response contains "a"').join(" or ");
    const long = compileSource(`${header}rule r { on response flag ${chain} }`, {
      filename: "c.charter",
      root: ".",
    });
    expect(formatDiagnosticsCompact(long.diagnostics)).toBe(
      "2:27 nesting-too-deep expression nested deeper than 256 levels; split it into several checks",
    );
  });

  it("counts a lone carriage return as a line break when placing a template variable", () => {
    const text =
      'charter "a" version "1.0.0"\ntemplate critique-request """\n  x\r  {{nope}}\n"""\n';
    expect(compact(text)).toBe(
      "4:3 unknown-template-variable template `critique-request` has no variable `nope`",
    );
  });

  it("a template variable written across lines gets a range that ends on its last line", () => {
    const text = 'charter "a" version "1.0.0"\ntemplate critique-request """\n  {{nope \n}}\n"""\n';
    const [entry] = compileSource(text, { filename: "t.charter", root: "." }).diagnostics;
    expect(entry?.range.start).toEqual({ line: 3, column: 3, offset: 60 });
    expect(entry?.range.end).toEqual({ line: 4, column: 3, offset: 70 });
  });

  it("a missing or extra `}` does not hide the next declaration's problems", () => {
    const missing =
      'charter "r" version "1.0.0"\nprinciple a { compare "q"\nprinciple b weight 0 { compare "q" }\n';
    expect(compact(missing)).toBe(
      [
        "3:1 unexpected-token expected `critique`, `revise`, `compare`, `when`, `example` or `}`, found `principle`",
        "3:20 invalid-weight principle weight must be greater than 0, found 0",
      ].join("\n"),
    );
    const extra =
      'charter "r" version "1.0.0"\nprinciple a { compare "q" }\n}\nprinciple b weight 0 { compare "q" }\n';
    expect(compact(extra)).toBe(
      [
        "3:1 unexpected-token expected a declaration (`principle`, `rule`, `rubric`, `template`, ...), found `}`",
        "4:20 invalid-weight principle weight must be greater than 0, found 0",
      ].join("\n"),
    );
  });
});
