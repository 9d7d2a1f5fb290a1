import { describe, expect, it } from "vitest";
import {
  letterMass,
  parseAnswer,
  probabilityOfA,
  tokenLetter,
} from "../../src/phase2-preference/answer-parsing.js";
import { topOf } from "./helpers.js";

describe("tokenLetter", () => {
  it("reads the letter through spaces, parentheses and case", () => {
    for (const token of ["A", " A", "(A", "A)", " (A)", "a", " (a", "A.", "**A**"])
      expect(tokenLetter(token), token).toBe("A");
    expect(tokenLetter(" B)")).toBe("B");
  });

  it("refuses tokens that are words, not letters", () => {
    for (const token of ["Apple", " ab", "AB", "C", "(", " ", "The"])
      expect(tokenLetter(token), token).toBeUndefined();
  });
});

describe("letterMass", () => {
  it("sums every variant of each letter", () => {
    const mass = letterMass(topOf({ A: 0.5, " A": 0.1, "(B": 0.2, " b": 0.1, C: 0.1 }));
    expect(mass?.a).toBeCloseTo(0.6, 9);
    expect(mass?.b).toBeCloseTo(0.3, 9);
    expect(probabilityOfA(mass!)).toBeCloseTo(2 / 3, 9);
    expect(mass?.missing).toBeUndefined();
  });

  it("counts a letter missing from the top list as 0 and reports its upper bound", () => {
    const mass = letterMass(topOf({ B: 0.7, " B": 0.2, I: 0.05, The: 0.01 }));
    expect(mass).toMatchObject({ a: 0, missing: "A" });
    expect(mass?.bound).toBeCloseTo(0.01, 9);
    expect(probabilityOfA(mass!)).toBe(0);
  });

  it("finds nothing when neither letter is listed", () => {
    expect(letterMass(topOf({ I: 0.6, The: 0.3, Sorry: 0.1 }))).toBeUndefined();
    expect(letterMass([])).toBeUndefined();
  });

  it("looks past a leading '(' token to the letter", () => {
    const logprobs = [...topOf({ "(": 0.9, I: 0.1 }), ...topOf({ A: 0.25, B: 0.75 })];
    const mass = letterMass(logprobs);
    expect(mass?.position).toBe(1);
    expect(probabilityOfA(mass!)).toBeCloseTo(0.25, 9);
  });

  it("counts a token listed twice only once", () => {
    const [entry] = topOf({ A: 0.6, B: 0.3 });
    const doubled = [{ ...entry!, top: [...entry!.top, { token: "A", logprob: Math.log(0.6) }] }];
    expect(probabilityOfA(letterMass(doubled)!)).toBeCloseTo(2 / 3, 9);
  });
});

describe("parseAnswer", () => {
  it("reads a direct answer that continues 'The answer is: ('", () => {
    expect(parseAnswer("A)", "direct")).toBe("A");
    expect(parseAnswer(" b) because it is kind", "direct")).toBe("B");
    expect(parseAnswer("The answer is (B).", "direct")).toBe("B");
  });

  it("never guesses: no letter, or both stated, is undefined", () => {
    expect(parseAnswer("I cannot decide.", "direct")).toBeUndefined();
    expect(parseAnswer("answer is (A) or answer is (B)", "direct")).toBeUndefined();
    expect(parseAnswer("Both are fine.", "cot")).toBeUndefined();
  });

  it("takes the last stated answer of a chain of thought", () => {
    const text =
      "First, A seems fine. I thought the answer is (A), but B is kinder.\nThe answer is (B)";
    expect(parseAnswer(text, "cot")).toBe("B");
  });
});
