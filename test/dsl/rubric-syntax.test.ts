// Rubric `when` and rule-scored criteria (`check EXPR`): parsed, checked, compiled, formatted, and
// the same in .charter, YAML and JSON (one content hash), through `convert` both ways.
import { describe, expect, it } from "vitest";
import {
  compileSource,
  formatDiagnosticsCompact,
  formatSource,
  toCharterSource,
  toJson,
  toYaml,
} from "../../src/dsl/index.js";

const source = `charter "scoring" version "1.0.0"

rubric concise {
  when prompt matches /\\?/ and not ("draft" in tags)
  essential "Answers the question" weight 5
  essential "At most 300 words" check words(response) <= 300 weight 2
  pitfall "Links somewhere" check response matches /https?:/ weight -1
}
`;

const compile = (text: string, filename = "rubric.charter") => compileSource(text, { filename });

describe("rubric when and check criteria", () => {
  it("compile with their expressions and canonical source", () => {
    const { constitution, diagnostics } = compile(source);
    expect(diagnostics).toEqual([]);
    const rubric = constitution?.rubrics[0];
    expect(rubric?.whenSource).toBe('prompt matches /\\?/ and not "draft" in tags');
    expect(rubric?.when?.kind).toBe("binary");
    expect(rubric?.criteria.map((criterion) => criterion.checkSource ?? null)).toEqual([
      null,
      "words(response) <= 300",
      "response matches /https?:/",
    ]);
    expect(rubric?.criteria[1]?.check).toEqual({
      kind: "binary",
      op: "<=",
      left: { kind: "call", fn: "words", arg: { kind: "field", name: "response" } },
      right: { kind: "number", value: 300 },
    });
  });

  it("hash the same written as YAML, JSON or converted .charter", () => {
    const hash = compile(source).constitution?.hash;
    const constitution = compile(source).constitution;
    if (constitution === undefined) throw new Error("did not compile");
    expect(toYaml(constitution)).toContain("check: words(response) <= 300");
    expect(compile(toYaml(constitution), "r.yaml").constitution?.hash).toBe(hash);
    expect(compile(toJson(constitution), "r.json").constitution?.hash).toBe(hash);
    expect(compile(toCharterSource(constitution)).constitution?.hash).toBe(hash);
  });

  it("format to one criterion per line, idempotently, without changing the hash", () => {
    const messy = source
      .replace('  essential "At most', 'essential   "At most')
      .replace("<= 300 weight", "<=   300\n     weight");
    const once = formatSource(messy, "r.charter").text;
    expect(once).toBe(source);
    expect(formatSource(once, "r.charter").changed).toBe(false);
  });

  it("report what a rubric's when and a check may not read, repeated whens and criteria", () => {
    const bad = `charter "t" version "1.0.0"
rubric x {
  when response contains "a"
  when prompt contains "b"
  essential "A" check words(revision) > 1 weight 1
  essential "a " weight 2
  optional "q" check words(response) weight 1
}
`;
    const { diagnostics, constitution } = compile(bad);
    expect(constitution).toBeUndefined();
    expect(formatDiagnosticsCompact(diagnostics, "rubric.charter")).toBe(
      [
        "3:8 field-not-available `response` is not known in a rubric's `when`; available: prompt, tags",
        "4:3 duplicate-field `when` is given twice in rubric `x`",
        "5:29 field-not-available `revision` is not known in a criterion's `check`; available: prompt, response, tags",
        '6:13 duplicate-criterion criterion "a" is given twice in rubric `x`',
        "7:22 type-mismatch `check` must be true or false, but this is a number",
      ].join("\n"),
    );
  });

  it("reads `check` and `when` in YAML with their line and column", () => {
    const yaml = `charter: t
version: 1.0.0
rubrics:
  - id: r
    when: prompt contains "x"
    criteria:
      - essential: Short
        check: words(respons) < 5
        weight: 1
`;
    const { diagnostics } = compile(yaml, "r.yaml");
    expect(formatDiagnosticsCompact(diagnostics, "r.yaml")).toMatch(
      /^8:\d+ unknown-field unknown field `respons`/,
    );
  });
});
