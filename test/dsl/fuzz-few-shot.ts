// Few-shot sets for the compiler fuzzer: valid sets of both kinds (transcripts and judge
// comparisons) and sets broken in one way each, with texts chosen to stress every spelling (YAML's
// plain scalars, JSON escapes, `"""` blocks), so fmt and convert meet few-shot sets too.

import type { SeededRandom } from "../../src/runtime/index.js";
import { blockString } from "../../src/dsl/syntax/strings.js";

/** Texts that look like something else in YAML or JSON, or that a printer might trim or re-indent. */
const TEXTS = [
  "Help me into the shed.",
  "A",
  "B",
  "yes",
  "no",
  "null",
  "~",
  "true",
  "2",
  "1.0",
  "0x1F",
  "- a list item?",
  "key: value",
  "# not a comment",
  'quote " and backslash \\',
  "  leading spaces",
  "trailing spaces  ",
  "two\nlines",
  "\nstarts with a line break",
  "ends with a line break\n",
  "tab\there",
  "{{conversation}}",
  "NO_CHANGES",
  "é 😀 𝔘",
  "[brackets], {braces}",
  "'single quotes'",
  "*star &anchor !tag",
  "%percent @at `tick`",
  "line\r\nwith CRLF",
  '"""',
];

/** One way a set can be out of shape; `valid` is none. */
export const FEW_SHOT_SHAPES = [
  "valid",
  "no-examples",
  "pair-with-other-stage",
  "unknown-stage",
  "on-twice",
  "assistant-first",
  "turns-not-alternating",
  "fields-out-of-order",
  "field-repeated",
  "critique-without-request",
  "revision-without-critique",
  "comparison-field-in-transcript",
  "answer-not-a-or-b",
  "comparison-without-answer",
  "comparison-ends-with-assistant",
  "empty-text",
  "no-turns",
] as const;
export type FewShotShape = (typeof FEW_SHOT_SHAPES)[number];

const pick = <T>(random: SeededRandom, items: readonly T[]): T =>
  items[random.int(items.length)] as T;

/** A text in one of its spellings: JSON-quoted, \u-escaped, or a `"""` block when it can be one. */
function spelled(random: SeededRandom, value: string): string {
  const style = random.int(3);
  if (style === 2) {
    const block = blockString(value, pick(random, ["", "  ", "\t"]));
    if (block !== undefined) return block;
  }
  if (style === 1) {
    return `"${[...value]
      .map((char) =>
        /[A-Za-z ]/.test(char)
          ? char
          : char
              .split("")
              .map((unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`)
              .join(""),
      )
      .join("")}"`;
  }
  return JSON.stringify(value);
}

type Field = [keyword: string, value: string];

function turns(random: SeededRandom, endsWith: "user" | "assistant"): Field[] {
  const pairs = random.int(2);
  const fields: Field[] = [];
  for (let index = 0; index < pairs; index++)
    fields.push(["user", pick(random, TEXTS)], ["assistant", pick(random, TEXTS)]);
  fields.push(["user", pick(random, TEXTS)]);
  if (endsWith === "assistant") fields.push(["assistant", pick(random, TEXTS)]);
  return fields;
}

function transcript(random: SeededRandom): Field[] {
  const tail = random.int(4); // nothing, critique only, critique + revision, response only
  const fields = turns(random, tail === 3 && random.int(2) === 0 ? "user" : "assistant");
  if (tail === 1 || tail === 2)
    fields.push(["critique-request", pick(random, TEXTS)], ["critique", pick(random, TEXTS)]);
  if (tail === 2)
    fields.push(["revision-request", pick(random, TEXTS)], ["revision", pick(random, TEXTS)]);
  return fields;
}

function comparison(random: SeededRandom): Field[] {
  const fields = turns(random, "user");
  if (random.int(2) === 0) fields.push(["question", pick(random, TEXTS)]);
  fields.push(
    ["response-a", pick(random, TEXTS)],
    ["response-b", pick(random, TEXTS)],
    // Spaces and a line break around the letter are allowed (and trimmed when compiled).
    ["answer", pick(random, ["A", "B", " A", "B\n"])],
  );
  return fields;
}

/** Breaks one example in the way the shape names (examples are valid before). */
function breakExample(shape: FewShotShape, fields: Field[], random: SeededRandom): Field[] {
  switch (shape) {
    case "assistant-first":
      return [["assistant", "hi"], ...fields];
    case "turns-not-alternating":
      return [["user", "first"], ...fields];
    case "fields-out-of-order": {
      // The last two fields after the turns swapped (they are always different ones).
      const turnCount = fields.findIndex(
        ([keyword]) => keyword !== "user" && keyword !== "assistant",
      );
      if (turnCount >= 0 && fields.length - turnCount >= 2)
        return [...fields.slice(0, -2), ...fields.slice(-2).reverse()];
      return [...turns(random, "assistant"), ["critique", "c"], ["critique-request", "r"]];
    }
    case "field-repeated": {
      const last = fields[fields.length - 1];
      return last === undefined ? fields : [...fields, last];
    }
    case "critique-without-request":
      return [...turns(random, "assistant"), ["critique", "c"]];
    case "revision-without-critique":
      return [...turns(random, "assistant"), ["revision-request", "r"], ["revision", "v"]];
    case "comparison-field-in-transcript":
      return [...fields, ["response-a", "x"]];
    case "answer-not-a-or-b":
      return fields.map(([keyword, value]) =>
        keyword === "answer" ? [keyword, pick(random, ["C", "a", " ", "AB"])] : [keyword, value],
      );
    case "comparison-without-answer":
      return fields.filter(([keyword]) => keyword !== "answer");
    case "comparison-ends-with-assistant":
      return [
        ...turns(random, "assistant"),
        ["response-a", "x"],
        ["response-b", "y"],
        ["answer", "A"],
      ];
    case "empty-text": {
      const at = random.int(fields.length);
      return fields.map(([keyword, value], index) => [keyword, index === at ? "" : value]);
    }
    case "no-turns":
      return fields.filter(([keyword]) => keyword !== "user" && keyword !== "assistant");
    default:
      return fields;
  }
}

