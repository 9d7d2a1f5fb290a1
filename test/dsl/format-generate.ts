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

/** A few-shot example's turns: user first, alternating, ending with `last`. */
const exampleTurns = (last: "user" | "assistant") =>
  fc
    .tuple(fc.integer({ min: 0, max: 1 }), fc.array(spelledText, { minLength: 4, maxLength: 4 }))
    .map(([pairs, texts]) => {
      const roles = [...Array.from({ length: pairs }, () => ["user", "assistant"]).flat(), "user"];
      if (last === "assistant") roles.push("assistant");
      return roles.flatMap((role, index) => [role, texts[index % texts.length] ?? '"x"']);
    });

/** A few-shot set: transcripts for Phase 1's stages, or labelled comparisons `on pair`. */
const fewShotSet = (index: number) =>
  fc.oneof(
    fc
      .tuple(
        fc.subarray(["response", "critique", "revision"], { minLength: 1 }),
        fc.array(
          fc.tuple(exampleTurns("assistant"), fc.constantFrom(0, 1, 2), spelledText, spelledText),
          { minLength: 1, maxLength: 2 },
        ),
      )
      .map(([stages, examples]) => [
        "few-shot",
        `shots-${index}`,
        "{",
        "on",
        ...stages.flatMap((stage, i) => (i === 0 ? [stage] : [",", stage])),
        ...examples.flatMap(([turns, tail, first, second]) => [
          "example",
          "{",
          ...turns,
          ...(tail >= 1 ? ["critique-request", first, "critique", second] : []),
          ...(tail >= 2 ? ["revision-request", second, "revision", first] : []),
          "}",
        ]),
        "}",
      ]),
    fc
      .array(
        fc.tuple(
          exampleTurns("user"),
          fc.option(spelledText, { nil: undefined }),
          spelledText,
          spelledText,
          fc.constantFrom('"A"', '"B"'),
        ),
        { minLength: 1, maxLength: 2 },
      )
      .map((examples) => [
        "few-shot",
        `judged-${index}`,
        "{",
        "on",
        "pair",
        ...examples.flatMap(([turns, question, a, b, answer]) => [
          "example",
          "{",
          ...turns,
          ...(question === undefined ? [] : ["question", question]),
          "response-a",
          a,
          "response-b",
          b,
          "answer",
          answer,
          "}",
        ]),
        "}",
      ]),
  );

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
    fc
      .integer({ min: 0, max: 2 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => fewShotSet(i)))),
  )
  .map(([name, about, defaults, principles, rules, rubric, template, fewShots]) => [
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
    ...fewShots.flat(),
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
