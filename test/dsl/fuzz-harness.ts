// The compiler fuzzer's engine, shared by test/dsl/fuzz.test.ts (a bounded run) and scripts/fuzz.ts
// (`npm run fuzz -- --cases 20000 --seed 1`): seeded mutations of the shipped constitutions, each
// compiled once and checked for crashes, slowness and diagnostics whose ranges leave the file.

import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { seededRandom, type SeededRandom } from "../../src/runtime/index.js";
import { withFewShotSets } from "./fuzz-few-shot.js";

export const CONSTITUTIONS_DIR = resolve(
  dirname(fileURLToPath(import.meta.url)),
  "../../constitutions",
);

/** The shipped constitutions the mutations start from. */
export const SEED_FILES = [
  "harmless.charter",
  "helpful-honest.charter",
  "showcase.charter",
  "common/framing.charter",
] as const;

/** A case slower than this is a failure (a hang in the making). */
export const CASE_TIME_LIMIT_MS = 2_000;

/** What the fuzzer needs from a compile: a result or diagnostics with ranges. */
export interface FuzzPosition {
  readonly line: number;
  readonly column: number;
}
export interface FuzzDiagnostic {
  readonly code: string;
  readonly severity: string;
  readonly message: string;
  readonly range: {
    readonly file: string;
    readonly start: FuzzPosition;
    readonly end: FuzzPosition;
  };
}
export interface FuzzCompileResult {
  readonly constitution?: unknown;
  readonly diagnostics: readonly FuzzDiagnostic[];
}
export type FuzzCompile = (text: string, filename: string) => FuzzCompileResult;

export interface FuzzCase {
  /** Case number within the run; with the seed it reproduces the case. */
  readonly index: number;
  /** Which shipped file was mutated (its path decides how imports resolve). */
  readonly filename: string;
  /** What was done, for the failure report. */
  readonly mutations: readonly string[];
  readonly text: string;
}

export interface FuzzFailure {
  readonly fuzzCase: FuzzCase;
  readonly problem: string;
  readonly elapsedMs: number;
}

// Rough tokens of the language, for token-level mutations: strings, regexes, words, numbers,
// punctuation, comments, whitespace. Splitting need not match the real lexer; it only picks cut points.
const TOKEN =
  /"""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|\/(?:[^/\\\n]|\\.)+\/[a-z]*|#[^\n]*|[A-Za-z_][\w.-]*|-?\d+(?:\.\d+)?|\s+|[^\s]/g;

/** Splits source text into rough tokens (their concatenation is the text). */
export function roughTokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

// Characters inserted as noise: structure, quotes, escapes, control and odd Unicode (lone surrogates,
// line and paragraph separators, BOM, combining marks, astral symbols).
const NOISE = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  '"',
  '"""',
  "/",
  "\\",
  "#",
  ",",
  "=",
  "<",
  ">",
  "!",
  "*",
  ".",
  "-",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "\u0000",
  "\u0007",
  "\u007f",
  "\u00a0",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\u0301",
  "😀",
  "é",
  "𝔘",
  "{{",
  "}}",
  "{{principle.nope}}",
  "\\u12",
  "\\q",
  "principle",
  "rule",
  "when",
  "not",
  "and",
  "matches",
  "import",
  "override",
  "drop",
  "template",
];

export interface FuzzOptions {
  /** Include pathological nesting (thousands of parens, braces, `not`s); default true. */
  readonly deepNesting?: boolean;
}

/**
 * A seeded generator of mutated constitutions: cases `from` .. `to - 1`. Each case draws from its
 * own stream keyed by (seed, index), so any one case can be regenerated alone.
 */
export function* fuzzCases(
  seed: number,
  to: number,
  from = 0,
  options: FuzzOptions = {},
): Generator<FuzzCase> {
  const deepNesting = options.deepNesting ?? true;
  const seeds = SEED_FILES.map((name) => ({
    filename: join(CONSTITUTIONS_DIR, name),
    text: readFileSync(join(CONSTITUTIONS_DIR, name), "utf8"),
  }));
  for (let index = from; index < to; index++) {
    const random = seededRandom(seed, `fuzz-case-${index}`);
    const base = seeds[random.int(seeds.length)] ?? seeds[0];
    if (base === undefined) return;
    const mutations: string[] = [];
    let text = base.text;
    // A third of the cases get few-shot sets (none ship), from their own stream so the mutations
    // drawn below stay those the seed gave before.
    const fewShots = withFewShotSets(text, random.fork("few-shot"));
    if (fewShots !== undefined) {
      text = fewShots.text;
      mutations.push(fewShots.what);
    }
    const rounds = fewShots?.mutate === false ? 0 : 1 + random.int(4);
    for (let round = 0; round < rounds; round++) {
      const mutated = mutate(text, random, deepNesting);
      text = mutated.text;
      mutations.push(mutated.what);
    }
    yield { index, filename: base.filename, mutations, text };
  }
}

