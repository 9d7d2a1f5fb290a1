// A bounded fuzz run of the compiler (the large one is `npm run fuzz -- --cases 20000 --seed 1`):
// seeded mutations of the shipped constitutions never crash, never hang, and report only ranges
// inside the file. Also checks the harness itself, so a broken harness cannot pass silently.
import { describe, expect, it } from "vitest";
import { compileSource, toCharterSource, type CompiledConstitution } from "../../src/dsl/index.js";
import {
  checkCase,
  formatFailure,
  fuzzCases,
  rangeProblem,
  roughTokens,
  type FuzzCase,
  type FuzzCompile,
} from "./fuzz-harness.js";
import { FEW_SHOT_SHAPES, fewShotSet } from "./fuzz-few-shot.js";
import { checkDocumentLaws, checkLaws } from "./fuzz-laws.js";
import { documentCases } from "./fuzz-documents.js";
import { seededRandom } from "../../src/runtime/index.js";

const SEED = 20_261_121;
const CASES = 200;
/** Each document compiles its case again (`npm run fuzz` does not): half as many. */
const DOCUMENTS = 100;

const compile: FuzzCompile = (text, filename) => compileSource(text, { filename });

describe("fuzz harness", () => {
  it("rough tokens concatenate back to the text", () => {
    const text =
      'principle a.b weight 2 tags x, y {\n  when response matches /a\\/b/i\n  critique """\n  hi\n  """\n}\n';
    expect(roughTokens(text).join("")).toBe(text);
  });

  it("the same seed gives the same cases, another seed different ones", () => {
    const first = [...fuzzCases(7, 20)].map((fuzzCase) => fuzzCase.text);
    const again = [...fuzzCases(7, 20)].map((fuzzCase) => fuzzCase.text);
    const other = [...fuzzCases(8, 20)].map((fuzzCase) => fuzzCase.text);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });

  it("rangeProblem accepts positions inside the file, one past a line's end included", () => {
    const text = "ab\r\ncde\n";
    expect(rangeProblem(text, { line: 1, column: 1 }, { line: 1, column: 3 })).toBeUndefined();
    expect(rangeProblem(text, { line: 2, column: 4 }, { line: 3, column: 1 })).toBeUndefined();
    expect(rangeProblem(text, { line: 4, column: 1 }, { line: 4, column: 1 })).toMatch(
      /start line 4 outside 1..3/,
    );
    expect(rangeProblem(text, { line: 1, column: 4 }, { line: 1, column: 4 })).toMatch(
      /start column 4 outside 1..3/,
    );
    expect(rangeProblem(text, { line: 2, column: 2 }, { line: 1, column: 1 })).toMatch(
      /ends .* before it starts/,
    );
    expect(rangeProblem(text, { line: 0, column: 1 }, { line: 1, column: 1 })).toMatch(/outside/);
  });

  it("checkCase reports throws, missing results and out-of-file ranges", () => {
    const fuzzCase: FuzzCase = {
      index: 0,
      filename: "x.charter",
      mutations: ["none"],
      text: "one line",
    };
    const range = (line: number, column: number) => ({
      file: "x.charter",
      start: { line, column },
      end: { line, column },
    });
    const error = (line: number, column: number) => ({
      code: "c",
      severity: "error",
      message: "m",
      range: range(line, column),
    });
    expect(
      checkCase(() => {
        throw new TypeError("boom");
      }, fuzzCase)?.problem,
    ).toMatch(/^compile threw TypeError: boom/);
    expect(checkCase(() => ({ diagnostics: [] }), fuzzCase)?.problem).toBe(
      "no constitution and no error diagnostics",
    );
    expect(
      checkCase(() => ({ constitution: {}, diagnostics: [error(1, 1)] }), fuzzCase)?.problem,
    ).toMatch(/despite 1 errors/);
    expect(checkCase(() => ({ diagnostics: [error(2, 1)] }), fuzzCase)?.problem).toMatch(
      /start line 2 outside 1..1/,
    );
    expect(checkCase(() => ({ diagnostics: [error(1, 9)] }), fuzzCase)).toBeUndefined();
    expect(formatFailure(3, { fuzzCase, problem: "p", elapsedMs: 1 })).toContain("seed 3, case 0");
  });

  it("checkDocumentLaws reports a constitution its conversions do not give back", () => {
    const text = "charter: a\nversion: 1.0.0\n";
    const document: FuzzCase = { index: 0, filename: "/fuzz/a.yaml", mutations: [], text };
    const { constitution } = compileSource(text, { filename: document.filename });
    expect(constitution).toBeDefined();
    expect(checkDocumentLaws(document, constitution)).toBeUndefined();
    expect(checkDocumentLaws(document, undefined)).toBeUndefined();
    const tampered = { ...constitution!, hash: "sha256:0" };
    expect(checkDocumentLaws(document, tampered)?.problem).toMatch(
      /^convert --to charter breaks the round trip: its hash differs/,
    );
  });
});

