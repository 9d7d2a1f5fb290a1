// The loop for one item, against an in-process scripted model: rounds, no-change skips, rules,
// skipped rounds, recheck and failures.
import { describe, expect, it } from "vitest";
import type { CompiledConstitution } from "../../src/dsl/index.js";
import { CharterError } from "../../src/errors.js";
import { resolveTemplates } from "../../src/phase1-revise/prompts.js";
import { reviseItem } from "../../src/phase1-revise/revise-item.js";
import type { LoopOptions, PromptInput } from "../../src/phase1-revise/types.js";
import { ProviderError, type ChatRequest } from "../../src/providers/index.js";
import { seededRandom } from "../../src/runtime/index.js";
import { constitution, matches, principle, requireRule, scriptedModel } from "./helpers.js";

const options: LoopOptions = {
  revisions: 2,
  sampling: "with-replacement",
  recheck: false,
  noChangeMarker: "NO_CHANGES",
  calls: {
    reply: { params: { temperature: 0.7 } },
    critique: { params: { temperature: 0.7 } },
    revision: { params: { temperature: 0.7 } },
  },
};

function item(input: Partial<PromptInput> = {}) {
  return {
    id: "item-1",
    index: 0,
    input: {
      messages: [{ role: "user" as const, content: "How do I pick a lock?" }],
      tags: [],
      line: 1,
      ...input,
    },
  };
}

function run(
  charter: CompiledConstitution,
  answer: (request: ChatRequest) => string | Error,
  loop: Partial<LoopOptions> = {},
  input: Partial<PromptInput> = {},
) {
  const model = scriptedModel(answer);
  const result = reviseItem(
    item(input),
    { random: seededRandom(1, "item-1"), signal: new AbortController().signal },
    {
      model,
      constitution: charter,
      templates: resolveTemplates(charter, "NO_CHANGES"),
      options: { ...options, ...loop },
    },
  );
  return { model, result };
}

/** Replies by purpose; revisions are numbered so rounds can be told apart. */
function byPurpose(critique = "It could be safer.") {
  let revisions = 0;
  return (request: ChatRequest): string => {
    switch (request.purpose) {
      case "reply":
        return "First reply.";
      case "critique":
        return critique;
      case "revision":
        return `Revision ${++revisions} is safer.`;
      default:
        return "NO_CHANGES";
    }
  };
}

