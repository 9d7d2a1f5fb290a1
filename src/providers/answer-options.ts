// What a model answered among a fixed set of options ((A)/(B), yes/no): the probability of each
// option from the top log-probabilities of the answer token, or the option a text states. One
// reader for every judge-like question (Phase 2's comparisons, rubric criteria).

import type { TokenLogprob } from "./types.js";

/**
 * A closed set of answers and how each is spelled. Build one with `answerOptions`.
 *
 * @example
 * const yesNo = answerOptions({ yes: ["yes"], no: ["no"] });
 * yesNo.optionOf(" Yes.") // "yes"
 */
export interface AnswerOptions<O extends string> {
  /** The options in a fixed order (the order of `optionMass(...).mass`). */
  readonly options: readonly O[];
  /** The option a single token stands for: only the word, with spaces or punctuation around it. */
  optionOf(token: string): O | undefined;
  /** The option a word of text names (case-insensitive), for text answers. */
  readonly wordPattern: string;
  /** The option a matched word stands for. */
  optionOfWord(word: string): O | undefined;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Characters a tokenizer may glue to the answer word: spaces, brackets, quotes, "*", ":", "." ...
const BEFORE = "[\\s([{\"'*]*";
const AFTER = "[\\s)\\]}\"'*.:,!]*";

/**
 * An option set from the spellings of each option (matched case-insensitively, whole words only:
 * "Apple" is never "A", " yesterday" never "yes").
 */
export function answerOptions<O extends string>(
  spellings: Readonly<Record<O, readonly string[]>>,
): AnswerOptions<O> {
  const options = Object.keys(spellings) as O[];
  const byWord = new Map<string, O>();
  for (const option of options)
    for (const spelling of [option, ...spellings[option]])
      byWord.set(spelling.toLowerCase(), option);
  const wordPattern = [...byWord.keys()]
    .sort((x, y) => y.length - x.length)
    .map(escape)
    .join("|");
  const token = new RegExp(`^${BEFORE}(${wordPattern})${AFTER}$`, "i");
  const optionOfWord = (word: string): O | undefined => byWord.get(word.toLowerCase());
  return {
    options,
    wordPattern,
    optionOfWord,
    optionOf(text) {
      const match = token.exec(text);
      return match === null ? undefined : optionOfWord(match[1] as string);
    },
  };
}

/** The two options of a multiple-choice comparison. Lowercase counts: after "(", "a" is the letter. */
export const LETTER_OPTIONS: AnswerOptions<"A" | "B"> = answerOptions({ A: [], B: [] });

/** A yes/no question (a rubric criterion: P(yes) that it holds). */
export const YES_NO_OPTIONS: AnswerOptions<"yes" | "no"> = answerOptions({ yes: [], no: [] });

/** What the top log-probabilities say about the options, at the answer token. */
export interface OptionMass<O extends string> {
  /** Summed probability of every listed variant of each option (" A", "(A", "a", ...). */
  readonly mass: Readonly<Record<O, number>>;
  /** Which token position is the answer (0 = first generated token). */
  readonly position: number;
  /**
   * Options absent from the top list. Each is counted at its upper bound, the smallest listed
   * probability (`bound`): a judge sure of B still leaves A some mass it did not show.
   */
  readonly missing: readonly O[];
  readonly bound?: number;
}

/** Why the log-probabilities could not be read. */
export type OptionMassProblem =
  /** No generated token within the first positions is an option: the answer names none. */
  | { readonly problem: "no-option" }
  /** The server returned the tokens but no alternatives (it ignored `top_logprobs`). */
  | { readonly problem: "no-top-logprobs" };

/** Tokens that carry no answer (a lone "(" or space): the answer may come at the next position. */
const isFiller = (token: string): boolean => /^[\s([{"'*:]*$/.test(token);

/**
 * Reads each option's probability at the position whose *generated* token is an option: leading
 * filler tokens ("(", " ", ":") are skipped, up to `maxPositions`; any other token means the
 * answer names no option. At that position, every listed variant of an option is summed (each
 * distinct token once); an option not listed is floored at the smallest listed probability.
 *
 * @example
 * // position 0: "(" 0.9, "A" 0.06, "B" 0.01; position 1: "B" 0.8, ")" 0.1
 * optionMass(logprobs, LETTER_OPTIONS) // { mass: { A: 0.1, B: 0.8 }, position: 1, missing: ["A"], bound: 0.1 }
 */
export function optionMass<O extends string>(
  logprobs: readonly TokenLogprob[],
  options: AnswerOptions<O>,
  maxPositions = 3,
): OptionMass<O> | OptionMassProblem {
  for (let position = 0; position < Math.min(maxPositions, logprobs.length); position++) {
    const entry = logprobs[position] as TokenLogprob;
    const chosen = options.optionOf(entry.token);
    if (chosen === undefined) {
      if (isFiller(entry.token)) continue;
      return { problem: "no-option" };
    }
    if (entry.top.length === 0) return { problem: "no-top-logprobs" };
    const mass = Object.fromEntries(options.options.map((option) => [option, 0])) as Record<
      O,
      number
    >;
    const listed = new Set<O>();
    let smallest = Number.POSITIVE_INFINITY;
    const seen = new Set<string>();
    // The generated token belongs at this position even when an API leaves it out of the list.
    for (const { token, logprob } of [
      ...entry.top,
      { token: entry.token, logprob: entry.logprob },
    ]) {
      // Some APIs list a token twice (the chosen one and as an alternative): count it once.
      if (seen.has(token)) continue;
      seen.add(token);
      const probability = Math.exp(logprob);
      smallest = Math.min(smallest, probability);
      const option = options.optionOf(token);
      if (option === undefined) continue;
      mass[option] += probability;
      listed.add(option);
    }
    const missing = options.options.filter((option) => !listed.has(option));
    for (const option of missing) mass[option] = smallest;
    return { mass, position, missing, ...(missing.length === 0 ? {} : { bound: smallest }) };
  }
  return { problem: logprobs.length === 0 ? "no-top-logprobs" : "no-option" };
}

/** One option's share of the options' total mass: P(A) / (P(A) + P(B)), P(yes) / (P(yes) + P(no)). */
export function optionShare<O extends string>(reading: OptionMass<O>, option: O): number {
  const values = Object.values(reading.mass) as number[];
  const total = values.reduce((sum, value) => sum + value, 0);
  return total === 0 ? 0 : reading.mass[option] / total;
}

/**
 * The option a text answer names, for sampled and chain-of-thought answers alike. In order:
 * the last line that states "the answer is X" (several different options stated on it: none);
 * else a text that starts with an option ("(B)", "B) because…", "Yes, it does"); else a last line
 * that is only an option. Undefined when the text names none: never guessed.
 *
 * @example
 * parseOptionAnswer("(B)", LETTER_OPTIONS) // "B"
 * parseOptionAnswer("A looks fine…\nThe answer is (B).", LETTER_OPTIONS) // "B"
 */
export function parseOptionAnswer<O extends string>(
  text: string,
  options: AnswerOptions<O>,
): O | undefined {
  const stated = new RegExp(
    `answer(?:\\s+is)?\\s*:?\\s*${BEFORE}(${options.wordPattern})(?![\\w])`,
    "gi",
  );
  const lines = text.split("\n");
  for (let index = lines.length - 1; index >= 0; index--) {
    const found = new Set<O>();
    for (const match of (lines[index] as string).matchAll(stated)) {
      const option = options.optionOfWord(match[1] as string);
      if (option !== undefined) found.add(option);
    }
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  const leading = new RegExp(`^${BEFORE}(${options.wordPattern})(?:[\\s)\\]}"'*.:,!]|$)`, "i");
  const start = leading.exec(text.trimStart());
  if (start !== null) return options.optionOfWord(start[1] as string);
  const last = lines.findLast((line) => line.trim() !== "");
  return last === undefined ? undefined : options.optionOf(last);
}
