// Output layouts: TRL conversational, OpenAI fine-tuning, Hugging Face CAI columns, pairs.
import { describe, expect, it } from "vitest";
import { pairRecord, sftRecords } from "../../src/phase1-revise/formats.js";
import type { RevisedItem } from "../../src/phase1-revise/types.js";

const item: RevisedItem = {
  id: "i1",
  input: {
    messages: [
      { role: "system", content: "S" },
      { role: "user", content: "Q" },
    ],
    tags: [],
    line: 1,
  },
  initialResponse: "R0",
  finalResponse: "R2",
  rounds: [
    {
      round: 1,
      status: "revised",
      principleId: "a",
      critiqueRequest: "CR1",
      critique: "C1",
      revisionRequest: "RR1",
      revision: "R1",
      before: "R0",
      after: "R1",
    },
    {
      round: 2,
      status: "no-change",
      principleId: "b",
      critiqueRequest: "CR2",
      critique: "NO_CHANGES",
      before: "R1",
      after: "R1",
    },
    {
      round: 3,
      status: "revised",
      principleId: "c",
      critiqueRequest: "CR3",
      critique: "C3",
      revisionRequest: "RR3",
      revision: "R2",
      before: "R1",
      after: "R2",
    },
  ],
};
const unchanged: RevisedItem = {
  ...item,
  finalResponse: "R0",
  rounds: [
    {
      round: 1,
      status: "no-change",
      principleId: "b",
      critiqueRequest: "CR",
      critique: "NO_CHANGES",
      before: "R0",
      after: "R0",
    },
  ],
};
const conversation = (reply: string) => [
  { role: "system", content: "S" },
  { role: "user", content: "Q" },
  { role: "assistant", content: reply },
];

describe("sftRecords", () => {
  it("trl final: id and the conversation ending in the final revision", () => {
    expect(sftRecords(item, "trl", "final")).toEqual([{ id: "i1", messages: conversation("R2") }]);
  });

  it("trl all-rounds: one record per revised round; an unrevised item gives its reply once", () => {
    expect(sftRecords(item, "trl", "all-rounds")).toEqual([
      { id: "i1", round: 1, messages: conversation("R1") },
      { id: "i1", round: 3, messages: conversation("R2") },
    ]);
    expect(sftRecords(unchanged, "trl", "all-rounds")).toEqual([
      { id: "i1", round: 0, messages: conversation("R0") },
    ]);
  });

  it("openai: messages only", () => {
    expect(sftRecords(item, "openai", "final")).toEqual([{ messages: conversation("R2") }]);
  });

  it("hf-cai: llm-swarm's columns, in its order, the six steps as plain strings", () => {
    const [record] = sftRecords(item, "hf-cai", "final") as Record<string, unknown>[];
    // generate_dataset.py: row[prompt_key] = prompt; row[response_key] = completion; then
    // process() adds prompt, messages, chosen, rejected.
    expect(record).toStrictEqual({
      init_prompt: "Q",
      init_response: "R0",
      critic_prompt: "CR3",
      critic_response: "C3",
      revision_prompt: "RR3",
      revision_response: "R2",
      prompt: "Q",
      messages: conversation("R2"),
      chosen: conversation("R2"),
      rejected: conversation("R0"),
    });
    expect(Object.keys(record!)).toEqual([
      "init_prompt",
      "init_response",
      "critic_prompt",
      "critic_response",
      "revision_prompt",
      "revision_response",
      "prompt",
      "messages",
      "chosen",
      "rejected",
    ]);
  });

  it("hf-cai: strips prompt and message contents as the recipe does, not the step columns", () => {
    const spaced: RevisedItem = {
      ...item,
      input: { ...item.input, messages: [{ role: "user", content: " Q \n" }] },
      finalResponse: " R2 ",
      rounds: item.rounds.map((round) => (round.round === 3 ? { ...round, after: " R2 " } : round)),
    };
    const [record] = sftRecords(spaced, "hf-cai", "final") as Record<string, unknown>[];
    expect(record).toMatchObject({
      init_prompt: " Q \n",
      revision_response: " R2 ",
      prompt: "Q",
      messages: [
        { role: "user", content: "Q" },
        { role: "assistant", content: "R2" },
      ],
    });
  });

  it("hf-cai: an item nothing revised has empty revision columns and its reply as the target", () => {
    const [record] = sftRecords(unchanged, "hf-cai", "final") as Record<string, unknown>[];
    expect(record).toMatchObject({
      critic_prompt: "CR",
      critic_response: "NO_CHANGES",
      revision_prompt: "",
      revision_response: "R0",
    });
  });
});

describe("pairRecord", () => {
  it("trl: final revision chosen over the first reply", () => {
    expect(pairRecord(item, "trl")).toEqual({
      id: "i1",
      prompt: conversation("x").slice(0, 2),
      chosen: [{ role: "assistant", content: "R2" }],
      rejected: [{ role: "assistant", content: "R0" }],
    });
  });

  it("openai: the preference fine-tuning layout", () => {
    expect(pairRecord(item, "openai")).toEqual({
      input: { messages: conversation("x").slice(0, 2) },
      preferred_output: [{ role: "assistant", content: "R2" }],
      non_preferred_output: [{ role: "assistant", content: "R0" }],
    });
  });

  it("hf-cai: the recipe's prefs rows have the sft rows' layout", () => {
    expect(pairRecord(item, "hf-cai")).toStrictEqual(sftRecords(item, "hf-cai", "final")[0]);
  });

  it("skips an item nothing revised", () => {
    expect(pairRecord(unchanged, "trl")).toBeUndefined();
  });
});
