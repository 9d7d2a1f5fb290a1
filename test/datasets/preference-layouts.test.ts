import { describe, expect, it } from "vitest";
import {
  formatPreference,
  formatTie,
  type PreferenceLabel,
} from "../../src/datasets/preference-layouts.js";

const turns = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Hi" },
  { role: "assistant", content: "Hello." },
  { role: "user", content: "Tea or coffee?" },
] as const;

const label = (fields: Partial<PreferenceLabel> = {}): PreferenceLabel => ({
  id: "x:0-1",
  conversation: turns,
  shape: "messages",
  chosen: "Tea.",
  rejected: "Coffee.",
  probability: 0.8,
  margin: 0.6,
  decidedBy: "judge",
  flags: [],
  verdicts: [],
  constitution: "test@1",
  ...fields,
});

describe("formatPreference with a multi-turn conversation", () => {
  it("keeps the prompt's shape in trl: strings for a string prompt, message lists otherwise", () => {
    expect(formatPreference(label(), "trl")).toMatchObject({
      prompt: turns,
      chosen: [{ role: "assistant", content: "Tea." }],
      rejected: [{ role: "assistant", content: "Coffee." }],
    });
    const text = label({ conversation: [{ role: "user", content: "Hi" }], shape: "text" });
    expect(formatPreference(text, "trl")).toMatchObject({
      prompt: "Hi",
      chosen: "Tea.",
      rejected: "Coffee.",
    });
    expect(formatPreference(text, "trl-chat")).toMatchObject({
      prompt: [{ role: "user", content: "Hi" }],
    });
  });

  it("writes every turn in openai-dpo (system included) and in hh (no system turn in HH)", () => {
    expect(formatPreference(label(), "openai-dpo")).toEqual({
      input: { messages: turns },
      preferred_output: [{ role: "assistant", content: "Tea." }],
      non_preferred_output: [{ role: "assistant", content: "Coffee." }],
    });
    expect(formatPreference(label(), "hh")).toEqual({
      chosen: "\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Tea or coffee?\n\nAssistant: Tea.",
      rejected: "\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Tea or coffee?\n\nAssistant: Coffee.",
    });
  });

  it("writes a tie's prompt in its shape too", () => {
    const tie = {
      id: "x:0-1",
      conversation: turns,
      shape: "messages" as const,
      first: "Tea.",
      second: "Coffee.",
      probabilityFirst: 0.5,
      verdicts: [],
      constitution: "test@1",
    };
    expect(formatTie(tie)).toMatchObject({ prompt: turns, response_a: "Tea." });
  });
});
