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

  it("hf-cai: the HuggingFaceH4 CAI columns", () => {
    const [record] = sftRecords(item, "hf-cai", "final") as Record<string, unknown>[];
    expect(Object.keys(record!)).toEqual([
      "id",
      "prompt",
      "init_prompt",
      "init_response",
      "critic_prompt",
      "critic_response",
      "revision_prompt",
      "revision_response",
      "messages",
      "chosen",
      "rejected",
    ]);
    expect(record).toMatchObject({
      prompt: "Q",
      init_prompt: { role: "user", content: "Q" },
      init_response: { role: "assistant", content: "R0" },
      critic_prompt: { role: "user", content: "CR3" },
      critic_response: { role: "assistant", content: "C3" },
      revision_prompt: { role: "user", content: "RR3" },
      revision_response: { role: "assistant", content: "R2" },
      messages: conversation("R2"),
      chosen: conversation("R2"),
      rejected: conversation("R0"),
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

  it("skips an item nothing revised", () => {
    expect(pairRecord(unchanged, "trl")).toBeUndefined();
  });
});
