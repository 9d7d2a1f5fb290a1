// Random but valid constitutions in random layouts (spacing, line breaks, comments, string
// spellings), for the formatter's property tests.
import fc from "fast-check";
import { blockString } from "../../src/dsl/syntax/strings.js";

/** Whitespace and comments that may sit between any two tokens. */
const SEPARATORS = [
  " ",
  "  ",
  "\t",
  "\n",
  "\n\n",
  "\n\n\n",
  "\n    ",
  " # trailing note\n",
  "\n# own line\n",
  '\n  # with "quotes" and /slashes/ {braces}\n\n',
  "#\n",
];

const textChar = fc.constantFrom(
  ..."abcxyz ABC,.?!'".split(""),
  '"',
  "\\",
  "\n",
  "\n",
  "\t",
  "é",
  "{",
  "}",
  "#",
  "/",
  "*",
);
/** A text value a check accepts (not blank). */
const textValue = fc
  .array(textChar, { minLength: 1, maxLength: 40 })
  .map((chars) => `w${chars.join("")}`);

/** How a text value is spelled: JSON-quoted, with \u escapes, or as a `"""` block. */
const spelledText = fc
  .tuple(textValue, fc.constantFrom("json", "unicode", "block"), fc.constantFrom("", "  ", "\t"))
  .map(([value, style, indent]) => {
    if (style === "block") {
      const block = blockString(value, indent);
      if (block !== undefined) return block;
    }
    if (style === "unicode") {
      return `"${[...value]
        .map((char) =>
          /[A-Za-z ]/.test(char) ? char : `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
        )
        .join("")}"`;
    }
    return JSON.stringify(value);
  });

/** Expressions valid in `when` and at the `response` stage, as token lists. */
const expression: fc.Arbitrary<string[]> = fc.letrec<{ expr: string[] }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom<string[]>(
      ["words", "(", "response", ")", ">=", "3"],
      ["chars", "(", "prompt", ")", "<", "400"],
      ["lines", "(", "response", ")", "<=", "20"],
      ["response", "contains", '"sorry"'],
      ["prompt", "startswith", '"How"'],
      ["response", "endswith", '"."'],
      ["response", "matches", "/\\b(always|never)\\b/i"],
      ["response", "matches", "/https?:\\/\\/[a-z]+/"],
      ['"unsafe"', "in", "tags"],
      ["response", "==", "prompt"],
    ),
    fc
      .tuple(tie("expr"), fc.constantFrom("and", "or"), tie("expr"))
      .map(([left, op, right]) => [...left, op, ...right]),
    tie("expr").map((inner) => ["not", "(", ...inner, ")"]),
    tie("expr").map((inner) => ["(", ...inner, ")"]),
  ),
})).expr;

const principle = (index: number) =>
  fc
    .record({
      weight: fc.option(fc.constantFrom("1", "2", "0.5", "3"), { nil: undefined }),
      tags: fc.option(fc.subarray(["harm", "tone", "honesty", "style"], { minLength: 1 }), {
        nil: undefined,
      }),
      critique: spelledText,
      revise: spelledText,
      compare: fc.array(spelledText, { maxLength: 2 }),
      when: fc.option(expression, { nil: undefined }),
      example: fc.option(
        fc.record({
          prompt: spelledText,
          response: spelledText,
          critique: fc.option(spelledText, { nil: undefined }),
          revision: fc.option(spelledText, { nil: undefined }),
        }),
        { nil: undefined },
      ),
    })
    .map((p) => [
      "principle",
      `p${index}.generated-${index}`,
      ...(p.weight !== undefined ? ["weight", p.weight] : []),
      ...(p.tags !== undefined
        ? ["tags", ...p.tags.flatMap((tag, i) => (i === 0 ? [tag] : [",", tag]))]
        : []),
      "{",
      "critique",
      p.critique,
      ...(p.when !== undefined ? ["when", ...p.when] : []),
      "revise",
      p.revise,
      ...p.compare.flatMap((question) => ["compare", question]),
      ...(p.example !== undefined
        ? [
            "example",
            "{",
            "prompt",
            p.example.prompt,
            "response",
            p.example.response,
            ...(p.example.critique !== undefined ? ["critique", p.example.critique] : []),
            ...(p.example.revision !== undefined ? ["revision", p.example.revision] : []),
            "}",
          ]
        : []),
      "}",
    ]);

const rule = (index: number) =>
  fc
    .array(fc.tuple(fc.constantFrom("require", "flag"), expression), {
      minLength: 1,
      maxLength: 2,
    })
    .map((checks) => [
      "rule",
      `rule-${index}`,
      "{",
      "on",
      "response",
      ...checks.flatMap(([kind, expr]) => [kind, ...expr]),
      "}",
    ]);

/** A constitution as a list of tokens; spacing is chosen separately. */
const constitutionTokens = fc
  .tuple(
    spelledText,
    fc.option(spelledText, { nil: undefined }),
    fc.boolean(),
    fc
      .integer({ min: 1, max: 3 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => principle(i)))),
    fc
      .integer({ min: 0, max: 2 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => rule(i)))),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([name, about, defaults, principles, rules, rubric, template]) => [
    "charter",
    name,
    "version",
    '"1.0.0"',
    ...(about !== undefined ? ["about", about] : []),
    ...(defaults
      ? ["defaults", "{", "revisions", "2", "both-orders", "true", "seed", "7", "}"]
      : []),
    ...principles.flat(),
    ...rules.flat(),
    ...(rubric
      ? [
          "rubric",
          "rb",
          "{",
          "essential",
          '"right"',
          "weight",
          "5",
          "pitfall",
          '"made up"',
          "weight",
          "-2",
          "}",
        ]
      : []),
    ...(template
      ? [
          "template",
          "critique-request",
          '"""\n  {{conversation}}\n\n  Critique: {{principle.critique}}\n"""',
        ]
      : []),
  ]);

/** A constitution's source text: its tokens joined by random whitespace and comments. */
export const generatedConstitution: fc.Arbitrary<string> = constitutionTokens.chain((tokens) =>
  fc
    .array(fc.constantFrom(...SEPARATORS), {
      minLength: tokens.length,
      maxLength: tokens.length,
    })
    .map((separators) =>
      tokens.map((token, index) => `${token}${separators[index] ?? "\n"}`).join(""),
    ),
);
