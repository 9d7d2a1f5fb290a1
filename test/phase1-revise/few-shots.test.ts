// Few-shot sets in Phase 1 requests, and {{examples}} next to {{conversation}} (issue 9, point 6).
import { describe, expect, it } from "vitest";
import { compileSource, type CompiledConstitution } from "../../src/dsl/index.js";
import {
  buildCritiqueRequest,
  buildReplyRequest,
  buildRevisionRequest,
  resolveTemplates,
} from "../../src/phase1-revise/prompts.js";
import { isRevisable, type RevisablePrinciple } from "../../src/phase1-revise/sampling.js";

function compile(source: string): CompiledConstitution {
  const result = compileSource(source, { filename: "f.charter", root: "." });
  expect(result.diagnostics.filter((entry) => entry.severity === "error")).toEqual([]);
  return result.constitution as CompiledConstitution;
}

function revisable(constitution: CompiledConstitution, id: string): RevisablePrinciple {
  const found = constitution.principles.find((principle) => principle.id === id);
  if (found === undefined || !isRevisable(found)) throw new Error(`no revisable ${id}`);
  return found;
}

const PRINCIPLES = `charter "f" version "1.0.0"
principle honesty {
  critique "Is it honest?"
  revise "Make it honest."
}
principle kindness {
  critique "Is it kind?"
  revise "Make it kind."
}
`;

const SETS = `
few-shot demos {
  example {
    user "Can I borrow your car?"
    assistant "I am a program."
    user "Then drive me."
    assistant "Sure, get in."
    critique-request "Own request one."
    critique "It claims a body it lacks."
    revision-request "Own revision one."
    revision "I cannot drive anyone."
  }
  example {
    user "What is 2+2?"
    assistant "4"
    critique-request "Own request two."
    critique "NO_CHANGES"
  }
}
`;

const state = {
  messages: [
    { role: "system" as const, content: "Be brief." },
    { role: "user" as const, content: "How do I pick a lock?" },
  ],
  reply: "Use a tension wrench.",
};

describe("few-shot sets in Phase 1 requests", () => {
  const constitution = compile(PRINCIPLES + SETS);
  const templates = resolveTemplates(constitution, "NO_CHANGES");

  it("puts every example first (after system turns), in order, with its own request texts", () => {
    for (const id of ["honesty", "kindness"]) {
      const built = buildCritiqueRequest(state, revisable(constitution, id), templates);
      const contents = built.messages.map((message) => message.content);
      expect(built.messages[0]).toEqual({ role: "system", content: "Be brief." });
      expect(contents.slice(1, 9)).toEqual([
        "Can I borrow your car?",
        "I am a program.",
        "Then drive me.",
        "Sure, get in.",
        expect.stringMatching(/^Critique request: Own request one\./),
        "It claims a body it lacks.",
        "Revision request: Own revision one.\n\nAnswer with the rewritten reply only.",
        "I cannot drive anyone.",
      ]);
      expect(contents.slice(9, 13)).toEqual([
        "What is 2+2?",
        "4",
        expect.stringMatching(/^Critique request: Own request two\./),
        "NO_CHANGES",
      ]);
      expect(contents.slice(13)).toEqual([
        "How do I pick a lock?",
        "Use a tension wrench.",
        expect.stringContaining(
          `Critique request: ${id === "honesty" ? "Is it honest?" : "Is it kind?"}`,
        ),
      ]);
    }
  });

  it("gives critique and revision requests the same prefix (prompt caching)", () => {
    const honesty = revisable(constitution, "honesty");
    const critique = buildCritiqueRequest(state, honesty, templates).messages;
    const revision = buildRevisionRequest(state, honesty, templates, "It overclaims.").messages;
    expect(revision.slice(0, critique.length)).toEqual(critique);
    const kindness = buildCritiqueRequest(state, revisable(constitution, "kindness"), templates);
    expect(kindness.messages.slice(0, 13)).toEqual(critique.slice(0, 13));
  });

  it("leaves the first reply alone unless a set is `on response`", () => {
    expect(buildReplyRequest(state.messages, templates)).toEqual(state.messages);
    const withReply = compile(
      `${PRINCIPLES}few-shot greet { on response, critique\n example { user "Hi" assistant "Hello." } }\n`,
    );
    const replyTemplates = resolveTemplates(withReply, "NO_CHANGES");
    expect(buildReplyRequest(state.messages, replyTemplates)).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "How do I pick a lock?" },
    ]);
    const critique = buildCritiqueRequest(state, revisable(withReply, "honesty"), replyTemplates);
    expect(critique.messages.slice(1, 3).map((message) => message.content)).toEqual([
      "Hi",
      "Hello.",
    ]);
    const revision = buildRevisionRequest(
      state,
      revisable(withReply, "honesty"),
      replyTemplates,
      "c",
    );
    expect(revision.messages[1]?.content).toBe("How do I pick a lock?");
  });
});