describe("few-shot sets in the fuzzer", () => {
  const HEADER = 'charter "fs" version "1.0.0"\nprinciple p { compare "q?" }\n';

  it("each broken shape is an invalid-few-shot (or kin) error; valid sets compile", () => {
    const outcomes = new Map<string, Set<string>>();
    for (let index = 0; index < 600; index++) {
      const random = seededRandom(SEED, `shape-${index}`);
      const shape = FEW_SHOT_SHAPES[index % FEW_SHOT_SHAPES.length] ?? "valid";
      const text = `${HEADER}${fewShotSet(random, "s", shape)}\n`;
      const result = compileSource(text, { filename: "fs.charter" });
      const codes = result.diagnostics.filter((entry) => entry.severity === "error");
      const seen = outcomes.get(shape) ?? new Set<string>();
      seen.add(codes.length === 0 ? "compiles" : "error");
      outcomes.set(shape, seen);
    }
    for (const shape of FEW_SHOT_SHAPES)
      expect([shape, [...(outcomes.get(shape) ?? [])]]).toEqual([
        shape,
        [shape === "valid" ? "compiles" : "error"],
      ]);
  });

  it(`a third of the cases carry sets, and some of those compile (so convert meets them)`, () => {
    const cases = [...fuzzCases(SEED, CASES)];
    const withSets = cases.filter((fuzzCase) => fuzzCase.mutations[0]?.startsWith("few-shot"));
    const compiled = withSets.filter(
      (fuzzCase) =>
        compileSource(fuzzCase.text, { filename: fuzzCase.filename }).constitution?.fewShots !==
        undefined,
    );
    expect(withSets.length).toBeGreaterThan(CASES / 5);
    expect(compiled.length).toBeGreaterThan(10);
  });
});

describe("compileSource under fuzzing", () => {
  it(`${CASES} seeded mutations (seed ${SEED}) compile or give in-file diagnostics, each within 2 s`, () => {
    const report: string[] = [];
    for (const fuzzCase of fuzzCases(SEED, CASES)) {
      const failure = checkCase(compile, fuzzCase);
      if (failure !== undefined) report.push(formatFailure(SEED, failure, 1_500));
    }
    expect(report.slice(0, 3).join("\n\n")).toBe("");
  }, 60_000);

  it(`the YAML/JSON documents of the first ${DOCUMENTS} cases (mutated expressions) compile or give in-file diagnostics, and convert back to their hash`, () => {
    const report: string[] = [];
    let documents = 0;
    let converted = 0;
    for (const document of documentCases(SEED, DOCUMENTS)) {
      documents++;
      let constitution: CompiledConstitution | undefined;
      const failure =
        checkCase(
          (text, filename) => ({ constitution } = compileSource(text, { filename })),
          document,
        ) ?? checkDocumentLaws(document, constitution);
      if (constitution !== undefined) converted++;
      if (failure !== undefined) report.push(formatFailure(SEED, failure, 1_500));
    }
    expect(report.slice(0, 3).join("\n\n")).toBe("");
    expect(documents).toBe(DOCUMENTS);
    // Both outcomes: documents that compile (and meet the laws) and documents with errors.
    expect(converted).toBeGreaterThan(10);
    expect(converted).toBeLessThan(DOCUMENTS);
  }, 60_000);

  it(`the same cases keep fmt's and convert's laws (idempotent, same diagnostics and hash, round trips)`, () => {
    const report: string[] = [];
    for (const fuzzCase of fuzzCases(SEED, CASES, 0, { deepNesting: false })) {
      const failure = checkLaws(fuzzCase);
      if (failure !== undefined) report.push(formatFailure(SEED, failure, 1_500));
    }
    expect(report.slice(0, 3).join("\n\n")).toBe("");
  }, 60_000);
});

