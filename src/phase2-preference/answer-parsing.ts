// Reading the judge's choice: the probability mass of "A" and "B" among the top log-probabilities
// of the first answer token(s), and the letter in a sampled or chain-of-thought answer.

import type { TokenLogprob } from "../providers/index.js";

export type Letter = "A" | "B";

/** What the top log-probabilities say about the choice. */
export interface LetterMass {
  /** Summed probability of every listed variant of "A" (" A", "(A", "A)", "a", ...). */
  readonly a: number;
  readonly b: number;
  /** Which token position held the letters (0 = first generated token). */
  readonly position: number;
  /**
   * A letter absent from the top list is counted as 0; its true mass is at most the smallest
   * listed probability. `missing` names it and `bound` is that upper bound.
   */
  readonly missing?: Letter;
  readonly bound?: number;
}

// Surrounding characters a tokenizer may glue to the letter: spaces, brackets, quotes, ":" and ".".
const LETTER_TOKEN = /^[\s([{"'*]*([AaBb])[\s)\]}"'*.:,]*$/;

/**
 * The letter a single token stands for, if it is only a letter with punctuation around it.
 * Lowercase counts too: after "The answer is: (" a lowercase "a" is the letter, not the article,
 * and a token with further letters ("Apple", " ab") is never read as a choice.
 */
export function tokenLetter(token: string): Letter | undefined {
  const match = LETTER_TOKEN.exec(token);
  if (match === null) return undefined;
  return (match[1] as string).toUpperCase() as Letter;
}

/** Tokens that carry no choice (a lone "(" or space): the letter may come at the next position. */
function isFiller(token: string): boolean {
  return /^[\s([{"'*:]*$/.test(token);
}

/**
 * Sums the probability of each letter's variants at the first position that lists either letter.
 * Positions whose generated token is only filler ("(", " ") are skipped, up to `maxPositions`.
 * Returns undefined when neither letter is listed (the answer cannot be read: retry, then fail).
 */
export function letterMass(
  logprobs: readonly TokenLogprob[],
  maxPositions = 3,
): LetterMass | undefined {
  for (let position = 0; position < Math.min(maxPositions, logprobs.length); position++) {
    const entry = logprobs[position] as TokenLogprob;
    const top = entry.top.length > 0 ? entry.top : [{ token: entry.token, logprob: entry.logprob }];
    let a = 0;
    let b = 0;
    let smallest = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    for (const { token, logprob } of top) {
      // Some APIs list a token twice (the chosen one and as an alternative): count it once.
      if (seen.has(token)) continue;
      seen.add(token);
      const probability = Math.exp(logprob);
      smallest = Math.min(smallest, probability);
      const letter = tokenLetter(token);
      if (letter === "A") a += probability;
      else if (letter === "B") b += probability;
    }
    if (a > 0 || b > 0) {
      if (a > 0 && b > 0) return { a, b, position };
      return { a, b, position, missing: a > 0 ? "B" : "A", bound: smallest };
    }
    if (!isFiller(entry.token)) return undefined;
  }
  return undefined;
}

/** P(A) / (P(A) + P(B)). */
export function probabilityOfA(mass: LetterMass): number {
  return mass.a / (mass.a + mass.b);
}

// "The answer is (A)", "answer is: B", "Answer: (b)".
const STATED_ANSWER = /answer(?:\s+is)?\s*:?\s*\(?\s*([AaBb])\b\s*\)?/g;
// A reply that starts with the letter, as it does after the prompt's "The answer is: (".
const LEADING_LETTER = /^[\s("'*]*([AaBb])(?:[\s)"'*.:,]|$)/;

/**
 * The letter of a sampled answer. `direct`: the reply continues "The answer is: (", so it starts
 * with the letter (or states "the answer is B"). `cot`: the last "the answer is (X)" in the
 * reasoning. Undefined when the text names no letter, or states both: never guessed.
 */
export function parseAnswer(text: string, mode: "direct" | "cot"): Letter | undefined {
  const stated = [...text.matchAll(STATED_ANSWER)].map(
    (match) => (match[1] as string).toUpperCase() as Letter,
  );
  if (mode === "direct") {
    const leading = LEADING_LETTER.exec(text);
    if (leading !== null) return (leading[1] as string).toUpperCase() as Letter;
    const distinct = new Set(stated);
    return distinct.size === 1 ? stated[0] : undefined;
  }
  return stated.at(-1);
}
