import { describe, expect, it } from "vitest";
import {
  answerOptions,
  LETTER_OPTIONS,
  optionMass,
  optionShare,
  parseOptionAnswer,
  YES_NO_OPTIONS,
  type OptionMass,
  type TokenLogprob,
} from "../../src/providers/index.js";

/** One position: the generated token (the first listed) and its top list, as probabilities. */
function position(entries: Record<string, number>, generated?: string): TokenLogprob {
  const top = Object.entries(entries).map(([token, probability]) => ({
    token,
    logprob: Math.log(probability),
  }));
  const chosen = generated ?? top[0]?.token ?? "";
  return { token: chosen, logprob: Math.log(entries[chosen] ?? 0.5), top };
}

function read(logprobs: TokenLogprob[]): OptionMass<"A" | "B"> {
  const reading = optionMass(logprobs, LETTER_OPTIONS);
  if ("problem" in reading) throw new Error(reading.problem);
  return reading;
}

describe("answerOptions.optionOf", () => {
  it("reads the letter through spaces, parentheses and case", () => {
    for (const token of ["A", " A", "(A", "A)", " (A)", "a", " (a", "A.", "**A**"])
      expect(LETTER_OPTIONS.optionOf(token), token).toBe("A");
    expect(LETTER_OPTIONS.optionOf(" B)")).toBe("B");
  });

  it("refuses tokens that are words, not options", () => {
    for (const token of ["Apple", " ab", "AB", "C", "(", " ", "The"])
      expect(LETTER_OPTIONS.optionOf(token), token).toBeUndefined();
    expect(YES_NO_OPTIONS.optionOf(" yesterday")).toBeUndefined();
    expect(YES_NO_OPTIONS.optionOf(" Yes.")).toBe("yes");
    expect(answerOptions({ pass: ["ok"], fail: [] }).optionOf(" OK")).toBe("pass");
  });
});

describe("optionMass", () => {
  it("sums every variant of each letter at the answer position", () => {
    const reading = read([position({ A: 0.5, " A": 0.1, "(B": 0.2, " b": 0.1, C: 0.1 })]);
    expect(reading.mass.A).toBeCloseTo(0.6, 9);
    expect(reading.mass.B).toBeCloseTo(0.3, 9);
    expect(optionShare(reading, "A")).toBeCloseTo(2 / 3, 9);
    expect(reading.missing).toEqual([]);
  });

  it("reads the position whose generated token is the letter, not the first that lists one", () => {
    // Position 0 generated "(" (A and B are only alternatives there); the answer is B at 1.
    const reading = read([
      position({ "(": 0.9, A: 0.06, B: 0.01 }),
      position({ B: 0.8, C: 0.05, ")": 0.01 }),
    ]);
    expect(reading.position).toBe(1);
    expect(reading.missing).toEqual(["A"]);
    expect(optionShare(reading, "A")).toBeCloseTo(0.01 / 0.81, 9);
  });

  it("floors a letter missing from the top list at the smallest listed probability", () => {
    const reading = read([position({ B: 0.7, " B": 0.2, I: 0.05, The: 0.01 })]);
    expect(reading).toMatchObject({ missing: ["A"] });
    expect(reading.bound).toBeCloseTo(0.01, 9);
    expect(optionShare(reading, "A")).toBeCloseTo(0.01 / 0.91, 9);
  });

  it("says why it cannot read: no option generated, or no alternatives returned", () => {
    expect(optionMass([position({ I: 0.6, A: 0.3 })], LETTER_OPTIONS)).toEqual({
      problem: "no-option",
    });
    expect(optionMass([{ token: "A", logprob: -0.1, top: [] }], LETTER_OPTIONS)).toEqual({
      problem: "no-top-logprobs",
    });
    expect(optionMass([], LETTER_OPTIONS)).toEqual({ problem: "no-top-logprobs" });
  });

  it("counts a token listed twice only once, and the generated token even when unlisted", () => {
    const [entry] = [position({ A: 0.6, B: 0.3 })];
    const doubled = { ...entry!, top: [...entry!.top, { token: "A", logprob: Math.log(0.6) }] };
    expect(optionShare(read([doubled]), "A")).toBeCloseTo(2 / 3, 9);
    const unlisted = { token: " B", logprob: Math.log(0.5), top: entry!.top };
    expect(read([unlisted]).mass.B).toBeCloseTo(0.8, 9);
  });

  it("reads P(yes) of a yes/no question the same way", () => {
    const reading = optionMass(
      [position({ " Yes": 0.6, yes: 0.1, " No": 0.2, I: 0.1 })],
      YES_NO_OPTIONS,
    );
    if ("problem" in reading) throw new Error(reading.problem);
    expect(optionShare(reading, "yes")).toBeCloseTo(0.7 / 0.9, 9);
  });
});

describe("parseOptionAnswer", () => {
  it("reads a bare option, a leading option and a stated answer", () => {
    expect(parseOptionAnswer("(B)", LETTER_OPTIONS)).toBe("B");
    expect(parseOptionAnswer("A)", LETTER_OPTIONS)).toBe("A");
    expect(parseOptionAnswer(" b) because it is kind", LETTER_OPTIONS)).toBe("B");
    expect(parseOptionAnswer("The answer is (B).", LETTER_OPTIONS)).toBe("B");
    expect(parseOptionAnswer("Yes, it does.", YES_NO_OPTIONS)).toBe("yes");
  });

  it("takes the last stated answer of a chain of thought, or its last line alone", () => {
    const text =
      "First, A seems fine. I thought the answer is (A), but B is kinder.\nThe answer is (B)";
    expect(parseOptionAnswer(text, LETTER_OPTIONS)).toBe("B");
    expect(parseOptionAnswer("Both are polite, but B is clearer.\n(B)", LETTER_OPTIONS)).toBe("B");
  });

  it("never guesses: no option, or two stated on the last line, is undefined", () => {
    expect(parseOptionAnswer("I cannot decide.", LETTER_OPTIONS)).toBeUndefined();
    expect(parseOptionAnswer("answer is (A) or answer is (B)", LETTER_OPTIONS)).toBeUndefined();
    expect(parseOptionAnswer("Both are fine.", LETTER_OPTIONS)).toBeUndefined();
  });
});