export interface Mutation {
  readonly text: string;
  readonly what: string;
}

/** One seeded token-level mutation of a text (with `deepNesting`, sometimes pathological nesting). */
export function mutate(text: string, random: SeededRandom, deepNesting: boolean): Mutation {
  const tokens = roughTokens(text);
  const pick = (): number => random.int(Math.max(1, tokens.length));
  switch (random.int(deepNesting ? 9 : 8)) {
    case 0: {
      const i = pick();
      return { text: splice(tokens, i, 1).join(""), what: `delete token ${i} ${show(tokens[i])}` };
    }
    case 1: {
      const i = pick();
      return {
        text: splice(tokens, i, 0, tokens[i] ?? "").join(""),
        what: `duplicate token ${i} ${show(tokens[i])}`,
      };
    }
    case 2: {
      const i = pick();
      const j = pick();
      const swapped = [...tokens];
      swapped[i] = tokens[j] ?? "";
      swapped[j] = tokens[i] ?? "";
      return { text: swapped.join(""), what: `swap tokens ${i} and ${j}` };
    }
    case 3: {
      const at = random.int(text.length + 1);
      return { text: text.slice(0, at), what: `truncate at ${at}` };
    }
    case 4: {
      const at = random.int(text.length + 1);
      let noise = "";
      const length = 1 + random.int(6);
      for (let k = 0; k < length; k++) noise += NOISE[random.int(NOISE.length)] ?? "";
      return {
        text: text.slice(0, at) + noise + text.slice(at),
        what: `insert ${show(noise)} at ${at}`,
      };
    }
    case 5: {
      const i = pick();
      const j = pick();
      return {
        text: splice(tokens, i, 1, tokens[j] ?? "").join(""),
        what: `replace token ${i} with token ${j}`,
      };
    }
    case 6: {
      // Move a whole line elsewhere: breaks blocks apart while keeping tokens intact.
      const lines = text.split("\n");
      const from = random.int(lines.length);
      const [line] = lines.splice(from, 1);
      const to = random.int(lines.length + 1);
      lines.splice(to, 0, line ?? "");
      return { text: lines.join("\n"), what: `move line ${from + 1} to ${to + 1}` };
    }
    case 7: {
      const at = random.int(text.length + 1);
      const bytes: string[] = [];
      const length = 1 + random.int(12);
      for (let k = 0; k < length; k++) bytes.push(String.fromCharCode(random.int(0x3000)));
      const noise = bytes.join("");
      return {
        text: text.slice(0, at) + noise + text.slice(at),
        what: `insert random chars ${show(noise)} at ${at}`,
      };
    }
    default:
      return nest(text, random);
  }
}

/** Pathological nesting at a random depth up to the sizes the brief names (5,000 parens, 2,000 braces). */
function nest(text: string, random: SeededRandom): Mutation {
  const kind = random.int(5);
  const depth = 1 + random.int(kind === 1 ? 2_000 : 5_000);
  const at = principleBodyStart(text, random);
  switch (kind) {
    case 0: {
      const when = `\n  when ${"(".repeat(depth)}words(response) > 1${")".repeat(depth)}\n`;
      return {
        text: text.slice(0, at) + when + text.slice(at),
        what: `when with ${depth} nested parens at ${at}`,
      };
    }
    case 1:
      return {
        text: text.slice(0, at) + "{".repeat(depth) + "}".repeat(depth) + text.slice(at),
        what: `${depth} nested braces at ${at}`,
      };
    case 2:
      return {
        text: text.slice(0, at) + `\n  when ${"not ".repeat(depth)}true\n` + text.slice(at),
        what: `when with ${depth} nested nots at ${at}`,
      };
    case 3:
      return {
        text: text.slice(0, at) + `\n  when ${"(".repeat(depth)}\n` + text.slice(at),
        what: `when with ${depth} unclosed parens at ${at}`,
      };
    default:
      return {
        text:
          text.slice(0, at) +
          `\n  when ${"[".repeat(depth)}"x"${"]".repeat(depth)} contains "x"\n` +
          text.slice(at),
        what: `when with ${depth} nested lists at ${at}`,
      };
  }
}

