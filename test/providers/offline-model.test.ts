// offline:rehearsal answers every kind of request the phases make, deterministically.
import { describe, expect, it } from "vitest";
import { createModel, DEFAULT_NO_CHANGE_MARKER, inferPurpose } from "../../src/providers/index.js";
import type { ChatRequest } from "../../src/providers/index.js";

const model = createModel("offline:rehearsal");
const user = (content: string): ChatRequest => ({ messages: [{ role: "user", content }] });

function judgeQuestion(a: string, b: string): string {
  return `Which reply is more careful?\n(A) ${a}\n(B) ${b}\nAnswer with (A) or (B).`;
}

describe("offline:rehearsal", () => {
  it("gives the same bytes for the same request and different ones for different requests", async () => {
    const first = await model.complete({ ...user("How do I bake bread?"), purpose: "reply" });
    const again = await model.complete({ ...user("How do I bake bread?"), purpose: "reply" });
    const other = await model.complete({ ...user("How do I bake cake?"), purpose: "reply" });
    expect(again.text).toBe(first.text);
    expect(other.text).not.toBe(first.text);
    expect(first.text.startsWith("[rehearsal]")).toBe(true);
    expect(first.text).toContain("How do I bake bread?");
    expect(first.model).toBe("rehearsal");
    expect(first.latencyMs).toBeLessThan(50);
    expect(first.usage.inputTokens).toBe(Math.ceil("How do I bake bread?".length / 4));
    expect(first.usage.outputTokens).toBe(Math.ceil(first.text.length / 4));
  });

  it("answers the bare no-change marker sometimes, deterministically, and only when asked for it", async () => {
    const critiques = (chosen: typeof model, ask: (i: number) => string) =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          chosen.complete({ ...user(ask(i)), purpose: "critique" }),
        ),
      );
    const asking = (marker: string) => (i: number) =>
      `Critique reply number ${i}. If it needs no change, answer exactly ${marker} and nothing else.`;
    const texts = await critiques(model, asking(DEFAULT_NO_CHANGE_MARKER));
    const unchanged = texts.filter((r) => r.text === DEFAULT_NO_CHANGE_MARKER).length;
    expect(unchanged).toBeGreaterThan(3);
    expect(unchanged).toBeLessThan(20);
    // Any other critique is a real one, never a marker with more text around it.
    for (const r of texts)
      if (r.text !== DEFAULT_NO_CHANGE_MARKER) expect(r.text).not.toContain("NO_CHANGES");
    // A request that does not mention the marker never gets it.
    const unasked = await critiques(model, (i) => `Critique reply number ${i}.`);
    expect(unasked.some((r) => r.text.includes(DEFAULT_NO_CHANGE_MARKER))).toBe(false);
    // The marker is configurable, and the model answers the one the request names.
    const custom = createModel("offline:rehearsal", { noChangeMarker: "LGTM" });
    const customTexts = await critiques(custom, asking("LGTM"));
    expect(customTexts.filter((r) => r.text === "LGTM").length).toBeGreaterThan(3);
    expect(customTexts.some((r) => r.text.includes(DEFAULT_NO_CHANGE_MARKER))).toBe(false);
    const wrongName = await critiques(custom, asking(DEFAULT_NO_CHANGE_MARKER));
    expect(wrongName.some((r) => r.text.includes("LGTM"))).toBe(false);
  });

  it("judges with A/B log-probabilities that sum to about one and lean away from risky replies", async () => {
    const safe = "I can't help with weapons, but here is how to stay safe.";
    const risky = "Definitely build the bomb, it is guaranteed to work.";
    const ask = (a: string, b: string) =>
      model.complete({
        ...user(judgeQuestion(a, b)),
        purpose: "judge",
        params: { logprobs: true, topLogprobs: 5, maxTokens: 1 },
      });
    const forward = await ask(safe, risky);
    const backward = await ask(risky, safe);
    expect(forward.text).toBe("A");
    expect(backward.text).toBe("B");
    const top = forward.logprobs?.[0]?.top ?? [];
    expect(top).toHaveLength(5);
    const probability = (token: string) =>
      Math.exp(top.find((t) => t.token === token)?.logprob ?? -Infinity);
    expect(probability("A") + probability("B")).toBeGreaterThan(0.95);
    expect(probability("A")).toBeGreaterThan(0.7);
  });

  it("gives varied but reproducible preferences between similar replies", async () => {
    const choices = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        model.complete({
          ...user(judgeQuestion(`Reply one, variant ${i}`, `Reply two, variant ${i}`)),
          purpose: "judge",
        }),
      ),
    );
    const letters = choices.map((r) => r.text[0]);
    expect(new Set(letters)).toEqual(new Set(["A", "B"]));
  });

  it("reasons before answering for chain-of-thought judging", async () => {
    const reply = await model.complete({ ...user(judgeQuestion("x", "y")), purpose: "judge-cot" });
    expect(reply.text).toMatch(/^\[rehearsal\] .*The answer is \([AB]\)$/s);
  });

  it("revises, and infers the purpose from the wording when none is given", async () => {
    const revision = await model.complete({
      ...user("Please rewrite the reply."),
      purpose: "revision",
    });
    expect(revision.text).toMatch(/^\[rehearsal\] A revised answer/);
    expect(inferPurpose(user("Identify ways the reply is harmful.").messages)).toBe("critique");
    expect(inferPurpose(user("Rewrite the reply to remove harm.").messages)).toBe("revision");
    expect(inferPurpose(user(judgeQuestion("a", "b")).messages)).toBe("judge");
    expect(
      inferPurpose(user(`${judgeQuestion("a", "b")} Let's think step by step.`).messages),
    ).toBe("judge-cot");
    expect(inferPurpose(user("Hello!").messages)).toBe("reply");
  });

  it("honours maxTokens and stop sequences", async () => {
    const short = await model.complete({ ...user("Tell me a story"), params: { maxTokens: 3 } });
    expect(short.text.length).toBeLessThanOrEqual(12);
    expect(short.finishReason).toBe("length");
    const stopped = await model.complete({
      ...user("Tell me a story"),
      params: { stop: ["careful"] },
    });
    expect(stopped.text).toBe("[rehearsal] A ");
  });
});
