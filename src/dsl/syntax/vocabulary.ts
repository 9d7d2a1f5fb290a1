// The language's vocabulary and limits, without chevrotain: the one list of keywords both lexers
// read (lexer.ts makes chevrotain token types of it, clean-scanner.ts a lookup table), and the
// nesting limits both parsers keep, and how a list of expected things is written in messages.

/** At most this many alternatives are named; past it, the message says "or another ...". */
const MAX_NAMED = 6;

/** "`{` or `weight`", "`a`, `b` or `c`", capped at MAX_NAMED names. */
export function joinExpected(names: readonly string[]): string {
  const shown = names.slice(0, MAX_NAMED);
  if (names.length > MAX_NAMED) return `${shown.join(", ")} or another`;
  if (shown.length <= 1) return shown[0] ?? "something else";
  return `${shown.slice(0, -1).join(", ")} or ${shown[shown.length - 1] as string}`;
}

/** Deepest nesting of `{ ( [` and chained `not`s the parser is asked to follow. */
export const MAX_NESTING = 64;

/** Deepest expression tree later stages are asked to walk. */
export const MAX_EXPRESSION_DEPTH = 256;

/**
 * `soft`: a keyword where a statement starts, an ordinary name where an id is expected.
 * `field`: soft, and also a field of the expression language. `hard`: an operator, never a name.
 */
export type KeywordKind = "soft" | "field" | "hard";

/** Every keyword by spelling, in the order the grammar reads them. */
export const KEYWORD_KINDS = {
  charter: "soft",
  version: "soft",
  about: "soft",
  import: "soft",
  only: "soft",
  as: "soft",
  defaults: "soft",
  principle: "soft",
  override: "soft",
  drop: "soft",
  weight: "soft",
  tags: "field",
  critique: "field",
  revise: "soft",
  compare: "soft",
  when: "soft",
  example: "soft",
  prompt: "field",
  response: "field",
  revision: "field",
  rule: "soft",
  on: "soft",
  require: "soft",
  prefer: "soft",
  flag: "soft",
  rubric: "soft",
  essential: "soft",
  important: "soft",
  optional: "soft",
  pitfall: "soft",
  check: "soft",
  template: "soft",
  "few-shot": "soft",
  user: "soft",
  assistant: "soft",
  "critique-request": "soft",
  "revision-request": "soft",
  question: "soft",
  "response-a": "soft",
  "response-b": "soft",
  answer: "soft",
  matches: "hard",
  contains: "hard",
  startswith: "hard",
  endswith: "hard",
  in: "hard",
  and: "hard",
  or: "hard",
  not: "hard",
  true: "hard",
  false: "hard",
} as const satisfies Record<string, KeywordKind>;

export type Keyword = keyof typeof KEYWORD_KINDS;
