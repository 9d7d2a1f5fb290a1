// Prompt building: the paper's framing as chat turns, template overrides, examples, the marker.
import { describe, expect, it } from "vitest";
import {
  buildCritiqueRequest,
  buildRevisionRequest,
  isNoChange,
  resolveTemplates,
} from "../../src/phase1-revise/prompts.js";
import { isRevisable } from "../../src/phase1-revise/sampling.js";
import { constitution, principle } from "./helpers.js";

const state = {
  messages: [
    { role: "system" as const, content: "Be brief." },
    { role: "user" as const, content: "How do I pick a lock?" },
  ],
  reply: "Use a tension wrench.",
};
const honest = principle("honesty", { critique: "Is it honest?", revise: "Make it honest." });
if (!isRevisable(honest)) throw new Error("unreachable");

describe("default framing", () => {
  const templates = resolveTemplates(constitution([honest]), "NO_CHANGES");

  it("sends the conversation, then the critique request with the marker instruction", () => {
    const built = buildCritiqueRequest(state, honest, templates);
    expect(built.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "How do I pick a lock?" },
      { role: "assistant", content: "Use a tension wrench." },
      {
        role: "user",
        content:
          "Critique request: Is it honest?\n\nIf the reply needs no change under this request, answer exactly NO_CHANGES and nothing else.",
      },
    ]);
    expect(built.text).toBe(built.messages.at(-1)?.content);
  });

  it("sends the critique as the assistant's turn before the revision request", () => {
    const built = buildRevisionRequest(state, honest, templates, "It overclaims.");
    expect(built.messages.slice(2)).toEqual([
      { role: "assistant", content: "Use a tension wrench." },
      { role: "user", content: expect.stringContaining("Critique request: Is it honest?") },
      { role: "assistant", content: "It overclaims." },
      {
        role: "user",
        content: "Revision request: Make it honest.\n\nAnswer with the rewritten reply only.",
      },
    ]);
  });

  it("puts a principle's examples before the conversation as prior turns", () => {
    const withExample = {
      ...honest,
      examples: [
        {
          prompt: "Will it rain?",
          response: "Definitely.",
          critique: "Overconfident.",
          revision: "Maybe.",
          location: honest.location,
        },
      ],
    };
    const critique = buildCritiqueRequest(state, withExample, templates).messages;
    expect(critique.slice(1, 5).map((m) => m.content)).toEqual([
      "Will it rain?",
      "Definitely.",
      expect.stringContaining("Critique request: Is it honest?"),
      "Overconfident.",
    ]);
    expect(critique[5]?.content).toBe("How do I pick a lock?");
    const revision = buildRevisionRequest(state, withExample, templates, "c").messages;
    expect(revision.slice(5, 7).map((m) => m.content)).toEqual([
      "Revision request: Make it honest.\n\nAnswer with the rewritten reply only.",
      "Maybe.",
    ]);
  });

  it("uses the constitution's marker in the default critique request", () => {
    const custom = resolveTemplates(constitution([honest]), "ALL_GOOD");
    expect(buildCritiqueRequest(state, honest, custom).text).toContain("answer exactly ALL_GOOD");
  });

  it("fills {{no_change_marker}} in an overriding critique template", () => {
    const custom = resolveTemplates(
      constitution([honest], {
        templates: {
          "critique-request": {
            name: "critique-request",
            text: "Check: {{principle.critique}} Say {{no_change_marker}} if it is fine.",
            variables: ["principle.critique", "no_change_marker"],
            location: honest.location,
          },
        },
      }),
      "ALL_GOOD",
    );
    expect(buildCritiqueRequest(state, honest, custom).text).toBe(
      "Check: Is it honest? Say ALL_GOOD if it is fine.",
    );
  });
});

describe("template overrides", () => {
  const template = (name: string, text: string) => ({
    name,
    text,
    variables: [],
    location: honest.location,
  });

  it("sends a template using {{conversation}} as one user message", () => {
    const templates = resolveTemplates(
      constitution([honest], {
        templates: {
          "critique-request": template(
            "critique-request",
            "{{conversation}}\n\nCritiqueRequest: {{principle.critique}}",
          ),
        },
      }),
      "NO_CHANGES",
    );
    const built = buildCritiqueRequest(state, honest, templates);
    expect(built.messages).toEqual([
      { role: "system", content: "Be brief." },
      {
        role: "user",
        content:
          "Human: How do I pick a lock?\n\nAssistant: Use a tension wrench.\n\nCritiqueRequest: Is it honest?",
      },
    ]);
  });

  it("fills {{critique}}, {{response}} and {{prompt}} in a revision template", () => {
    const templates = resolveTemplates(
      constitution([honest], {
        templates: {
          "revision-request": template(
            "revision-request",
            "Q: {{prompt}} A: {{response}} C: {{critique}} R: {{principle.revise}}",
          ),
        },
      }),
      "NO_CHANGES",
    );
    expect(buildRevisionRequest(state, honest, templates, "Bad.").text).toBe(
      "Q: How do I pick a lock? A: Use a tension wrench. C: Bad. R: Make it honest.",
    );
  });
});

describe("isNoChange: the marker is the whole answer", () => {
  it.each([
    ["NO_CHANGES", true],
    ["  no_changes.", true],
    ["**NO_CHANGES**", true],
    ['"NO_CHANGES."', true],
    ["`NO_CHANGES`!", true],
    ["No changes.", true],
    ["no-changes", true],
    ["\n\tNO_CHANGES\n", true],
    ["NO_CHANGESX", false],
    ["NOCHANGES", false],
    // The marker first, then a critique: the model found something after all.
    ["NO_CHANGES. However the reply overstates the dose of ibuprofen.", false],
    ["NO_CHANGES: the reply already meets the principle.", false],
    // The marker after other text: not the whole answer either (documented choice).
    ["The reply is fine. NO_CHANGES", false],
    ["The reply is fine.\n\nNO_CHANGES", false],
    ["[rehearsal] NO_CHANGES", false],
    ["The reply is fine, so NO_CHANGES", false],
    ["It overclaims.", false],
  ])("%j → %s", (critique, expected) => {
    expect(isNoChange(critique, "NO_CHANGES")).toBe(expected);
  });

  it("takes a marker of several words the same way", () => {
    expect(isNoChange("no change.", "NO CHANGE")).toBe(true);
    expect(isNoChange("No change needed here.", "NO CHANGE")).toBe(false);
  });

  it("never matches an empty marker", () => {
    expect(isNoChange("anything", "")).toBe(false);
    expect(isNoChange("", "")).toBe(false);
  });
});
