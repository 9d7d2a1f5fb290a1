// Preference metrics on planted pairs: length bias, identical and near-identical pairs, the
// probability histogram, position consistency and per-principle agreement; format detection.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectDataset } from "../../src/quality/index.js";
import { lcg, randomText, tempDir, writeJsonl } from "./planted.js";

function verdict(principle: string, probabilityFirst: number, consistent: boolean) {
  return { principle, probability_first: probabilityFirst, consistent };
}

describe("inspect on preference data", () => {
  it("measures length bias, identical pairs, probabilities and principle agreement", async () => {
    const next = lcg(21);
    const shared = randomText(next, 80);
    const rows = [
      // chosen longer, judge sided with the first (the chosen), both principles agree
      {
        id: "p1",
        prompt: "q1",
        chosen: "a long and careful answer with many words",
        rejected: "short",
        probability: 0.95,
        decided_by: "judge",
        verdicts: [verdict("a", 0.9, true), verdict("b", 0.8, true)],
      },
      // chosen shorter; principle b disagrees with the label; one order disagreement
      {
        id: "p2",
        prompt: "q2",
        chosen: "brief",
        rejected: "a rambling reply that goes on and on",
        probability: 0.62,
        decided_by: "judge",
        verdicts: [verdict("a", 0.2, true), verdict("b", 0.56, false)],
      },
      {
        id: "same",
        prompt: "q3",
        chosen: "Identical reply.",
        rejected: "identical   reply.",
        probability: 0.5,
      },
      {
        id: "nearly",
        prompt: "q4",
        chosen: `${shared} one`,
        rejected: `${shared} two`,
        probability: 1,
        decided_by: "rule",
        verdicts: [],
      },
    ];
    const report = await inspectDataset(writeJsonl(join(tempDir(), "prefs.jsonl"), rows));
    expect(report.source.format).toBe("preference-trl");
    expect(report.sets.map((set) => set.name)).toEqual(["chosen", "rejected"]);
    const preference = report.preference!;
    expect(preference.pairs).toBe(4);
    expect(preference.chosenLongerRate).toBe(0.25);
    expect(preference.identicalPairs).toEqual({ count: 1, examples: ["same"] });
    expect(preference.nearIdenticalPairs.count).toBe(1);
    expect(preference.nearIdenticalPairs.examples).toEqual(["nearly"]);
    expect(preference.probabilityHistogram).toEqual([0, 0, 0, 0, 0, 1, 1, 0, 0, 2]);
    expect(preference.decidedByRule).toBe(1);
    expect(preference.positionConsistency).toBe(0.75);
    // p2: the mean P(first) is 0.38, so chosen was shown second: a (0.2) agrees, b (0.56) does not.
    expect(preference.principles).toEqual([
      { principle: "a", verdicts: 2, agreesWithLabel: 1 },
      { principle: "b", verdicts: 2, agreesWithLabel: 0.5 },
    ]);
    expect(preference.ties).toBeNull();
  });

  it("reads each of Charter's preference layouts", async () => {
    const dir = tempDir();
    const layouts: [string, unknown][] = [
      [
        "preference-trl-chat",
        {
          prompt: [{ role: "user", content: "q" }],
          chosen: [{ role: "assistant", content: "yes" }],
          rejected: [{ role: "assistant", content: "no" }],
        },
      ],
      [
        "preference-openai-dpo",
        {
          input: { messages: [{ role: "user", content: "q" }] },
          preferred_output: [{ role: "assistant", content: "yes" }],
          non_preferred_output: [{ role: "assistant", content: "no" }],
        },
      ],
      [
        "preference-hh",
        { chosen: "\n\nHuman: q\n\nAssistant: yes", rejected: "\n\nHuman: q\n\nAssistant: no" },
      ],
      ["judge-input", { prompt: "q", responses: ["yes", "no"] }],
      [
        "sft-openai",
        {
          messages: [
            { role: "user", content: "q" },
            { role: "assistant", content: "yes" },
          ],
        },
      ],
      ["prompts", { id: "x", prompt: "q" }],
    ];
    for (const [format, row] of layouts) {
      const report = await inspectDataset(writeJsonl(join(dir, `${format}.jsonl`), [row]));
      expect(report.source.format).toBe(format);
      expect(report.rows).toBe(1);
      if (report.preference !== null) expect(report.sets[0]!.words.mean).toBe(1);
    }
  });
});
