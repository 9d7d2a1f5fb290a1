// The clean path against the chevrotain path on every .charter the repository holds, the fuzzer's
// mutations and generated valid constitutions (see clean-differential.ts for what must hold).

import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { benchSources } from "../../bench/compile.bench.js";
import { parseCharter } from "../../src/dsl/syntax/parse-charter.js";
import { parseClean } from "../../src/dsl/syntax/clean-parser.js";
import { ALL_TOKENS, keywordSpelling } from "../../src/dsl/syntax/lexer.js";
import { KEYWORD_KINDS } from "../../src/dsl/syntax/vocabulary.js";
import { compileSource, toJson, toYaml } from "../../src/index.js";
import type { ExpressionOrigin } from "../../src/dsl/syntax/chevrotain-slot.js";
import { parseCleanExpression } from "../../src/dsl/syntax/clean-expression.js";
import { cleanExpressionProblem, cleanPathProblem, documentStrings } from "./clean-differential.js";
import { generatedConstitution } from "./format-generate.js";
import { documentCases, documentExpressionCheck } from "./fuzz-documents.js";
import { fuzzCases } from "./fuzz-harness.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

function charterFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : charterFiles(path);
    return name.endsWith(".charter") ? [path] : [];
  });
}

function documentFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return name === "node_modules" ? [] : documentFiles(path);
    return /\.(ya?ml|json)$/.test(name) ? [path] : [];
  });
}

/** Every case whose clean path disagrees with chevrotain, as `name: problem`. */
function disagreements(cases: Iterable<{ name: string; text: string }>): string[] {
  const found: string[] = [];
  for (const { name, text } of cases) {
    const problem = cleanPathProblem(text, name);
    if (problem !== undefined) found.push(`${name}: ${problem}`);
  }
  return found;
}

/** Each line's rest after `keyword `, placed where it stands: expressions cut out of .charter text. */
function expressionsAfter(
  text: string,
  keywords: RegExp,
): { text: string; origin: ExpressionOrigin }[] {
  const found: { text: string; origin: ExpressionOrigin }[] = [];
  let offset = 0;
  text.split("\n").forEach((line, index) => {
    for (const match of line.matchAll(keywords)) {
      const column = (match.index ?? 0) + match[0].length + 1;
      found.push({
        text: line.slice(column - 1),
        origin: { line: index + 1 + 4, column: column + 6, offset: offset + column - 1 + 100 },
      });
    }
    offset += line.length + 1;
  });
  return found;
}

/** Every expression case whose clean path disagrees with chevrotain, as `name: problem`. */
function expressionDisagreements(
  cases: Iterable<{ name: string; text: string; origin: ExpressionOrigin }>,
): string[] {
  const found: string[] = [];
  for (const { name, text, origin } of cases) {
    const problem = cleanExpressionProblem(text, name, origin);
    if (problem !== undefined) found.push(`${name} ${JSON.stringify(text)}: ${problem}`);
  }
  return found;
}

