// `inspect` on datasets planted with known problems: exact counts and the ids involved.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectDataset } from "../../src/quality/index.js";
import { plantedSft, sftRow, tempDir, writeJsonl } from "./planted.js";

describe("inspect on a planted SFT dataset", () => {
  it("counts exact and near duplicates and names their clusters", async () => {
    const report = await inspectDataset(plantedSft(tempDir()));
    expect(report.rows).toBe(30);
    expect(report.source.format).toBe("sft-trl");
    const { exact, near } = report.duplicates;
    expect(exact.duplicateRows).toBe(2);
    expect(exact.clusters).toBe(2);
    expect(exact.examples.map((cluster) => cluster.ids)).toEqual([
      ["u01", "x-u01"],
      ["u02", "x-u02"],
    ]);
    expect(near?.duplicateRows).toBe(3);
    expect(near?.examples.map((cluster) => cluster.ids)).toEqual([
      ["u01", "x-u01"],
      ["u02", "x-u02"],
      ["u03", "n-u03"],
    ]);
    expect(near?.threshold).toBeCloseTo(0.719, 3);
  });

  it("counts refusals, hedges, identity and cutoff phrases and empty replies", async () => {
    const report = await inspectDataset(plantedSft(tempDir()));
    const bad = report.badTargets;
    expect(bad.refusal.examples.map((example) => example.id)).toEqual(["r1", "r2"]);
    expect(bad.refusal.count).toBe(2);
    expect(bad.hedge.examples).toEqual([{ id: "h1", phrase: "It's important to note" }]);
    expect(bad.identity.examples.map((example) => example.id)).toEqual(["i1"]);
    expect(bad.cutoff.examples.map((example) => example.id)).toEqual(["c1"]);
    expect(report.shape.emptyReplies).toBe(1);
    expect(bad.truncated.source).toBe("unavailable");
  });

  it("measures distinct-n, vocabulary, top bigram and opening exactly on a small set", async () => {
    const file = writeJsonl(join(tempDir(), "tiny.jsonl"), [
      sftRow("a", "p1", "the cat sat on the mat"),
      sftRow("b", "p2", "the cat sat on the hat"),
      sftRow("c", "p3", "a dog ran"),
    ]);
    const set = (await inspectDataset(file)).sets[0]!;
    // words: 6 + 6 + 3 = 15; distinct: the cat sat on mat hat a dog ran = 9
    expect(set.diversity.distinct1).toBeCloseTo(9 / 15, 6);
    // bigrams: 5 + 5 + 2 = 12; distinct: the-cat cat-sat sat-on on-the the-mat the-hat a-dog dog-ran = 8
    expect(set.diversity.distinct2).toBeCloseTo(8 / 12, 6);
    expect(set.diversity.vocabularyPerReply).toBeCloseTo((5 + 5 + 3) / 3, 6);
    expect(set.diversity.topBigram?.share).toBeCloseTo(2 / 12, 6);
    expect(set.diversity.template).toEqual({
      text: "the cat sat on the",
      share: 0.666667,
      count: 2,
    });
    expect(set.words).toMatchObject({ min: 3, p50: 6, max: 6 });
  });
});
