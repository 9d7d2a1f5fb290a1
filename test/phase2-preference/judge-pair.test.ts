import { describe, expect, it } from "vitest";
import { CallLedger } from "../../src/providers/index.js";
import { seededRandom } from "../../src/runtime/index.js";
import { judgePair, type PanelJudge } from "../../src/phase2-preference/judge-pair.js";
import {
  constitution,
  fakeModel,
  matchesResponse,
  methodSettings,
  optionA,
  principle,
  requestText,
  rule,
  topOf,
} from "./helpers.js";

const pair = {
  id: "g:0-1",
  conversation: [{ role: "user" as const, content: "How do I boil an egg?" }],
  prompt: "How do I boil an egg?",
  first: "GOOD reply",
  second: "BAD reply",
};
const random = () => seededRandom(42, "g");

describe("judgePair", () => {
  it("averages both orders and marks a position-biased judge inconsistent", async () => {
    // Always favours option (A) at 0.8, whatever it shows.
    const model = fakeModel(() => ({ text: "A", logprobs: topOf({ A: 0.8, B: 0.2 }) }));
    const judgment = await judgePair(
      pair,
      constitution(),
      [{ model, settings: methodSettings() }],
      { principles: 1, bothOrders: true },
      random(),
      new CallLedger(),
    );
    expect(judgment.kind).toBe("judged");
    if (judgment.kind !== "judged") return;
    expect(model.requests).toHaveLength(2);
    expect(model.requests.map(optionA)).toEqual(["GOOD reply", "BAD reply"]);
    expect(judgment.probabilityFirst).toBeCloseTo(0.5, 9);
    expect(judgment.verdicts[0]?.consistent).toBe(false);
    expect(judgment.verdicts[0]?.orders.map((order) => order.probabilityFirst)).toEqual([
      expect.closeTo(0.8, 9),
      expect.closeTo(0.2, 9),
    ]);
  });

  it("finds a consistent preference when the judge follows content", async () => {
    const model = fakeModel((request) =>
      optionA(request).startsWith("GOOD")
        ? { text: "A", logprobs: topOf({ " A": 0.9, " (B": 0.1 }) }
        : { text: "B", logprobs: topOf({ "A)": 0.1, B: 0.9 }) },
    );
    const judgment = await judgePair(
      pair,
      constitution({ principles: [principle("a"), principle("b"), principle("c")] }),
      [{ model, settings: methodSettings() }],
      { principles: 2, bothOrders: true },
      random(),
      new CallLedger(),
    );
    if (judgment.kind !== "judged") throw new Error(judgment.kind);
    expect(judgment.verdicts).toHaveLength(2);
    expect(judgment.verdicts.every((verdict) => verdict.consistent)).toBe(true);
    expect(judgment.probabilityFirst).toBeCloseTo(0.9, 9);
    expect(model.requests).toHaveLength(4);
  });

  it("lets a rule decide with no model call", async () => {
    const model = fakeModel(() => ({ text: "A" }));
    const noLinks = rule("no-links", [
      { kind: "prefer", expr: { kind: "not", operand: matchesResponse("https?://") }, source: "x" },
    ]);
    const judgment = await judgePair(
      { ...pair, first: "see https://x.io" },
      constitution({ rules: [noLinks] }),
      [{ model, settings: methodSettings() }],
      { principles: 1, bothOrders: true },
      random(),
      new CallLedger(),
    );
    expect(judgment).toMatchObject({ kind: "rule", probabilityFirst: 0 });
    expect(model.requests).toHaveLength(0);
  });

  it("votes with sampled answers and distinct sample indexes", async () => {
    // Votes A on samples 0 and 1, B on sample 2, regardless of order shown.
    const model = fakeModel((request) => ({ text: (request.sampleIndex ?? 0) < 2 ? "A)" : "B)" }));
    const judgment = await judgePair(
      pair,
      constitution(),
      [{ model, settings: methodSettings({ method: "vote", samples: 3 }) }],
      { principles: 1, bothOrders: false },
      random(),
      new CallLedger(),
    );
    if (judgment.kind !== "judged") throw new Error(judgment.kind);
    expect(model.requests.map((request) => request.sampleIndex).sort()).toEqual([0, 1, 2]);
    expect(model.requests.every((request) => request.params?.temperature === 1)).toBe(true);
    const order = judgment.verdicts[0]?.orders[0];
    expect(order?.detail).toMatchObject({ votesA: 2, votesB: 1, unparseable: 0 });
    const expected = order?.order === "first-as-a" ? 2 / 3 : 1 / 3;
    expect(judgment.probabilityFirst).toBeCloseTo(expected, 9);
  });

  it("clamps chain-of-thought answers into the band", async () => {
    const model = fakeModel((request) => ({
      text: `Let's think. ${optionA(request).startsWith("GOOD") ? "The answer is (A)" : "The answer is (B)"}`,
    }));
    const judgment = await judgePair(
      pair,
      constitution(),
      [{ model, settings: methodSettings({ method: "cot", samples: 2 }) }],
      { principles: 1, bothOrders: true },
      random(),
      new CallLedger(),
    );
    if (judgment.kind !== "judged") throw new Error(judgment.kind);
    expect(judgment.probabilityFirst).toBeCloseTo(0.6, 9);
    expect(model.requests.every((request) => request.purpose === "judge-cot")).toBe(true);
    expect(requestText(model.requests[0]!)).toMatch(/Let's think step by step/);
  });

  it("retries an unparseable answer, then fails the pair instead of guessing", async () => {
    const model = fakeModel(() => ({ text: "I", logprobs: topOf({ I: 0.9, The: 0.1 }) }));
    const judgment = await judgePair(
      pair,
      constitution(),
      [{ model, settings: methodSettings({ parseRetries: 2 }) }],
      { principles: 1, bothOrders: false },
      random(),
      new CallLedger(),
    );
    expect(judgment).toMatchObject({ kind: "failed", code: "unparseable-answer" });
    expect(model.requests.map((request) => request.sampleIndex)).toEqual([0, 1, 2]);
  });

  it("averages a panel of judges", async () => {
    // Sure: the other letter is not listed, so it is floored at the smallest listed probability.
    const sure = fakeModel(
      (r) => ({
        text: "A",
        logprobs: topOf(optionA(r).startsWith("GOOD") ? { A: 1, I: 1e-12 } : { B: 1, I: 1e-12 }),
      }),
      {},
      "fake:sure",
    );
    const unsure = fakeModel(
      () => ({ text: "A", logprobs: topOf({ A: 0.5, B: 0.5 }) }),
      {},
      "fake:unsure",
    );
    const panel: PanelJudge[] = [
      { model: sure, settings: methodSettings() },
      { model: unsure, settings: methodSettings() },
    ];
    const judgment = await judgePair(
      pair,
      constitution(),
      panel,
      { principles: 1, bothOrders: true },
      random(),
      new CallLedger(),
    );
    if (judgment.kind !== "judged") throw new Error(judgment.kind);
    expect(judgment.verdicts.map((verdict) => verdict.judge)).toEqual(["fake:sure", "fake:unsure"]);
    expect(judgment.probabilityFirst).toBeCloseTo(0.75, 9);
  });

  it("uses the constitution's compare-request template and the assistant prefill", async () => {
    const model = fakeModel(() => ({ text: "A", logprobs: topOf({ A: 1 }) }), {
      assistantPrefill: true,
    });
    const template = {
      name: "compare-request",
      text: "Q: {{question}}\n1: {{response_a}}\n2: {{response_b}}\nThe answer is: (",
      variables: ["question", "response_a", "response_b"],
      location: { file: "t", line: 1, column: 1 },
    };
    await judgePair(
      pair,
      constitution({ templates: { "compare-request": template } }),
      [{ model, settings: methodSettings() }],
      { principles: 1, bothOrders: false },
      random(),
      new CallLedger(),
    );
    const messages = model.requests[0]?.messages ?? [];
    expect(messages[0]?.content).toMatch(/^Q: Which reply is better by helpful\?\n1: /);
    expect(messages[1]).toEqual({ role: "assistant", content: "The answer is: (" });
  });
});
