// YAML/JSON constitutions for the fuzzer: each case's constitution (its seed file's when the mutated
// .charter does not compile) converted to YAML or JSON by `convert`'s writers, then some of its
// expressions mutated (token edits, noise, deep nesting, joins, another quoting style) and now and
// then the document's text itself. `npm run fuzz` and clean-parser.test.ts compile each document
// (checkCase) and hold the clean expression parser to chevrotain on every string in it.

import { isScalar, parseDocument, visit, Scalar } from "yaml";
import { readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { compileSource, toJson, toYaml, type CompiledConstitution } from "../../src/dsl/index.js";
import { seededRandom, type SeededRandom } from "../../src/runtime/index.js";
import { documentStrings, cleanExpressionProblem } from "./clean-differential.js";
import {
  fuzzCases,
  mutate,
  type FuzzCase,
  type FuzzFailure,
  type FuzzOptions,
  type Mutation,
} from "./fuzz-harness.js";

/** The keys whose string a YAML/JSON constitution reads as an expression (read-declarations.ts). */
export const EXPRESSION_KEYS: ReadonlySet<string> = new Set([
  "when",
  "require",
  "prefer",
  "flag",
  "check",
]);

/** How YAML may write a string: each changes where the expression's text starts in the file. */
const YAML_STYLES = [
  Scalar.PLAIN,
  Scalar.QUOTE_DOUBLE,
  Scalar.QUOTE_SINGLE,
  Scalar.BLOCK_LITERAL,
  Scalar.BLOCK_FOLDED,
] as const;

/**
 * The YAML/JSON document of one fuzz case: seeded by (seed, case index) on a stream of its own, so
 * the .charter cases stay those the seed gave before and any one document can be made alone.
 */
export function documentCase(
  fuzzCase: FuzzCase,
  seed: number,
  constitution: CompiledConstitution,
  options: { readonly deepNesting?: boolean } = {},
): FuzzCase {
  const random = seededRandom(seed, `fuzz-document-${fuzzCase.index}`);
  const deepNesting = options.deepNesting ?? true;
  const yaml = random.int(2) === 0;
  const mutations: string[] = [
    `${fuzzCase.filename} compiled, converted to ${yaml ? "YAML" : "JSON"}`,
  ];
  const edits = random.int(4);
  let text = yaml
    ? mutateYaml(toYaml(constitution), edits, random, deepNesting, mutations)
    : mutateJson(toJson(constitution), edits, random, deepNesting, mutations);
  // Now and then the text itself: the reader's errors, and strings cut or joined across lines.
  if (random.int(4) === 0) {
    const mutated = mutate(text, random, false);
    text = mutated.text;
    mutations.push(`document: ${mutated.what}`);
  }
  const stem = join(dirname(fuzzCase.filename), basename(fuzzCase.filename, ".charter"));
  return {
    index: fuzzCase.index,
    filename: `${stem}.fuzz.${yaml ? "yaml" : "json"}`,
    mutations,
    text,
  };
}

/**
 * The documents of cases `from` .. `to - 1` (for tests; `npm run fuzz` makes each from the
 * constitution it has just compiled).
 */
export function* documentCases(
  seed: number,
  to: number,
  from = 0,
  options: FuzzOptions = {},
): Generator<FuzzCase> {
  const seeds = new Map<string, CompiledConstitution | undefined>();
  for (const fuzzCase of fuzzCases(seed, to, from, options)) {
    const constitution =
      compileSource(fuzzCase.text, { filename: fuzzCase.filename }).constitution ??
      seedConstitution(fuzzCase.filename, seeds);
    if (constitution !== undefined) yield documentCase(fuzzCase, seed, constitution, options);
  }
}

/** A shipped constitution compiled, once per run (`seeds` holds them). */
export function seedConstitution(
  filename: string,
  seeds: Map<string, CompiledConstitution | undefined>,
): CompiledConstitution | undefined {
  if (!seeds.has(filename))
    seeds.set(filename, compileSource(readFileSync(filename, "utf8"), { filename }).constitution);
  return seeds.get(filename);
}

function mutateYaml(
  text: string,
  edits: number,
  random: SeededRandom,
  deepNesting: boolean,
  mutations: string[],
): string {
  const document = parseDocument(text);
  const targets: { key: string; scalar: Scalar }[] = [];
  visit(document, {
    Pair(_key, pair) {
      if (isScalar(pair.key) && EXPRESSION_KEYS.has(String(pair.key.value)))
        if (isScalar(pair.value) && typeof pair.value.value === "string")
          targets.push({ key: String(pair.key.value), scalar: pair.value });
    },
  });
  const expressions = targets.map((target) => target.scalar.value as string);
  for (let edit = 0; edit < edits && targets.length > 0; edit++) {
    const target = targets[random.int(targets.length)]!;
    const mutated = mutateExpression(
      target.scalar.value as string,
      expressions,
      random,
      deepNesting,
    );
    target.scalar.value = mutated.text;
    let what = mutated.what;
    if (random.int(3) === 0) {
      const style = YAML_STYLES[random.int(YAML_STYLES.length)]!;
      target.scalar.type = style;
      what += `, written ${style}`;
    }
    mutations.push(`${target.key}: ${what}`);
  }
  return document.toString({ lineWidth: random.int(2) === 0 ? 0 : 40 + random.int(80) });
}

function mutateJson(
  text: string,
  edits: number,
  random: SeededRandom,
  deepNesting: boolean,
  mutations: string[],
): string {
  const value: unknown = JSON.parse(text);
  const targets: { key: string; holder: Record<string, unknown> }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (typeof node !== "object" || node === null) return;
    const holder = node as Record<string, unknown>;
    for (const [key, child] of Object.entries(holder)) {
      if (EXPRESSION_KEYS.has(key) && typeof child === "string") targets.push({ key, holder });
      else walk(child);
    }
  };
  walk(value);
  const expressions = targets.map(({ key, holder }) => holder[key] as string);
  for (let edit = 0; edit < edits && targets.length > 0; edit++) {
    const { key, holder } = targets[random.int(targets.length)]!;
    const mutated = mutateExpression(holder[key] as string, expressions, random, deepNesting);
    holder[key] = mutated.text;
    mutations.push(`${key}: ${mutated.what}`);
  }
  return JSON.stringify(value, null, random.int(3) === 0 ? undefined : 2) + "\n";
}