describe("the clean parser", () => {
  const files = ["test", "constitutions", "examples"].flatMap((folder) =>
    charterFiles(join(ROOT, folder)),
  );

  it("agrees with chevrotain on every .charter under test/, constitutions/ and examples/", () => {
    expect(files.length).toBeGreaterThan(50);
    const cases = files.map((path) => ({ name: path, text: readFileSync(path, "utf8") }));
    expect(disagreements(cases)).toEqual([]);
    // Both outcomes are exercised: files it reads and files it hands to chevrotain.
    const accepted = cases.filter(({ name, text }) => parseClean(text, name) !== undefined);
    expect(accepted.length).toBeGreaterThan(20);
    expect(accepted.length).toBeLessThan(cases.length);
  });

  it("agrees with chevrotain on 1,500 fuzzer mutations", () => {
    const cases = [...fuzzCases(7, 1_500, 0, { deepNesting: true })].map((fuzzCase) => ({
      name: `fuzz case ${fuzzCase.index} (${fuzzCase.mutations.join("; ")})`,
      text: fuzzCase.text,
    }));
    expect(disagreements(cases)).toEqual([]);
  });

  it("agrees with chevrotain on 1,500 generated valid constitutions", () => {
    const texts = fc.sample(generatedConstitution, { seed: 20261201, numRuns: 1_500 });
    const cases = texts.map((text, index) => ({ name: `generated ${index}`, text }));
    expect(disagreements(cases)).toEqual([]);
    const accepted = texts.filter((text) => parseClean(text, "generated.charter") !== undefined);
    expect(accepted.length).toBeGreaterThan(1_000);
  });

  it("agrees with chevrotain on the compile bench's 3,000 principles, and reads them", () => {
    const { charterText } = benchSources(3_000);
    expect(parseClean(charterText, "bench.charter")).toBeDefined();
    expect(cleanPathProblem(charterText, "bench.charter")).toBeUndefined();
  });

  it("agrees on tricky lexemes: line breaks, globs, numbers, regex classes, escapes", () => {
    const texts = [
      'charter "a" version "1.0.0"\r\nprinciple x.* {\r critique """\r\n  a\r\n  b\r\n  """\r\n revise "\\u00e9\\n" }',
      'import "./a.charter" only a.*.b, c-d as ns\nrule r { on prompt require not not (a == -1.5) and b in [1, "x", /[/]x\\//gi] or words(prompt) >= 3 }',
      'defaults { revisions 3 both-orders true judge prompt model "x" }',
      'template critique-request """"""\nfew-shot f { on critique, revision example { user "u" assistant "a" critique "c" } }',
      'rubric r { when prompt matches /\\?/ essential "e" check words(response) <= 3 weight 2 pitfall "p" weight -1 }',
      '\ufeff# comment\u00a0\n  principle p weight 2 tags a, b weight 3 tags c { compare "x" example { prompt "p" response "r" } }',
      'principle p { when x.* == 1 critique "a" }',
      'principle p {\r critique """\r  a\n  b\r\n  c\r  """ revise """x\n\r\n""" compare """a\r b\n c""" }',
      'principle p { when a.*b critique "a" }',
      'principle p { critique "a\\\u2028" }',
      "rule r { require 1.2.3 }",
      "rule r { require x //i }",
      'principle p { critique "unterminated }',
    ];
    expect(disagreements(texts.map((text, index) => ({ name: `tricky ${index}`, text })))).toEqual(
      [],
    );
  });

  it("agrees with chevrotain on every string of the repository's constitutions as YAML and JSON", () => {
    const documents = files.flatMap((path) => {
      const { constitution } = compileSource(readFileSync(path, "utf8"), { filename: path });
      return constitution === undefined
        ? []
        : [
            { name: `${path} as YAML`, text: toYaml(constitution) },
            { name: `${path} as JSON`, text: toJson(constitution) },
          ];
    });
    const fixtures = ["test", "examples"].flatMap((folder) =>
      documentFiles(join(ROOT, folder)).map((path) => ({
        name: path,
        text: readFileSync(path, "utf8"),
      })),
    );
    const cases = [...documents, ...fixtures].flatMap(({ name, text }) =>
      documentStrings(text).map((entry) => ({ name, ...entry })),
    );
    expect(expressionDisagreements(cases)).toEqual([]);
    // Both outcomes are exercised: expressions it reads (every rule and `when` of the corpus) and
    // strings it hands to chevrotain (texts that are not expressions).
    const accepted = cases.filter(({ text, origin }) => parseCleanExpression(text, origin));
    expect(accepted.length).toBeGreaterThan(100);
    expect(accepted.length).toBeLessThan(cases.length);
  });

  it("agrees with chevrotain on expressions cut out of 1,500 fuzzer mutations, placed anywhere", () => {
    const keywords = /\b(?:require|prefer|flag|when|check)\s/g;
    const cases = [...fuzzCases(11, 1_500, 0, { deepNesting: true })].flatMap((fuzzCase) =>
      expressionsAfter(fuzzCase.text, keywords).map((entry) => ({
        name: `fuzz case ${fuzzCase.index}`,
        ...entry,
      })),
    );
    expect(cases.length).toBeGreaterThan(1_000);
    expect(expressionDisagreements(cases)).toEqual([]);
    // Both outcomes are exercised: whole expressions read, mutated or cut-short ones declined.
    const accepted = cases.filter(({ text, origin }) => parseCleanExpression(text, origin));
    expect(accepted.length).toBeGreaterThan(cases.length / 4);
    expect(accepted.length).toBeLessThan(cases.length);
  });

  it("agrees with chevrotain on every string of 100 fuzzer YAML/JSON documents (mutated expressions)", () => {
    // The documents `npm run fuzz` makes: each case's constitution as YAML or JSON, some of its
    // expressions mutated, written in another quoting style or nested deep, now and then the text.
    let strings = 0;
    const found: string[] = [];
    for (const document of documentCases(13, 100, 0, { deepNesting: true })) {
      const { failure, strings: held } = documentExpressionCheck(document);
      strings += held;
      if (failure !== undefined)
        found.push(`case ${document.index} (${document.mutations.join("; ")}): ${failure.problem}`);
    }
    expect(found).toEqual([]);
    expect(strings).toBeGreaterThan(10_000);
  });

  it("agrees on tricky expressions: line breaks, blocks, depth, trailing tokens, nothing", () => {
    const texts = [
      'words(response) > 3 and\r\n  not (prompt contains "x")',
      'response matches /a\\/b[/]/i or tags in ["a", """\n  b\r\n  c\n  """]',
      "a == 1 b",
      "",
      "  # only a comment",
      "x and",
      `${"(".repeat(70)}a${")".repeat(70)}`,
      `${Array.from({ length: 300 }, (_, index) => `a${index}`).join(" or ")}`,
      "not not not words(prompt)",
      'critique contains "\\q"',
      "principle",
      "1.5e3 < 2",
    ];
    const origins = [
      { line: 1, column: 1, offset: 0 },
      { line: 7, column: 12, offset: 311 },
    ];
    const cases = texts.flatMap((text, index) =>
      origins.map((origin) => ({ name: `tricky ${index}`, text, origin })),
    );
    expect(expressionDisagreements(cases)).toEqual([]);
  });

  it("knows the keywords the chevrotain lexer knows (one table for both)", () => {
    const chevrotainKeywords = ALL_TOKENS.map(keywordSpelling).filter((word) => word !== undefined);
    expect(chevrotainKeywords.sort()).toEqual(Object.keys(KEYWORD_KINDS).sort());
  });

  it("builds tokens and CST for a clean file only when they are read", () => {
    const parsed = parseCharter('charter "a" version "1.0.0"', "a.charter");
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.syntax?.tokens.map((token) => token.image)).toEqual([
      "charter",
      '"a"',
      "version",
      '"1.0.0"',
    ]);
    expect(parsed.syntax?.cst.name).toBe("charterFile");
  });
});
