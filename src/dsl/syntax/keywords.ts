// Keywords by the place they may stand, and the diagnostic for a misspelt one: shared by the AST
// builder (the grammar's fallbacks) and the syntax diagnostics (chevrotain's expectations).

import { didYouMean } from "../../did-you-mean.js";
import type { SourceRange } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { joinExpected } from "./vocabulary.js";

/** Keywords that may stand where a misspelt one was found, per place. */
export const KEYWORDS_BY_PLACE = {
  declaration: [
    "charter",
    "about",
    "import",
    "defaults",
    "principle",
    "override",
    "drop",
    "rule",
    "rubric",
    "template",
    "few-shot",
  ],
  principle: ["critique", "revise", "compare", "when", "example"],
  principleHeader: ["weight", "tags"],
  example: ["prompt", "response", "critique", "revision"],
  fewShot: ["on", "example"],
  fewShotExample: [
    "user",
    "assistant",
    "critique-request",
    "critique",
    "revision-request",
    "revision",
    "question",
    "response-a",
    "response-b",
    "answer",
  ],
  rule: ["on", "require", "prefer", "flag"],
  rubric: ["essential", "important", "optional", "pitfall", "when"],
} as const;

export type KeywordPlace = keyof typeof KEYWORDS_BY_PLACE;

const PLACE_NAMES: Record<KeywordPlace, string> = {
  declaration: "at the top level",
  principle: "in a principle",
  principleHeader: "after a principle id",
  example: "in an example",
  fewShot: "in a few-shot set",
  fewShotExample: "in a few-shot example",
  rule: "in a rule",
  rubric: "in a rubric",
};

/** The diagnostic for a word found where one of the place's keywords belongs. */
export function unknownKeyword(
  word: string,
  place: KeywordPlace,
  range: SourceRange,
  file: string,
): Diagnostic {
  const candidates = KEYWORDS_BY_PLACE[place];
  const suggestion = didYouMean(word, candidates);
  const expected = joinExpected(candidates.map((keyword) => `\`${keyword}\``));
  return diagnostic(
    "unknown-keyword",
    `unknown keyword \`${word}\` ${PLACE_NAMES[place]}`,
    { file, ...range },
    suggestion === undefined ? { expected } : { expected, suggestion },
  );
}