/** One case, checked like the fuzzed ones; returns the problem or "" when sound. */
function problemOf(text: string, what: string): string {
  const failure = checkCase(compile, {
    index: 0,
    filename: "/fuzz/deep.charter",
    mutations: [what],
    text,
  });
  return failure === undefined ? "" : (failure.problem.split("\n")[0] ?? "");
}

const principleWith = (when: string, extra = ""): string =>
  `charter "deep" version "1.0.0"\nprinciple p {\n  when ${when}\n  critique "c"\n  revise "r"\n  compare "q"\n${extra}}\n`;

describe("pathological nesting", () => {
  it("2,000 nested braces inside a principle give diagnostics, not a crash", () => {
    expect(
      problemOf(principleWith("true", `${"{".repeat(2_000)}${"}".repeat(2_000)}\n`), "braces"),
    ).toBe("");
  });

  it("a flat chain of 1,000 `and`s compiles", () => {
    expect(problemOf(principleWith(Array(1_000).fill("true").join(" and ")), "and chain")).toBe("");
  });

  // Each of these crashed the parser (RangeError from chevrotain's recursion, from ~300 nested
  // parentheses) until the compiler's nesting-too-deep guard; they stay as regression tests.
  it("5,000 nested parentheses in a `when`", () => {
    expect(problemOf(principleWith(`${"(".repeat(5_000)}true${")".repeat(5_000)}`), "parens")).toBe(
      "",
    );
  });

  it("5,000 nested `not`s in a `when`", () => {
    expect(problemOf(principleWith(`${"not ".repeat(5_000)}true`), "nots")).toBe("");
  });

  it("2,000 nested lists in a `when`", () => {
    expect(
      problemOf(principleWith(`${"[".repeat(2_000)}"x"${"]".repeat(2_000)} contains "x"`), "lists"),
    ).toBe("");
  });

  it("5,000 unclosed parentheses in a `when`", () => {
    expect(problemOf(principleWith("(".repeat(5_000)), "unclosed parens")).toBe("");
  });

  it("a flat chain of 5,000 `and`s", () => {
    expect(problemOf(principleWith(Array(5_000).fill("true").join(" and ")), "and chain")).toBe("");
  });
});