/** One mutation of an expression's text. */
function mutateExpression(
  text: string,
  others: readonly string[],
  random: SeededRandom,
  deepNesting: boolean,
): Mutation {
  switch (random.int(deepNesting ? 6 : 5)) {
    case 0:
    case 1:
    case 2:
      return mutate(text, random, false);
    case 3: {
      const other = others[random.int(others.length)] ?? "true";
      const joint = [" and ", " or ", "\nand ", "\n  or\n  ", " and not "][random.int(5)]!;
      return {
        text: `${text}${joint}${other}`,
        what: `joined ${JSON.stringify(joint)} ${show(other)}`,
      };
    }
    case 4: {
      const depth = 1 + random.int(40);
      return {
        text: `${"(".repeat(depth)}${text}${")".repeat(depth)}`,
        what: `wrapped in ${depth} parens`,
      };
    }
    default:
      return nestExpression(text, random);
  }
}

/** Pathological nesting around or instead of an expression, at the depths the .charter cases use. */
function nestExpression(text: string, random: SeededRandom): Mutation {
  const kind = random.int(4);
  const depth = 1 + random.int(5_000);
  switch (kind) {
    case 0:
      return {
        text: `${"(".repeat(depth)}${text}${")".repeat(depth)}`,
        what: `wrapped in ${depth} parens`,
      };
    case 1:
      return { text: `${"not ".repeat(depth)}(${text})`, what: `${depth} nested nots` };
    case 2:
      return { text: `${"(".repeat(depth)}${text}`, what: `${depth} unclosed parens` };
    default:
      return {
        text: `${"[".repeat(depth)}"x"${"]".repeat(depth)} contains "x" or ${text}`,
        what: `${depth} nested lists`,
      };
  }
}

function show(text: string): string {
  const shown = JSON.stringify(text);
  return shown.length > 60 ? `${shown.slice(0, 57)}..."` : shown;
}

/**
 * The clean expression parser against chevrotain on every string of a document, where the reader
 * would parse it (a failure names the first string they disagree on); `strings` is how many it held.
 */
export function documentExpressionCheck(documentCase: FuzzCase): {
  readonly failure?: FuzzFailure;
  readonly strings: number;
} {
  const start = performance.now();
  let strings: ReturnType<typeof documentStrings>;
  try {
    strings = documentStrings(documentCase.text);
  } catch {
    // Text the YAML library cannot make a tree of has no strings to compare (checkCase has
    // already held the compiler's answer to it).
    return { strings: 0 };
  }
  for (const { text, origin } of strings) {
    let problem: string | undefined;
    try {
      problem = cleanExpressionProblem(text, documentCase.filename, origin);
    } catch (error) {
      problem = `an expression parser threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
    }
    if (problem !== undefined)
      return {
        strings: strings.length,
        failure: {
          fuzzCase: documentCase,
          problem: `YAML/JSON expression: ${problem}\n  expression at ${origin.line}:${origin.column}: ${show(text)}`,
          elapsedMs: performance.now() - start,
        },
      };
  }
  return { strings: strings.length };
}