/** Just after a random `principle ... {`, or anywhere when there is none. */
function principleBodyStart(text: string, random: SeededRandom): number {
  const starts: number[] = [];
  for (const match of text.matchAll(/\bprinciple [^\n{]*\{/g))
    starts.push(match.index + match[0].length);
  return starts.length > 0 ? (starts[random.int(starts.length)] ?? 0) : random.int(text.length + 1);
}

function splice(
  tokens: readonly string[],
  at: number,
  remove: number,
  ...insert: string[]
): string[] {
  const copy = [...tokens];
  copy.splice(at, remove, ...insert);
  return copy;
}

function show(text: string | undefined): string {
  const shown = JSON.stringify(text ?? "");
  return shown.length > 60 ? `${shown.slice(0, 57)}..."` : shown;
}

/**
 * Compiles one case and returns what is wrong with the outcome, or undefined when it is sound:
 * no exception, within the time limit, and either a constitution or error diagnostics whose
 * ranges lie inside the file they name.
 */
export function checkCase(
  compile: FuzzCompile,
  fuzzCase: FuzzCase,
  files: ReadonlyMap<string, string> = new Map(),
): FuzzFailure | undefined {
  const start = performance.now();
  let result: FuzzCompileResult;
  try {
    result = compile(fuzzCase.text, fuzzCase.filename);
  } catch (error) {
    const elapsedMs = performance.now() - start;
    const detail =
      error instanceof Error
        ? `${error.name}: ${error.message}\n${error.stack ?? ""}`
        : String(error);
    return { fuzzCase, problem: `compile threw ${detail}`, elapsedMs };
  }
  const elapsedMs = performance.now() - start;
  const fail = (problem: string): FuzzFailure => ({ fuzzCase, problem, elapsedMs });
  if (elapsedMs > CASE_TIME_LIMIT_MS)
    return fail(`compile took ${elapsedMs.toFixed(0)} ms (limit ${CASE_TIME_LIMIT_MS} ms)`);
  if (result === null || typeof result !== "object" || !Array.isArray(result.diagnostics)) {
    return fail(`compile returned no diagnostics list: ${show(JSON.stringify(result))}`);
  }
  const errors = result.diagnostics.filter((entry) => entry.severity === "error");
  if (result.constitution === undefined && errors.length === 0)
    return fail("no constitution and no error diagnostics");
  if (result.constitution !== undefined && errors.length > 0)
    return fail(`a constitution despite ${errors.length} errors`);
  for (const entry of result.diagnostics) {
    const text =
      entry.range.file === fuzzCase.filename
        ? fuzzCase.text
        : (files.get(entry.range.file) ?? readOrUndefined(entry.range.file));
    if (text === undefined)
      return fail(`diagnostic names an unknown file ${entry.range.file}: ${describe(entry)}`);
    const problem = rangeProblem(text, entry.range.start, entry.range.end);
    if (problem !== undefined) return fail(`${problem}: ${describe(entry)}`);
  }
  return undefined;
}

/** Line lengths of a text, breaking lines as editors and chevrotain do (\n, \r\n, \r). */
export function lineLengths(text: string): number[] {
  return text.split(/\r\n|\r|\n/).map((line) => line.length);
}

/** Why a range does not lie inside the text (line 1..lineCount, column 1..length+1), or undefined. */
export function rangeProblem(
  text: string,
  start: FuzzPosition,
  end: FuzzPosition,
): string | undefined {
  const lengths = lineLengths(text);
  for (const [name, position] of [
    ["start", start],
    ["end", end],
  ] as const) {
    const { line, column } = position;
    if (!Number.isInteger(line) || line < 1 || line > lengths.length) {
      return `${name} line ${line} outside 1..${lengths.length}`;
    }
    const length = lengths[line - 1] ?? 0;
    if (!Number.isInteger(column) || column < 1 || column > length + 1) {
      return `${name} column ${column} outside 1..${length + 1} on line ${line}`;
    }
  }
  if (end.line < start.line || (end.line === start.line && end.column < start.column)) {
    return `range ends (${end.line}:${end.column}) before it starts (${start.line}:${start.column})`;
  }
  return undefined;
}

function describe(entry: FuzzDiagnostic): string {
  const { start, end } = entry.range;
  return `${start.line}:${start.column}-${end.line}:${end.column} ${entry.code}: ${entry.message}`;
}

const fileCache = new Map<string, string | undefined>();
function readOrUndefined(file: string): string | undefined {
  if (!fileCache.has(file)) {
    let text: string | undefined;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      text = undefined;
    }
    fileCache.set(file, text);
  }
  return fileCache.get(file);
}

/** A failure as people read it: seed, case, mutations, the problem and the input. */
export function formatFailure(seed: number, failure: FuzzFailure, maxInput = 4_000): string {
  const { fuzzCase } = failure;
  const input =
    fuzzCase.text.length > maxInput
      ? `${fuzzCase.text.slice(0, maxInput)}\n... (${fuzzCase.text.length} chars in all)`
      : fuzzCase.text;
  return [
    `fuzz failure: seed ${seed}, case ${fuzzCase.index}, file ${fuzzCase.filename} (${failure.elapsedMs.toFixed(0)} ms)`,
    `mutations: ${fuzzCase.mutations.join("; ")}`,
    `problem: ${failure.problem}`,
    "input:",
    input,
  ].join("\n");
}