describe("range and result bugs the fuzzer found (minimal reproductions, fixed since)", () => {
  // A `"""` block left open up to a final line break: the range ended two columns past the line.
  it('an unterminated `"""` block ending in a newline keeps its range inside the file', () => {
    expect(problemOf('"""\n', "unterminated block")).toBe("");
  });

  // A lone \r (a line break to chevrotain and editors) inside a template was counted as a column.
  it("a template variable after a lone carriage return is reported inside its line", () => {
    const text =
      'charter "a" version "1.0.0"\ntemplate critique-request """\n  x\r  {{nope}}\n"""\n';
    expect(problemOf(text, "lone CR in template")).toBe("");
  });

  // A file cut off after `charter` gave neither a constitution nor an error.
  it("a file holding only `charter` reports an error", () => {
    expect(problemOf("charter", "truncated header")).toBe("");
  });

  // Found on a YAML document (`npm run fuzz`): the content hash walked a chain of `not`s
  // exponentially, so 41 of them never finished compiling (60 here: 2^60 walks before the fix).
  it("60 nested `not`s around a comparison compile", () => {
    const text = principleWith(`${"not ".repeat(60)}(lines(response) >= 8)`);
    expect(problemOf(text, "nots")).toBe("");
    // Compiled, so the content hash (where the walk was) ran.
    const compiled = compileSource(text, { filename: "nots.charter" });
    expect(compiled.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(compiled.constitution?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

/** Each diagnostic of a YAML/JSON text as `start-end code`, after checking its ranges are in the file. */
function documentDiagnostics(text: string, filename: string): string[] {
  const failure = checkCase(compile, { index: 0, filename, mutations: ["by hand"], text });
  expect(failure?.problem.split("\n")[0] ?? "").toBe("");
  return compileSource(text, { filename }).diagnostics.map(
    ({ range, code }) =>
      `${range.start.line}:${range.start.column}-${range.end.line}:${range.end.column} ${code}`,
  );
}

describe("YAML/JSON bugs the fuzzer's documents found (minimal reproductions, fixed since)", () => {
  const header = "charter: a\nversion: 1.0.0\nprinciples:\n  - id: p\n";
  const body = "    critique: c\n    revise: r\n";

  // An expression's positions were counted along its value, as if it were one line from where the
  // string starts: past a folded line break they left the line (or landed on the wrong one).
  it("an error after a folded line break in a quoted `when` points at its text", () => {
    const text = `${header}    when: 'prompt matches\n      /x/ or "medical" '\n${body}`;
    // Line 6: `      /x/ or "medical" '`, the string "medical" at columns 14-22.
    expect(documentDiagnostics(text, "/fuzz/folded.yaml")).toEqual(["6:14-6:23 type-mismatch"]);
  });

  it("an error in a block scalar `when` points at its line, not the `|-` header's", () => {
    const text = `${header}    when: |-\n      words(response) > 3\n      or "x"\n${body}`;
    expect(documentDiagnostics(text, "/fuzz/block.yaml")).toEqual(["7:10-7:13 type-mismatch"]);
  });

  it("an error after escapes in a JSON string points at the escaped text", () => {
    const text =
      '{"charter": "a", "version": "1.0.0", "principles": [{"id": "p", "when": "prompt matches /\\\\d/ or \\"x\\"", "critique": "c", "revise": "r"}]}\n';
    // `\"x\"` at columns 98-102.
    expect(documentDiagnostics(text, "/fuzz/escapes.json")).toEqual(["1:98-1:103 type-mismatch"]);
  });

  // The YAML parser's line counter misses line breaks after some syntax errors: positions past
  // them landed on an earlier line, columns past its end.
  it("a syntax error after lines the YAML parser skipped is on its own line", () => {
    const text = '{\n  "charter": "a",\n  "version": "1.0.0"\n}\n""\n,\n}';
    expect(documentDiagnostics(text, "/fuzz/skipped.json")).toEqual([
      "5:1-5:3 invalid-document",
      "6:1-7:2 invalid-document",
    ]);
  });

  // A rubric with no criteria (a YAML list cut after `- id:`) was printed `{` newline `}` by
  // convert, which fmt writes `{}`.
  it("an empty rubric converts to the .charter fmt writes", () => {
    const text = "charter: a\nversion: 1.0.0\nrubrics:\n  - id: empty\n";
    const document: FuzzCase = { index: 0, filename: "/fuzz/empty.yaml", mutations: [], text };
    const { constitution } = compileSource(text, { filename: document.filename });
    expect(constitution?.rubrics).toHaveLength(1);
    expect(checkDocumentLaws(document, constitution)).toBeUndefined();
    expect(toCharterSource(constitution!)).toContain("rubric empty {}\n");
  });

  // A range ended between the `\r` and `\n` of one line break, a column past the line.
  it("an error at a carriage return ends on its line", () => {
    expect(documentDiagnostics('{\r\n"charter": "a\r\n"}', "/fuzz/crlf.json")).toEqual([
      "2:14-2:14 invalid-document",
    ]);
  });
});
