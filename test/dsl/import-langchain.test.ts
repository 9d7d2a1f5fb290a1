// `importLangChain`: LangChain ConstitutionalPrinciple lists as .charter source.
import { describe, expect, it } from "vitest";
import { compileSource } from "../../src/dsl/index.js";
import { importLangChain, sanitizeId } from "../../src/dsl/documents/importers/index.js";
import { compact, importFixture } from "./import-helpers.js";

describe("importLangChain", () => {
  const result = importLangChain(importFixture("langchain-principles.json"), {
    file: "langchain-principles.json",
  });

  it("turns each principle into a Charter principle with critique and revise", () => {
    expect(result.text).toContain(`principle harmful1 {
  critique "Identify specific ways in which the assistant's last reply is harmful."
  revise "Rewrite the reply to remove every harmful part."
}`);
    expect(result.text).toContain(`principle uo-ethics-1 {
  critique """
    Discuss whether the reply is ethical.
    Quote the passages that are not.
  """
  revise "Rewrite the reply so it is ethical."
}`);
  });

  it("writes a header and an about naming the source", () => {
    expect(
      result.text.startsWith(
        '# Imported by `charter import langchain` from langchain-principles.json.\n# LangChain principles have no compare question: add `compare` for Phase 2.\n\ncharter "langchain-principles" version "0.1.0"\n',
      ),
    ).toBe(true);
    expect(result.text).toContain("3 principles.");
  });

  it("reports renamed ids (invalid or taken names) and unknown fields", () => {
    expect(compact(result.diagnostics)).toEqual([
      "1:1 no-compare: LangChain principles have no `compare` question: Phase 1 can use the 3 imported, Phase 2 (charter judge) cannot until you add some",
      '8:13 renamed-id: name "uo-ethics 1" is imported as `uo-ethics-1` (Charter ids are letters, digits, `_` and `-`, dotted)',
      "11:5 unknown-field: unknown field `critique_example` in [1] was not imported (known: `name`, `critique_request`, `revision_request`)",
      '14:13 renamed-id: name "harmful1" is imported as `harmful1-2` (the name is taken by an earlier principle)',
    ]);
  });

  it("accepts LangChain's PRINCIPLES table: an object keyed by name", () => {
    const out = importLangChain(
      JSON.stringify({ criminal: { critique_request: "Crime?", revision_request: "No crime." } }),
      { file: "p.json" },
    );
    expect(out.text).toContain(
      'principle criminal {\n  critique "Crime?"\n  revise "No crime."\n}',
    );
    expect(out.diagnostics.map((d) => d.code)).toEqual(["no-compare"]);
  });

  it("reads LangChain.js's camelCase fields (and its `_type` tag), reporting a mixed-in spelling", () => {
    const out = importLangChain(importFixture("langchain-js-principles.json"), {
      file: "langchain-js-principles.json",
    });
    expect(out.text).toContain(
      'principle kind-tone {\n  critique "Point out any unkind words in the reply."\n  revise "Rewrite the reply in a kind tone."\n}',
    );
    expect(out.text).toContain("principle no-guessing {");
    expect(compact(out.diagnostics)).toEqual([
      "1:1 no-compare: LangChain principles have no `compare` question: Phase 1 can use the 2 imported, Phase 2 (charter judge) cannot until you add some",
      "12:5 unknown-field: unknown field `critique_request` in [1] was not imported (known: `name`, `critiqueRequest`, `revisionRequest`, `_type`)",
    ]);
  });

  it("round-trips both spellings: the compiled principles give the file's names and requests back", () => {
    for (const [name, critique, revision] of [
      ["langchain-principles.json", "critique_request", "revision_request"],
      ["langchain-js-principles.json", "critiqueRequest", "revisionRequest"],
    ] as const) {
      const text = importFixture(name);
      const entries = JSON.parse(text) as Record<string, string>[];
      const out = importLangChain(text, { file: name });
      const compiled = compileSource(out.text, { filename: "l.charter", root: "." });
      expect(compiled.diagnostics).toEqual([]);
      const back = (compiled.constitution?.principles ?? []).map((p) => ({
        [critique]: p.critique,
        [revision]: p.revise,
      }));
      expect(back).toEqual(
        entries.map((entry) => ({ [critique]: entry[critique], [revision]: entry[revision] })),
      );
      // Names come back as ids where they were valid and unique.
      expect(compiled.constitution?.principles.map((p) => p.id)).toContain(entries[0]?.name);
    }
  });

  it("skips entries without both requests, with an error", () => {
    const out = importLangChain('[{"name": "a", "critique_request": ""}]', { file: "p.json" });
    expect(out.text).not.toMatch(/^principle /m);
    expect(compact(out.diagnostics)).toEqual([
      '1:2 missing-field: [0] has no text for "critique_request" and "revision_request"; skipped',
    ]);
  });
});

describe("sanitizeId", () => {
  it.each([
    ["harmful1", "harmful1"],
    ["uo-assumptions-1", "uo-assumptions-1"],
    ["Harm / Safety", "Harm-Safety"],
    ["1st rule", "p1st-rule"],
    ["harm..general", "harm.general"],
    ["in", "in-principle"],
    ["  ", "principle-7"],
    ["é", "principle-7"],
  ])("%j -> %j", (name, id) => {
    expect(sanitizeId(name, 7)).toBe(id);
  });

  it("always gives an id the lexer reads as one name", () => {
    for (const name of ["a b.c", ".x.", "-y-", "9", "a.9b", "x/*y"]) {
      expect(sanitizeId(name, 1)).toMatch(
        /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)*$/,
      );
    }
  });
});
