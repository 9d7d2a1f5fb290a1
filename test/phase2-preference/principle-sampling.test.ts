import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/runtime/index.js";
import {
  applicablePrinciples,
  samplePrinciples,
} from "../../src/phase2-preference/principle-sampling.js";
import { matchesResponse, principle } from "./helpers.js";

describe("applicablePrinciples", () => {
  it("keeps principles with a compare question whose `when` holds for either reply", () => {
    const principles = [
      principle("always"),
      principle("no-compare", { compare: [] }),
      principle("certainty", { when: matchesResponse("definitely") }),
      principle("links", { when: matchesResponse("http") }),
    ];
    const pair = { prompt: "p", first: "maybe", second: "definitely yes" };
    expect(applicablePrinciples(principles, pair).map((p) => p.id)).toEqual([
      "always",
      "certainty",
    ]);
  });
});

describe("samplePrinciples", () => {
  const principles = ["a", "b", "c", "d"].map((id) => principle(id));

  it("draws distinct principles, the same ones for the same seed and key", () => {
    const draw = (key: string) =>
      samplePrinciples(principles, 3, seededRandom(1, key)).map((pick) => pick.principle.id);
    const first = draw("pair-1");
    expect(new Set(first).size).toBe(3);
    expect(draw("pair-1")).toEqual(first);
    const many = new Set(Array.from({ length: 20 }, (_, i) => draw(`pair-${i}`).join()));
    expect(many.size).toBeGreaterThan(1);
  });

  it("returns every applicable principle when fewer than K apply", () => {
    expect(samplePrinciples(principles.slice(0, 2), 5, seededRandom(1, "k"))).toHaveLength(2);
  });

  it("follows the weights", () => {
    const weighted = [principle("heavy", { weight: 9 }), principle("light", { weight: 1 })];
    let heavy = 0;
    for (let i = 0; i < 2000; i++)
      if (samplePrinciples(weighted, 1, seededRandom(3, `p${i}`))[0]?.principle.id === "heavy")
        heavy++;
    expect(heavy / 2000).toBeGreaterThan(0.85);
    expect(heavy / 2000).toBeLessThan(0.95);
  });

  it("picks one of several compare questions, seeded", () => {
    const several = [principle("multi", { compare: ["q1", "q2", "q3"] })];
    const questions = new Set(
      Array.from(
        { length: 30 },
        (_, i) => samplePrinciples(several, 1, seededRandom(1, `${i}`))[0]?.question,
      ),
    );
    expect(questions).toEqual(new Set(["q1", "q2", "q3"]));
  });
});