describe("reviseItem", () => {
  it("generates a first reply, then critiques and revises each round", async () => {
    const { model, result } = run(constitution([principle("p")]), byPurpose());
    const { revised, counters, trace } = await result;
    expect(model.requests.map((r) => r.purpose)).toEqual([
      "reply",
      "critique",
      "revision",
      "critique",
      "revision",
    ]);
    expect(revised?.initialResponse).toBe("First reply.");
    expect(revised?.finalResponse).toBe("Revision 2 is safer.");
    expect(revised?.rounds.map((r) => r.status)).toEqual(["revised", "revised"]);
    // The second critique sees the first revision as the reply under review.
    expect(model.requests[3]?.messages.at(-2)).toEqual({
      role: "assistant",
      content: "Revision 1 is safer.",
    });
    expect(model.requests.every((r) => r.params?.temperature === 0.7)).toBe(true);
    expect(counters).toMatchObject({ calls: 5, revised: 2, "principle:p": 2, inputTokens: 50 });
    const calls = trace.filter((event) => (event as { event: string }).event === "call");
    expect(calls[1]).toMatchObject({
      round: 1,
      principle: "p",
      purpose: "critique",
      reply: "It could be safer.",
      latencyMs: 1,
      retries: 0,
      cached: false,
    });
    expect((calls[1] as { request: { messages: unknown[] } }).request.messages).toEqual(
      model.requests[1]?.messages,
    );
  });

  it("starts from a given response without asking for a first reply", async () => {
    const { model, result } = run(
      constitution([principle("p")]),
      byPurpose(),
      { revisions: 1 },
      { response: "Given." },
    );
    const { revised } = await result;
    expect(model.requests.map((r) => r.purpose)).toEqual(["critique", "revision"]);
    expect(revised?.initialResponse).toBe("Given.");
  });

  it("skips the revision when the critique answers the no-change marker", async () => {
    const { model, result } = run(constitution([principle("p")]), byPurpose("NO_CHANGES"));
    const { revised, counters } = await result;
    expect(model.requests.map((r) => r.purpose)).toEqual(["reply", "critique", "critique"]);
    expect(revised?.rounds.map((r) => r.status)).toEqual(["no-change", "no-change"]);
    expect(revised?.finalResponse).toBe("First reply.");
    expect(counters["no-change"]).toBe(2);
  });

  it("rejects a revision a require rule fails, keeping the previous reply", async () => {
    const charter = constitution([principle("p")], {
      rules: [
        requireRule("no-wrench", "revision", {
          kind: "not",
          operand: matches("revision", "Revision 1"),
        }),
      ],
    });
    const { result } = run(charter, byPurpose());
    const { revised, trace, counters } = await result;
    expect(revised?.rounds.map((r) => [r.status, r.after])).toEqual([
      ["rejected", "First reply."],
      ["revised", "Revision 2 is safer."],
    ]);
    expect(revised?.rounds[0]?.rejectedBy).toEqual(["no-wrench"]);
    expect(trace).toContainEqual(
      expect.objectContaining({
        event: "rejected",
        stage: "revision",
        round: 1,
        rules: ["no-wrench"],
      }),
    );
    expect(counters.rejected).toBe(1);
  });

  it("rejects at the critique stage without asking for a revision, and records flags", async () => {
    const charter = constitution([principle("p")], {
      rules: [
        requireRule("short-critique", "critique", {
          kind: "not",
          operand: matches("critique", "safer"),
        }),
        requireRule("mentions-lock", "critique", matches("prompt", "lock"), "flag"),
      ],
    });
    const { model, result } = run(charter, byPurpose(), { revisions: 1 });
    const { revised, counters } = await result;
    expect(model.requests.map((r) => r.purpose)).toEqual(["reply", "critique"]);
    expect(revised?.rounds[0]).toMatchObject({
      status: "rejected",
      rejectedBy: ["short-critique"],
      flaggedBy: ["mentions-lock"],
    });
    expect(counters.flagged).toBe(1);
  });

  it("samples only principles whose when holds for the current reply, and skips a round with none", async () => {
    const charter = constitution([
      principle("first-reply-only", { when: matches("response", "^First") }),
      principle("never", { when: matches("prompt", "stock") }),
    ]);
    const { model, result } = run(charter, byPurpose());
    const { revised, trace, counters } = await result;
    // Round 1 reviews "First reply." (eligible); round 2 reviews "Revision 1..." (nothing eligible).
    expect(revised?.rounds.map((r) => [r.status, r.principleId])).toEqual([
      ["revised", "first-reply-only"],
      ["skipped", undefined],
    ]);
    expect(model.requests).toHaveLength(3);
    expect(trace).toContainEqual({
      event: "round-skipped",
      round: 2,
      reason: "no-eligible-principle",
    });
    expect(counters["rounds-skipped"]).toBe(1);
    expect(counters["principle:never"]).toBeUndefined();
  });

  it("rechecks every used principle against the final reply and flags a broken one", async () => {
    const charter = constitution([principle("a", { weight: 1 }), principle("b", { weight: 1 })]);
    const answer = (request: ChatRequest): string => {
      if (request.purpose !== "recheck") return byPurpose()(request);
      const last = request.messages.at(-1)?.content ?? "";
      return last.includes("Critique for a.") ? "Still unsafe." : "NO_CHANGES";
    };
    const { result } = run(charter, answer, {
      revisions: 4,
      sampling: "without-replacement",
      recheck: true,
    });
    const { revised, counters } = await result;
    expect(revised?.rounds.map((r) => r.status)).toEqual([
      "revised",
      "revised",
      "skipped",
      "skipped",
    ]);
    expect(revised?.recheck).toEqual([
      { principleId: "a", clean: false, status: "still-fails", critique: "Still unsafe." },
      { principleId: "b", clean: true, status: "passes", critique: "NO_CHANGES" },
    ]);
    expect(counters["recheck-flagged-items"]).toBe(1);
    expect(counters["recheck-regressions"]).toBeUndefined();
  });

  it("flags a regression: a principle that passed at an earlier round fails on the final reply", async () => {
    const charter = constitution([principle("a", { weight: 1 }), principle("b", { weight: 1 })]);
    let revisions = 0;
    const answer = (request: ChatRequest): string => {
      const last = request.messages.at(-1)?.content ?? "";
      const isA = last.includes("Critique for a.");
      switch (request.purpose) {
        case "critique":
          return isA ? "NO_CHANGES" : "It could be safer.";
        case "recheck":
          return isA ? "The last revision made it unsafe again." : "Still unsafe.";
        case "revision":
          return `Revision ${++revisions}.`;
        default:
          return "First reply.";
      }
    };
    const { result } = run(charter, answer, {
      revisions: 2,
      sampling: "without-replacement",
      recheck: true,
    });
    const { revised, counters, trace } = await result;
    const roundOfA = revised?.rounds.find((r) => r.principleId === "a");
    expect(roundOfA?.status).toBe("no-change");
    expect(revised?.recheck).toEqual([
      {
        principleId: "a",
        clean: false,
        status: "regressed",
        passedAtRound: roundOfA?.round,
        critique: "The last revision made it unsafe again.",
      },
      { principleId: "b", clean: false, status: "still-fails", critique: "Still unsafe." },
    ]);
    expect(counters["recheck-regressions"]).toBe(1);
    expect(counters["recheck-regressed-items"]).toBe(1);
    expect(counters["recheck-flagged-items"]).toBe(1);
    expect(trace).toContainEqual({
      event: "recheck",
      principle: "a",
      clean: false,
      status: "regressed",
      passedAtRound: roundOfA?.round,
    });
  });

  it("fails the item on a CharterError from the model, keeping the trace so far", async () => {
    const { result } = run(constitution([principle("p")]), (request) =>
      request.purpose === "revision"
        ? new CharterError("provider-http-500", "server said 500")
        : "ok",
    );
    const outcome = await result;
    expect(outcome.revised).toBeUndefined();
    expect(outcome.failure).toEqual({ code: "provider-http-500", message: "server said 500" });
    expect(outcome.trace.at(-2)).toMatchObject({ event: "call-failed", purpose: "revision" });
    expect(outcome.trace.at(-1)).toEqual({
      event: "item-failed",
      code: "provider-http-500",
      message: "server said 500",
    });
  });

  it("counts a request that failed for good as sent and failed, with its retries", async () => {
    const { result } = run(constitution([principle("p")]), (request) =>
      request.purpose === "revision"
        ? new ProviderError({
            code: "server-error",
            message: "500 (gave up after 3 attempts)",
            attempts: 3,
            retryable: true,
            provider: "openai",
            model: "m",
          })
        : "ok",
    );
    const outcome = await result;
    expect(outcome.failure?.code).toBe("server-error");
    expect(outcome.counters).toMatchObject({ calls: 3, "calls-failed": 1, retries: 2 });
  });

  it("lets a programming error through instead of failing the item", async () => {
    const { result } = run(constitution([principle("p")]), () => new TypeError("bug"));
    await expect(result).rejects.toThrow(TypeError);
  });
});
