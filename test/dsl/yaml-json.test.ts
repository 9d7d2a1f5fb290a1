// YAML and JSON constitutions: the same content compiles to the same form and hash as .charter,
// and problems in them carry line:col from the YAML CST.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  compileFile,
  compileSource,
  formatDiagnosticsCompact,
  toCharterSource,
  toJson,
  toYaml,
} from "../../src/dsl/index.js";

const fixtures = join(import.meta.dirname, "fixtures");
const sketch = compileSource(readFileSync(join(fixtures, "sketch.charter"), "utf8"), {
  filename: "sketch.charter",
});

const strip = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (key, item: unknown) =>
      key === "location" || key === "file" ? undefined : item,
    ),
  );

describe("YAML and JSON constitutions", () => {
  it("a hand-written YAML of the sketch compiles to the same principles, rules, rubrics, templates and hash", () => {
    const yaml = compileSource(readFileSync(join(fixtures, "sketch.yaml"), "utf8"), {
      filename: "sketch.yaml",
    });
    expect(yaml.diagnostics).toEqual([]);
    expect(yaml.constitution?.hash).toBe(sketch.constitution?.hash);
    expect(strip(yaml.constitution)).toEqual(strip(sketch.constitution));
    expect(yaml.constitution?.principles[1]?.location).toEqual({
      file: "sketch.yaml",
      line: 22,
      column: 5,
    });
  });

  it("JSON written from the compiled form compiles back to the same hash; .json picks the JSON format", () => {
    const constitution = sketch.constitution;
    if (constitution === undefined) throw new Error("sketch did not compile");
    const json = compileSource(toJson(constitution), { filename: "s.json" });
    expect(json.diagnostics).toEqual([]);
    expect(json.constitution?.hash).toBe(constitution.hash);
    const yaml = compileSource(toYaml(constitution), { filename: "s.yml" });
    expect(yaml.constitution?.hash).toBe(constitution.hash);
  });

  it("reports YAML problems at their line and column, including inside expressions", () => {
    const text = [
      "charter: y",
      "version: 1.0.0",
      "principles:",
      "  - id: p",
      "    compare: q",
      '    when: respons contains "x"',
      "rules:",
      "  - id: r",
      "    on: prompt",
      "    checks:",
      '      - require: "words(revision) > 1"',
      "  - id: r2",
      "    on: response",
      "    checks:",
      "      - flag: response matches",
    ].join("\n");
    const result = compileSource(text, { filename: "y.yaml" });
    expect(formatDiagnosticsCompact(result.diagnostics)).toBe(
      [
        "6:11 unknown-field unknown field `respons`; the fields are prompt, response, critique, revision, tags; did you mean `response`?",
        "11:25 field-not-available `revision` is not known at stage `prompt`; available: prompt, tags",
        "15:31 unexpected-token expected a value (field, string, number, regex, list or `(`), found the end of the expression",
      ].join("\n"),
    );
    expect(result.constitution).toBeUndefined();
  });

  it("accepts only names a .charter file can spell, so conversion can always write them back", () => {
    const text =
      "charter: x\nversion: 1.0.0\nprinciples:\n  - id: has space\n    compare: q\n  - id: and\n    compare: q\n";
    expect(formatDiagnosticsCompact(compileSource(text, { filename: "n.yaml" }).diagnostics)).toBe(
      [
        "4:9 invalid-document `id` must be a name: letters, digits, `_`, `-`, dotted parts (found `has space`)",
        "6:9 invalid-document `id` must be a name: letters, digits, `_`, `-`, dotted parts (found `and`)",
      ].join("\n"),
    );
  });

  it("reports YAML syntax errors as invalid-document", () => {
    const result = compileSource("charter: [unclosed\n", { filename: "bad.yaml" });
    expect(result.diagnostics[0]?.code).toBe("invalid-document");
    expect(result.diagnostics[0]?.range.start.line).toBeGreaterThanOrEqual(1);
  });

  it("accepts imports, overrides and drops in YAML", () => {
    const files: Record<string, string> = {
      "lib.charter": 'principle a { compare "a?" }\nprinciple b { compare "b?" }\n',
    };
    const text = [
      "charter: y",
      "version: 1.0.0",
      "imports:",
      "  - path: ./lib.charter",
      "    as: lib",
      "overrides:",
      "  - id: lib.a",
      "    weight: 3",
      "drop: [lib.b]",
    ].join("\n");
    const result = compileSource(text, {
      filename: "y.yaml",
      root: ".",
      readFile: (path) => files[path],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles.map((p) => [p.id, p.weight, p.compare])).toEqual([
      ["lib.a", 3, ["a?"]],
    ]);
  });

  it("every shipped constitution converts to .charter, YAML and JSON with the same hash", async () => {
    const root = join(import.meta.dirname, "..", "..");
    for (const name of ["harmless", "helpful-honest", "showcase"]) {
      const file = join(root, "constitutions", `${name}.charter`);
      const original = await compileFile(file);
      const constitution = original.constitution;
      expect(constitution, name).toBeDefined();
      if (constitution === undefined) continue;
      for (const [format, text] of [
        ["charter", toCharterSource(constitution)],
        ["yaml", toYaml(constitution)],
        ["json", toJson(constitution)],
      ] as const) {
        const back = compileSource(text, { filename: `${name}.${format}`, root: "." });
        expect(back.diagnostics, `${name} as ${format}`).toEqual([]);
        expect(back.constitution?.hash, `${name} as ${format}`).toBe(constitution.hash);
      }
    }
  });
});
