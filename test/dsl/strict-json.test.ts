// One definition of JSON: a `.json` constitution is held to JSON.parse's rules, as the importers'
// inputs are; YAML (which also reads comments and unquoted keys) stays YAML.
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/dsl/index.js";

const STRICT =
  '{\n  "charter": "j",\n  "version": "1.0.0",\n  "principles": [{ "id": "p", "compare": "q?" }]\n}\n';

describe("JSON constitutions", () => {
  it("compile when they are JSON", () => {
    const result = compileSource(STRICT, { filename: "c.json", readFile: () => undefined });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles.map((item) => item.id)).toEqual(["p"]);
  });

  it("refuse a `#` comment, at the comment", () => {
    const text = STRICT.replace('"j",', '"j", # the name');
    const { constitution, diagnostics } = compileSource(text, {
      filename: "c.json",
      readFile: () => undefined,
    });
    expect(constitution).toBeUndefined();
    expect(
      diagnostics.map((entry) => [entry.code, entry.range.start.line, entry.range.start.column]),
    ).toEqual([["invalid-document", 2, 19]]);
    expect(diagnostics[0]?.message).toMatch(/^not valid JSON: /);
  });

  it("refuse unquoted keys, at the key", () => {
    const text = STRICT.replace('"version"', "version");
    const { diagnostics } = compileSource(text, { filename: "c.json", readFile: () => undefined });
    expect(
      diagnostics.map((entry) => [entry.code, entry.range.start.line, entry.range.start.column]),
    ).toEqual([["invalid-document", 3, 3]]);
  });

  it("leave YAML its comments and plain keys", () => {
    const text = STRICT.replace('"j",', '"j", # the name').replace('"version"', "version");
    const result = compileSource(text, { filename: "c.yaml", readFile: () => undefined });
    expect(result.diagnostics).toEqual([]);
  });
});
