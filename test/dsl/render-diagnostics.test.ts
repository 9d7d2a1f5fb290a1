// Rendering for people: file:line:col, severity[code], a code frame with a caret under the range,
// "expected", "did you mean" and the notes of related places.
import { describe, expect, it } from "vitest";
import {
  codeFrame,
  compileSource,
  renderDiagnostics,
  summarizeDiagnostics,
} from "../../src/dsl/index.js";

describe("renderDiagnostics", () => {
  it("prints location, code frame with carets, expected and did-you-mean", () => {
    const text = 'charter "r" version "1.0.0"\nprinciple a {\n  critque "x"\n  compare "q"\n}\n';
    const { diagnostics } = compileSource(text, { filename: "r.charter", root: "." });
    expect(renderDiagnostics(diagnostics, { "r.charter": text })).toBe(
      [
        "r.charter:3:3: error[unknown-keyword]: unknown keyword `critque` in a principle",
        "  |",
        '3 |   critque "x"',
        "  |   ^^^^^^^",
        "  = expected `critique`, `revise`, `compare`, `when` or `example`",
        "  = did you mean `critique`?",
        "",
      ].join("\n"),
    );
  });

  it("names both places of a duplicate, each with its frame", () => {
    const text =
      'charter "r" version "1.0.0"\nprinciple a { compare "q" }\nprinciple a { compare "r" }\n';
    const { diagnostics } = compileSource(text, { filename: "d.charter", root: "." });
    const sources = new Map([["d.charter", text]]);
    expect(renderDiagnostics(diagnostics, sources)).toBe(
      [
        "d.charter:3:11: error[duplicate-principle]: principle `a` is already defined at line 2",
        "  |",
        '3 | principle a { compare "r" }',
        "  |           ^",
        "  = note: first definition of `a` at d.charter:2:11",
        "  |",
        '2 | principle a { compare "q" }',
        "  |           ^",
        "",
      ].join("\n"),
    );
    expect(summarizeDiagnostics(diagnostics)).toBe("1 error, 0 warnings");
  });

  it("points a missing `}` back at the block it should close", () => {
    const text =
      'charter "r" version "1.0.0"\nprinciple a {\n  compare "q"\n\nprinciple b { compare "r" }\n';
    const { diagnostics } = compileSource(text, { filename: "m.charter", root: "." });
    expect(renderDiagnostics(diagnostics, { "m.charter": text })).toBe(
      [
        "m.charter:5:1: error[unexpected-token]: expected `critique`, `revise`, `compare`, `when`, `example` or `}`, found `principle`",
        "  |",
        '5 | principle b { compare "r" }',
        "  | ^^^^^^^^^",
        "  = expected `critique`, `revise`, `compare`, `when`, `example` or `}`",
        "  = note: unclosed `{` at m.charter:2:13",
        "  |",
        "2 | principle a {",
        "  |             ^",
        "",
      ].join("\n"),
    );
  });

  it("aligns the caret under tabs and widens it to the range", () => {
    const range = {
      file: "t",
      start: { line: 1, column: 3, offset: 2 },
      end: { line: 1, column: 6, offset: 5 },
    };
    expect(codeFrame("\t\tabc", range)).toBe("  |\n1 | \t\tabc\n  | \t\t^^^");
  });

  it("renders without a frame when the source is unknown", () => {
    const { diagnostics } = compileSource("principle", { filename: "x.charter", root: "." });
    expect(renderDiagnostics(diagnostics, () => undefined)).toBe(
      "x.charter:1:10: error[unexpected-token]: expected a name, found the end of the file\n  = expected a name\n",
    );
  });
});