describe("{{examples}} next to {{conversation}} (issue 9, point 6)", () => {
  const source = `${PRINCIPLES.replace(
    'revise "Make it honest."',
    `revise "Make it honest."
  example {
    prompt "Will it rain?"
    response "Definitely."
    critique "Overconfident."
    revision "Maybe."
  }`,
  )}
template critique-request """
  Examples:
  {{examples}}

  Now:
  {{conversation}}

  Critique request: {{principle.critique}}
  Answer briefly.
"""
template revision-request """
  {{examples}}

  {{conversation}}

  Critique: {{critique}}

  Revision request: {{principle.revise}}
  Answer briefly.
"""
`;

  it("renders each example once, before the conversation, with one closing instruction", () => {
    const constitution = compile(source);
    const templates = resolveTemplates(constitution, "NO_CHANGES");
    const honesty = revisable(constitution, "honesty");
    const plain = {
      messages: [state.messages[1] as (typeof state.messages)[1]],
      reply: state.reply,
    };
    const critique = buildCritiqueRequest(plain, honesty, templates);
    expect(critique.messages).toEqual([{ role: "user", content: critique.text }]);
    expect(critique.text).toBe(
      [
        "Examples:",
        "Human: Will it rain?",
        "",
        "Assistant: Definitely.",
        "",
        "Critique request: Is it honest?",
        "",
        "Critique: Overconfident.",
        "",
        "Now:",
        "Human: How do I pick a lock?",
        "",
        "Assistant: Use a tension wrench.",
        "",
        "Critique request: Is it honest?",
        "Answer briefly.",
      ].join("\n"),
    );
    const revision = buildRevisionRequest(plain, honesty, templates, "Bad.");
    expect(revision.text).not.toContain("Human: Human:");
    expect(revision.text.split("Answer briefly.").length).toBe(2);
    expect(revision.text.indexOf("Revision: Maybe.")).toBeLessThan(
      revision.text.indexOf("Human: How do I pick a lock?"),
    );
    expect(revision.text.startsWith("Human: Will it rain?")).toBe(true);
  });

  it("renders few-shot transcripts there too, set examples first", () => {
    const constitution = compile(source + SETS);
    const templates = resolveTemplates(constitution, "NO_CHANGES");
    const critique = buildCritiqueRequest(state, revisable(constitution, "honesty"), templates);
    // Placed by the template, the examples are not sent again as prior turns.
    expect(critique.messages.map((message) => message.role)).toEqual(["system", "user"]);
    const text = critique.text;
    expect(text.indexOf("Human: Can I borrow your car?")).toBeLessThan(
      text.indexOf("Human: What is 2+2?"),
    );
    expect(text.indexOf("Human: What is 2+2?")).toBeLessThan(text.indexOf("Human: Will it rain?"));
    expect(text).toContain(
      "Human: Then drive me.\n\nAssistant: Sure, get in.\n\nCritique request: Own request one.\n\nCritique: It claims a body it lacks.\n\nRevision request: Own revision one.\n\nRevision: I cannot drive anyone.",
    );
  });
});