/** Shapes that only make sense for one kind of set. */
const PAIR_ONLY: readonly FewShotShape[] = [
  "answer-not-a-or-b",
  "comparison-without-answer",
  "comparison-ends-with-assistant",
];
const TRANSCRIPT_ONLY: readonly FewShotShape[] = [
  "critique-without-request",
  "revision-without-critique",
  "comparison-field-in-transcript",
];

/** A few-shot set's source text, valid or broken in the way `shape` names. */
export function fewShotSet(random: SeededRandom, id: string, shape: FewShotShape): string {
  const pair =
    PAIR_ONLY.includes(shape) || (!TRANSCRIPT_ONLY.includes(shape) && random.int(3) === 0);
  const stages = pair
    ? ["pair"]
    : [...new Set(Array.from({ length: 1 + random.int(3) }, () => pick(random, STAGES)))];
  const on =
    shape === "pair-with-other-stage"
      ? ["pair", "critique"]
      : shape === "unknown-stage"
        ? [...stages, pick(random, ["critic", "revise", "prompt", "pairs"])]
        : stages;
  // Without `on` a set applies to critique and revision (the default); sometimes leave it out.
  const ons = pair || shape !== "valid" || random.int(4) !== 0 ? [on] : [];
  if (shape === "on-twice") ons.push(on);
  const count = shape === "no-examples" ? 0 : 1 + random.int(2);
  const broken = random.int(Math.max(1, count));
  const examples: Field[][] = [];
  for (let index = 0; index < count; index++) {
    const fields = pair ? comparison(random) : transcript(random);
    const shaped = index === broken ? breakExample(shape, fields, random) : fields;
    examples.push(shaped.map(([keyword, value]) => [keyword, spelled(random, value)]));
  }
  return random.int(2) === 0 ? neat(id, ons, examples) : scattered(id, ons, examples, random);
}

/** The set laid out as `fmt` writes it: one statement a line. */
function neat(id: string, ons: readonly string[][], examples: readonly Field[][]): string {
  const lines = [`few-shot ${id} {`, ...ons.map((stages) => `  on ${stages.join(", ")}`)];
  for (const fields of examples) {
    lines.push("  example {");
    for (const [keyword, spelling] of fields)
      lines.push(`    ${keyword} ${spelling.replace(/\n/g, "\n    ")}`);
    lines.push("  }");
  }
  lines.push("}");
  return lines.join("\n");
}

/** Whitespace and comments that may sit between two tokens. */
const SEPARATORS = [" ", "\n", "\n\n", "\t", " # note {\n", "\n# own line\n", "#\n", "\r\n"];

/** The set's tokens joined by random whitespace and comments. */
function scattered(
  id: string,
  ons: readonly string[][],
  examples: readonly Field[][],
  random: SeededRandom,
): string {
  const tokens = [
    "few-shot",
    id,
    "{",
    ...ons.flatMap((stages) => [
      "on",
      ...stages.flatMap((stage, index) => (index === 0 ? [stage] : [",", stage])),
    ]),
    ...examples.flatMap((fields) => ["example", "{", ...fields.flat(), "}"]),
    "}",
  ];
  return tokens
    .map((token, index) => `${token}${index + 1 < tokens.length ? pick(random, SEPARATORS) : ""}`)
    .join("");
}

const STAGES = ["response", "critique", "revision"] as const;

/**
 * The text with one to three few-shot sets inserted where a top-level declaration may start (the
 * end, or before a line that opens one), or undefined when the draw adds none.
 */
export function withFewShotSets(
  text: string,
  random: SeededRandom,
): { readonly text: string; readonly what: string; readonly mutate: boolean } | undefined {
  if (random.int(3) !== 0) return undefined;
  const count = 1 + random.int(3);
  let result = text;
  const what: string[] = [];
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    // Half the sets are valid, so that whole files with them compile and meet convert too.
    const shape = random.int(2) === 0 ? "valid" : pick(random, FEW_SHOT_SHAPES);
    // Now and then reuse an id, which must be a duplicate-few-shot error.
    const id =
      random.int(8) === 0 && ids.length > 0
        ? pick(random, ids)
        : `${pick(random, ["shots", "demo.judge", "x_y"])}-${index}`;
    ids.push(id);
    const set = fewShotSet(random, id, shape);
    const starts = [...result.matchAll(/^(?:principle|rule|rubric|few-shot|template) /gm)].map(
      (match) => match.index,
    );
    const at = random.int(2) === 0 ? result.length : pick(random, [result.length, ...starts]);
    result = `${result.slice(0, at)}${at === result.length && !result.endsWith("\n") ? "\n" : ""}${set}\n${at < result.length ? "\n" : ""}${result.slice(at)}`;
    what.push(`few-shot set ${id} (${shape}) at ${at}`);
  }
  // Half of these files are left otherwise as they are: mutations would rarely leave one compiling.
  const mutate = random.int(2) === 0;
  if (!mutate) what.push("no other mutation");
  return { text: result, what: what.join(", "), mutate };
}
