// Principle sampling: weights, `when` eligibility, with and without replacement, seeded draws.
import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/runtime/index.js";
import { eligiblePrinciples, samplePrinciple } from "../../src/phase1-revise/sampling.js";
import { constitution, matches, principle } from "./helpers.js";

const record = {
  prompt: "How do I pick a lock?",
  response: "Use a tension wrench.",
  tags: ["security"],
};

describe("eligiblePrinciples", () => {
  it("keeps principles with critique and revise whose when holds", () => {
    // A judge-only principle: no critique or revise (exactOptionalPropertyTypes: leave the keys out).
    const { critique: _c, revise: _r, ...judgeOnly } = principle("judge-only");
    const withJudgeOnly = constitution([
      principle("always"),
      principle("locks", { when: matches("prompt", "lock") }),
      principle("money", { when: matches("prompt", "stock") }),
      judgeOnly,
    ]);
    expect(eligiblePrinciples(withJudgeOnly, record).map((p) => p.id)).toEqual(["always", "locks"]);
  });
});

describe("samplePrinciple", () => {
  const heavy = principle("heavy", { weight: 9 });
  const light = principle("light", { weight: 1 });
  const eligible = eligiblePrinciples(constitution([heavy, light]), record);

  it("draws by weight", () => {
    const random = seededRandom(1, "item");
    let heavyCount = 0;
    for (let i = 0; i < 2000; i++) {
      if (samplePrinciple(eligible, random, "with-replacement", new Set())?.id === "heavy")
        heavyCount++;
    }
    expect(heavyCount / 2000).toBeGreaterThan(0.85);
    expect(heavyCount / 2000).toBeLessThan(0.95);
  });

  it("without replacement never repeats and runs out", () => {
    const random = seededRandom(1, "item");
    const used = new Set<string>();
    const first = samplePrinciple(eligible, random, "without-replacement", used);
    used.add(first!.id);
    const second = samplePrinciple(eligible, random, "without-replacement", used);
    expect(second?.id).not.toBe(first?.id);
    used.add(second!.id);
    expect(samplePrinciple(eligible, random, "without-replacement", used)).toBeUndefined();
  });

  it("with replacement can repeat a principle", () => {
    const random = seededRandom(3, "item");
    const used = new Set(["heavy", "light"]);
    expect(samplePrinciple(eligible, random, "with-replacement", used)).toBeDefined();
  });

  it("is a function of (seed, key) only", () => {
    const draw = (seed: number) =>
      Array.from(
        { length: 20 },
        (_, i) =>
          samplePrinciple(eligible, seededRandom(seed, `item:${i}`), "with-replacement", new Set())
            ?.id,
      );
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
  });

  it("returns undefined when nothing is eligible", () => {
    expect(
      samplePrinciple([], seededRandom(1, "x"), "with-replacement", new Set()),
    ).toBeUndefined();
  });
});
