// End to end: runJudge through the real OpenAI and Anthropic SDKs against the local model server,
// writing a real run folder through the shared engine.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CompiledConstitution, Expr } from "../../src/dsl/index.js";
import { createModel, splitServedModels } from "../../src/providers/index.js";
import {
  JudgeCapabilityError,
  runJudge,
  type JudgeRunOptions,
  type MethodSettings,
  type PanelJudge,
} from "../../src/phase2-preference/index.js";
import { type RecordedRequest, type ScriptedReply } from "../fixtures/model-server.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { constitution, methodSettings, principle, rule } from "./helpers.js";

const server = useModelServer();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-judge-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const noLinks: Expr = {
  kind: "not",
  operand: {
    kind: "binary",
    op: "matches",
    left: { kind: "field", name: "response" },
    right: { kind: "regex", source: "https?://", flags: "" },
  },
};
const twoPrinciples = constitution({
  principles: [principle("harm.general"), principle("honesty")],
  rules: [
    rule("no-links", [
      { kind: "prefer", expr: noLinks, source: "not (response matches /https?:\\/\\//)" },
    ]),
  ],
});

function judge(
  provider: "openai" | "anthropic",
  fields: Partial<MethodSettings> = {},
  name = "judge-test",
): PanelJudge {
  const model = createModel(`${provider}:${name}`, {
    baseUrl: provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl,
    apiKey: "test-key",
    env: {},
    cwd: dir,
    cacheDir: join(dir, "cache"),
    maxRetries: 0,
  });
  return { model, settings: methodSettings(fields) };
}

function writeRows(rows: readonly unknown[]): string {
  const file = join(dir, "pairs.jsonl");
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return file;
}

function options(
  file: string,
  panel: readonly PanelJudge[],
  fields: Partial<JudgeRunOptions> = {},
  rules: CompiledConstitution = twoPrinciples,
): JudgeRunOptions {
  return {
    dir: join(dir, "run"),
    constitution: rules,
    panel,
    source: { kind: "pairs", file },
    pair: { principles: 2, bothOrders: true },
    pairing: "all",
    tieMargin: 0.05,
    format: "trl",
    seed: 7,
    concurrency: 4,
    ...fields,
  };
}

const readJsonl = (path: string): Record<string, unknown>[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The last user message of a request, and the text shown as option (A) and (B). */
function shown(request: RecordedRequest): { a: string; b: string } {
  const body = request.body as { messages?: { role: string; content: unknown }[] };
  const users = (body.messages ?? []).filter((message) => message.role === "user");
  const last = users.at(-1)?.content;
  // Anthropic's last user turn comes as text blocks (marked for the prompt cache).
  const text =
    typeof last === "string"
      ? last
      : Array.isArray(last)
        ? last.map((part: { text?: string }) => part.text ?? "").join("")
        : JSON.stringify(last);
  return {
    a: /\(A\) ([^\n]*)/.exec(text)?.[1] ?? "",
    b: /\(B\) ([^\n]*)/.exec(text)?.[1] ?? "",
  };
}

/** A logprobs reply whose first position lists these tokens with these probabilities. */
function topReply(entries: Record<string, number>): ScriptedReply {
  const top = Object.entries(entries).map(([token, p]) => ({ token, logprob: Math.log(p) }));
  const best = top[0] ?? { token: "A", logprob: 0 };
  return { text: best.token, tokens: [{ token: best.token, logprob: best.logprob, top }] };
}

/** A judge that prefers the option containing GOOD, with the given confidence. */
const prefersGood =
  (confidence: number, tokenA = "A", tokenB = "B") =>
  (request: RecordedRequest): ScriptedReply => {
    const { a } = shown(request);
    const pA = a.includes("GOOD") ? confidence : 1 - confidence;
    return topReply({ [tokenA]: pA, [tokenB]: 1 - pA });
  };

describe("runJudge end to end (OpenAI wire format, logprobs)", () => {
  it("reads letters with spaces and parentheses, writes TRL records in input order", async () => {
    server.handle(prefersGood(0.9, " (A", "B)"));
    const file = writeRows([
      { id: "one", prompt: "p1", responses: ["BAD reply", "GOOD reply"] },
      { id: "two", prompt: "p2", responses: ["GOOD reply", "BAD reply"] },
    ]);
    const { summary, stats } = await runJudge(options(file, [judge("openai")]));
    expect(summary.failed).toBe(0);
    const records = readJsonl(join(dir, "run", "preferences.jsonl"));
    expect(records.map((record) => [record.id, record.chosen, record.rejected])).toEqual([
      ["one:0-1", "GOOD reply", "BAD reply"],
      ["two:0-1", "GOOD reply", "BAD reply"],
    ]);
    expect(records[0]).toMatchObject({
      prompt: "p1",
      probability: 0.9,
      margin: 0.8,
      decided_by: "judge",
    });
    // 2 pairs × 2 principles × 2 orders, each asked once with top_logprobs.
    expect(server.requests).toHaveLength(8);
    expect((server.requests[0]?.body as { top_logprobs?: number }).top_logprobs).toBe(20);
    expect(stats).toMatchObject({
      preferences: 2,
      ties: 0,
      positionConsistency: 1,
      meanConfidence: 0.9,
    });
    const written = JSON.parse(readFileSync(join(dir, "run", "stats.json"), "utf8"));
    // Both principles favour GOOD: second reply on "one", first on "two".
    expect(stats.kappa.principles).toEqual({ pairs: 2, observed: 1, kappa: 1 });
    // Each principle against the label of the other alone: here they always agree.
    expect(written.preferences.principles["harm.general"]).toEqual({
      verdicts: 2,
      leaveOneOut: { compared: 2, agreement: 1, othersTied: 0 },
    });
  });

  it("floors a letter missing from the top list at the smallest listed probability", async () => {
    server.handle((request) =>
      shown(request).a.includes("GOOD")
        ? topReply({ A: 0.7, " A": 0.2, I: 0.01 })
        : topReply({ B: 0.9, The: 0.02 }),
    );
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    await runJudge(options(file, [judge("openai")], { pair: { principles: 1, bothOrders: true } }));
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    // Not a hard 1: each order leaves the unlisted letter its upper bound.
    const first = 0.9 / 0.91;
    const second = 1 - 0.02 / 0.92;
    expect(record?.probability).toBeCloseTo((first + second) / 2, 6);
    const orders = (record?.verdicts as { orders: Record<string, unknown>[] }[])[0]?.orders;
    expect(orders?.[0]).toMatchObject({ order: "first-as-a", missing: "B", missingBound: 0.01 });
    expect(orders?.[1]).toMatchObject({ order: "second-as-a", missing: "A", missingBound: 0.02 });
  });

  it("reads P(A) at the token that is the answer letter, past a generated '('", async () => {
    // Position 0 generated "(" with A and B as alternatives; position 1 is the answer: B.
    server.handle(() => ({
      text: "(B",
      tokens: [
        {
          token: "(",
          logprob: Math.log(0.9),
          top: [
            { token: "(", logprob: Math.log(0.9) },
            { token: "A", logprob: Math.log(0.06) },
            { token: "B", logprob: Math.log(0.01) },
          ],
        },
        {
          token: "B",
          logprob: Math.log(0.8),
          top: [
            { token: "B", logprob: Math.log(0.8) },
            { token: " B", logprob: Math.log(0.1) },
            { token: ")", logprob: Math.log(0.01) },
          ],
        },
      ],
    }));
    const file = writeRows([{ id: "x", prompt: "p", responses: ["first", "second"] }]);
    await runJudge(
      options(file, [judge("openai")], { pair: { principles: 1, bothOrders: false } }),
    );
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    const [order] = (record?.verdicts as { orders: Record<string, number>[] }[])[0]!.orders;
    const probabilityA = 0.01 / 0.91;
    expect(order).toMatchObject({ answerPosition: 1, missing: "A", massB: 0.9 });
    expect(order?.["probability_first"]).toBeCloseTo(
      order?.["order"] === ("first-as-a" as unknown) ? probabilityA : 1 - probabilityA,
      6,
    );
    expect(record?.probability).toBeCloseTo(1 - probabilityA, 6);
  });

  it("stops the run, naming the judge and --method vote, when the server returns no top_logprobs", async () => {
    // A server that ignores top_logprobs: every position carries only the generated token.
    server.handle(() => ({ text: "A", tokens: [{ token: "A", logprob: -0.01, top: [] }] }));
    const file = writeRows([
      { id: "x", prompt: "p", responses: ["GOOD", "BAD"] },
      { id: "y", prompt: "q", responses: ["GOOD", "BAD"] },
    ]);
    const run = runJudge(options(file, [judge("openai")], { concurrency: 1 }));
    await expect(run).rejects.toBeInstanceOf(JudgeCapabilityError);
    await expect(run).rejects.toThrow(
      `openai:judge-test at ${server.openaiBaseUrl} answered without top log-probabilities`,
    );
    await expect(run).rejects.toThrow(/--method vote/);
    expect(readFileSync(join(dir, "run", "preferences.jsonl"), "utf8")).toBe("");
    // Nothing was recorded as done: with a server that returns them, the same folder resumes
    // (the cached replies without alternatives are cleared first, as a user changing servers).
    rmSync(join(dir, "cache"), { recursive: true, force: true });
    server.handle(prefersGood(0.9));
    const resumed = await runJudge(options(file, [judge("openai")], { concurrency: 1 }));
    expect(resumed.summary).toMatchObject({ status: "complete", failed: 0 });
    expect(readJsonl(join(dir, "run", "preferences.jsonl"))).toHaveLength(2);
  });

  it("retries when neither letter is listed, then records the item as failed", async () => {
    server.handle(() => topReply({ I: 0.6, Sorry: 0.3 }));
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    const { summary } = await runJudge(
      options(file, [judge("openai")], { pair: { principles: 1, bothOrders: false } }),
    );
    expect(summary.failures).toEqual([
      expect.objectContaining({ id: "x", code: "unparseable-answer" }),
    ]);
    expect(server.requests).toHaveLength(2);
    expect(readFileSync(join(dir, "run", "preferences.jsonl"), "utf8")).toBe("");
  });

  it("shows a judge that favours position A as inconsistent, and its pairs as ties", async () => {
    server.handle(() => topReply({ A: 0.8, B: 0.2 }));
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    const { stats } = await runJudge(options(file, [judge("openai")]));
    expect(stats).toMatchObject({ preferences: 0, ties: 1, positionConsistency: 0 });
    const [tie] = readJsonl(join(dir, "run", "ties.jsonl"));
    expect(tie).toMatchObject({
      id: "x:0-1",
      response_a: "GOOD",
      response_b: "BAD",
      probability_a: 0.5,
    });
  });

  it("decides a pair by rule with no request to the server", async () => {
    const file = writeRows([
      { id: "link", prompt: "p", responses: ["see https://example.com", "here is the answer"] },
    ]);
    const { stats } = await runJudge(options(file, [judge("openai")]));
    expect(server.requests).toHaveLength(0);
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    expect(record).toMatchObject({
      chosen: "here is the answer",
      probability: 1,
      decided_by: "rule",
      rule: "no-links",
    });
    expect(stats.decidedByRule).toBe(1);
  });

  it("relabels chosen/rejected rows and reports agreement with the given labels", async () => {
    server.handle(prefersGood(0.8));
    const file = writeRows([
      { id: "agree", prompt: "p", chosen: "GOOD", rejected: "BAD" },
      { id: "disagree", prompt: "p", chosen: "BAD", rejected: "GOOD" },
    ]);
    const { stats } = await runJudge(options(file, [judge("openai")]));
    const records = readJsonl(join(dir, "run", "preferences.jsonl"));
    expect(records.map((record) => record.agrees_with_given)).toEqual([true, false]);
    expect(stats.agreementWithGiven).toBe(0.5);
  });

  it("judges all pairs of three replies, or each against the first", async () => {
    server.handle(prefersGood(0.9));
    const file = writeRows([
      { id: "g", prompt: "p", responses: ["GOOD 1", "BAD 2", "GOOD 3 longer"] },
    ]);
    await runJudge(
      options(file, [judge("openai")], { pair: { principles: 1, bothOrders: false } }),
    );
    const ids = (name: string) => readJsonl(join(dir, name)).map((record) => record.id);
    expect([...ids("run/preferences.jsonl"), ...ids("run/ties.jsonl")].sort()).toEqual([
      "g:0-1",
      "g:0-2",
      "g:1-2",
    ]);
    await runJudge(
      options(file, [judge("openai")], {
        dir: join(dir, "ref"),
        pairing: "reference",
        pair: { principles: 1, bothOrders: false },
      }),
    );
    expect([...ids("ref/preferences.jsonl"), ...ids("ref/ties.jsonl")].sort()).toEqual([
      "g:0-1",
      "g:0-2",
    ]);
  });

  it("writes trl-chat, openai-dpo and hh layouts", async () => {
    server.handle(prefersGood(0.9));
    const file = writeRows([{ id: "x", prompt: "Hi?", responses: ["BAD", "GOOD"] }]);
    await runJudge(options(file, [judge("openai")], { format: "openai-dpo" }));
    expect(readJsonl(join(dir, "run", "preferences.jsonl"))).toEqual([
      {
        input: { messages: [{ role: "user", content: "Hi?" }] },
        preferred_output: [{ role: "assistant", content: "GOOD" }],
        non_preferred_output: [{ role: "assistant", content: "BAD" }],
      },
    ]);
    await runJudge(options(file, [judge("openai")], { format: "hh", dir: join(dir, "hh") }));
    await runJudge(
      options(file, [judge("openai")], { format: "trl-chat", dir: join(dir, "chat") }),
    );
    expect(readJsonl(join(dir, "chat", "preferences.jsonl"))[0]).toMatchObject({
      id: "x:0-1",
      prompt: [{ role: "user", content: "Hi?" }],
      chosen: [{ role: "assistant", content: "GOOD" }],
      rejected: [{ role: "assistant", content: "BAD" }],
      probability: 0.9,
    });
    expect(readJsonl(join(dir, "hh", "preferences.jsonl"))).toEqual([
      { chosen: "\n\nHuman: Hi?\n\nAssistant: GOOD", rejected: "\n\nHuman: Hi?\n\nAssistant: BAD" },
    ]);
  });

  it("resumes: a second run sends nothing and the files stay byte-identical", async () => {
    server.handle(prefersGood(0.75));
    const file = writeRows(
      Array.from({ length: 6 }, (_, i) => ({
        id: `r${i}`,
        prompt: `p${i}`,
        responses: ["GOOD", "BAD"],
      })),
    );
    const first = await runJudge(options(file, [judge("openai")]));
    expect(first.summary.status).toBe("complete");
    const before = readFileSync(join(dir, "run", "preferences.jsonl"), "utf8");
    const sent = server.requests.length;
    const again = await runJudge(options(file, [judge("openai")]));
    expect(again.summary.status).toBe("already-complete");
    expect(server.requests).toHaveLength(sent);
    expect(readFileSync(join(dir, "run", "preferences.jsonl"), "utf8")).toBe(before);
    await expect(
      runJudge(options(file, [judge("openai")], { tieMargin: 0.2 })),
    ).rejects.toMatchObject({ code: "run-settings-differ" });
  });

  it("writes its rates and skipped rows in the engine's stats.json, which a rerun of a finished run leaves byte-identical", async () => {
    server.handle(prefersGood(0.75));
    const file = join(dir, "pairs.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({ id: "r0", prompt: "p0", responses: ["GOOD", "BAD"] }),
        "{not json",
        JSON.stringify({ id: "r1", prompt: "p1", responses: ["BAD", "GOOD"] }),
      ].join("\n") + "\n",
    );
    const first = await runJudge(options(file, [judge("openai")], { skipInvalid: true }));
    expect(first.summary.status).toBe("complete");
    const path = join(dir, "run", "stats.json");
    const before = readFileSync(path, "utf8");
    const file0 = statSync(path);
    const written = JSON.parse(before) as Record<string, unknown>;
    expect(written.preferences).toEqual(first.stats);
    expect(written.preferences).toMatchObject({ preferences: 2, positionConsistency: 1 });
    expect(written.invalidRows).toMatchObject({ count: 1, rows: [{ line: 2 }] });
    // The served model ids are listed apart, as in Phase 1.
    expect(written.counters).toEqual(splitServedModels(first.summary.counters).counters);
    expect(written.servedModels).toEqual(["judge-test"]);
    const again = await runJudge(options(file, [judge("openai")], { skipInvalid: true }));
    expect(again.summary.status).toBe("already-complete");
    expect(again.stats).toEqual(first.stats);
    expect(readFileSync(path, "utf8")).toBe(before);
    // Not even rewritten with the same bytes: an atomic write would have replaced the file.
    expect(statSync(path)).toMatchObject({ ino: file0.ino, mtimeMs: file0.mtimeMs });
  });

  it("resumes an interrupted run to the same bytes as an uninterrupted one", async () => {
    server.handle(prefersGood(0.75));
    const rows = Array.from({ length: 12 }, (_, i) => ({
      id: `r${i}`,
      prompt: `p${i}`,
      responses: i % 3 === 0 ? ["GOOD", "BAD", "GOOD too"] : ["BAD", "GOOD"],
    }));
    const file = writeRows(rows);
    const panel = [judge("openai")];
    await runJudge(options(file, panel, { dir: join(dir, "whole"), concurrency: 2 }));
    const stop = new AbortController();
    const cut = await runJudge(
      options(file, panel, {
        concurrency: 2,
        signal: stop.signal,
        onProgress: (progress) => {
          if (progress.done >= 3) stop.abort();
        },
      }),
    );
    expect(cut.summary.status).toBe("interrupted");
    const resumed = await runJudge(options(file, panel, { concurrency: 2 }));
    expect(resumed.summary.status).toBe("complete");
    expect(resumed.summary.resumed).toBeGreaterThan(0);
    for (const name of ["preferences.jsonl", "ties.jsonl"])
      expect(readFileSync(join(dir, "run", name), "utf8")).toBe(
        readFileSync(join(dir, "whole", name), "utf8"),
      );
  });

  it("gives the same bytes for the same seed from a fresh folder with cached replies", async () => {
    server.handle(prefersGood(0.75));
    const file = writeRows([{ id: "a", prompt: "p", responses: ["GOOD", "BAD", "GOOD too"] }]);
    const panel = [judge("openai")];
    await runJudge(options(file, panel, { pair: { principles: 1, bothOrders: false } }));
    await runJudge(
      options(file, panel, { dir: join(dir, "again"), pair: { principles: 1, bothOrders: false } }),
    );
    // trace.jsonl differs on purpose: it records that the second run was served from the cache.
    for (const name of ["preferences.jsonl", "ties.jsonl"])
      expect(readFileSync(join(dir, "again", name), "utf8")).toBe(
        readFileSync(join(dir, "run", name), "utf8"),
      );
  });
});

describe("runJudge statistics that can disagree", () => {
  /** Judge `x` prefers the option marked X+, judge `y` the one marked Y+, at 0.9. */
  const markedJudges = (request: RecordedRequest): ScriptedReply => {
    const mark = (request.body as { model: string }).model === "x" ? "X+" : "Y+";
    const pA = shown(request).a.includes(mark) ? 0.9 : 0.1;
    return topReply({ A: pA, B: 1 - pA });
  };

  it("reports leave-one-out agreement, Cohen's and Fleiss' kappa, and rule labels apart", async () => {
    server.handle(markedJudges);
    const file = writeRows([
      { id: "r1", prompt: "p", responses: ["X+ Y+", "plain"] },
      { id: "r2", prompt: "p", responses: ["X+ Y+", "plain"] },
      { id: "r3", prompt: "p", responses: ["plain", "X+ Y+"] },
      { id: "r4", prompt: "p", responses: ["Y+", "X+"] },
      { id: "r5", prompt: "p", responses: ["see https://example.com", "plain"] },
    ]);
    const panel = [judge("openai", {}, "x"), judge("openai", {}, "y")];
    const { stats } = await runJudge(
      options(file, panel, { pair: { principles: 1, bothOrders: true } }),
    );
    // r1–r3: both judges agree (labels at 0.9); r4: they disagree (a tie); r5: a rule decides.
    expect(stats).toMatchObject({
      preferences: 4,
      ties: 1,
      decidedByModel: 3,
      decidedByRule: 1,
      meanConfidence: 0.9, // the rule's certain label is not the judges' confidence
    });
    const loo = { verdicts: 4, leaveOneOut: { compared: 4, agreement: 0.75, othersTied: 0 } };
    expect(stats.judges).toEqual({ "openai:x": loo, "openai:y": loo });
    // x: first, first, second, second; y: first, first, second, first.
    expect(stats.kappa.cohen).toEqual([
      { judges: ["openai:x", "openai:y"], pairs: 4, observed: 0.75, kappa: 0.5 },
    ]);
    expect(stats.kappa.judges).toEqual({ pairs: 4, observed: 0.75, kappa: 0.466667 });
    // One principle per pair: nothing to compare principles with, so no number, not 1.0.
    for (const rate of Object.values(stats.principles))
      expect(rate.leaveOneOut).toMatchObject({ compared: 0, agreement: null });
    expect(stats.kappa.principles).toEqual({ pairs: 0, observed: 0, kappa: null });
    expect(stats.calibration).toBeNull();
    const written = JSON.parse(readFileSync(join(dir, "run", "stats.json"), "utf8"));
    expect(written.preferences).toEqual(stats);
  });

  it("measures calibration against given labels: a reliability table and its expected error", async () => {
    server.handle((request) => {
      const confidence = (request.body as { messages: { content: string }[] }).messages.some(
        (message) => message.content.includes("sure"),
      )
        ? 0.9
        : 0.65;
      return prefersGood(confidence)(request);
    });
    const file = writeRows([
      { id: "a", prompt: "sure", chosen: "GOOD", rejected: "BAD" },
      { id: "b", prompt: "sure", chosen: "BAD", rejected: "GOOD" },
      { id: "c", prompt: "maybe", chosen: "GOOD", rejected: "BAD" },
    ]);
    const { stats, summary } = await runJudge(
      options(file, [judge("openai")], { pair: { principles: 1, bothOrders: true } }),
    );
    expect(summary.failed).toBe(0);
    expect(stats.calibration).toEqual({
      pairs: 3,
      // (2·|0.5 − 0.9| + 1·|1 − 0.65|) / 3
      expectedCalibrationError: 0.383333,
      bins: [
        { range: [0.5, 0.6], pairs: 0, meanConfidence: null, agreement: null },
        { range: [0.6, 0.7], pairs: 1, meanConfidence: 0.65, agreement: 1 },
        { range: [0.7, 0.8], pairs: 0, meanConfidence: null, agreement: null },
        { range: [0.8, 0.9], pairs: 0, meanConfidence: null, agreement: null },
        { range: [0.9, 1], pairs: 2, meanConfidence: 0.9, agreement: 0.5 },
      ],
    });
    expect(stats).toMatchObject({
      agreementWithGiven: 0.666667,
      agreementWithGivenByModel: 0.666667,
    });
  });
});

describe("runJudge end to end (sampled methods, Anthropic)", () => {
  it("refuses logprobs from an Anthropic judge before any request", async () => {
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    await expect(runJudge(options(file, [judge("anthropic")]))).rejects.toBeInstanceOf(
      JudgeCapabilityError,
    );
    expect(server.requests).toHaveLength(0);
  });

  it("votes with an Anthropic judge, prefilling the answer cue", async () => {
    // Each distinct question gets A, A, B over its three samples: 2/3 for option (A).
    const seen = new Map<string, number>();
    server.handle((request) => {
      const key = request.rawBody.replace(/"temperature":[^,}]*/, "");
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      return { text: n % 3 === 2 ? "B) it is better" : "A)" };
    });
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    const { stats } = await runJudge(
      options(file, [judge("anthropic", { method: "vote", samples: 3 })], {
        pair: { principles: 1, bothOrders: false },
      }),
    );
    expect(server.requests).toHaveLength(3);
    const body = server.requests[0]?.body as { messages: { role: string; content: unknown }[] };
    expect(body.messages.at(-1)?.role).toBe("assistant");
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    expect(record?.probability).toBeCloseTo(2 / 3, 6);
    expect(stats.preferences).toBe(1);
  });

  it("averages a panel of OpenAI (logprobs) and Anthropic (vote) judges, with per-judge agreement", async () => {
    server.handle((request) => {
      if (request.format === "openai") return prefersGood(0.9)(request);
      // The Anthropic judge always answers (A): it agrees with the label only when GOOD is (A).
      return { text: "A)" };
    });
    const file = writeRows([{ id: "x", prompt: "p", responses: ["GOOD", "BAD"] }]);
    const { stats } = await runJudge(
      options(file, [judge("openai"), judge("anthropic", { method: "vote", samples: 1 })], {
        pair: { principles: 1, bothOrders: true },
      }),
    );
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    // openai: 0.9 for GOOD in both orders; anthropic: 1 then 0 → 0.5. Mean 0.7.
    expect(record).toMatchObject({ chosen: "GOOD", probability: 0.7 });
    // openai against anthropic's 0.5 alone: no label to agree with; anthropic (even) against
    // openai's 0.9 for GOOD: a disagreement.
    expect(stats.judges).toEqual({
      "openai:judge-test": {
        verdicts: 1,
        leaveOneOut: { compared: 0, agreement: null, othersTied: 1 },
      },
      "anthropic:judge-test": {
        verdicts: 1,
        leaveOneOut: { compared: 1, agreement: 0, othersTied: 0 },
      },
    });
    expect(stats.positionConsistency).toBe(0.5);
  });

  it("reads a bare '(B)' under --method cot as vote does", async () => {
    server.handle((request) => ({ text: shown(request).a.includes("GOOD") ? "(A)" : "(B)" }));
    const file = writeRows([{ id: "x", prompt: "p", responses: ["BAD", "GOOD"] }]);
    for (const method of ["cot", "vote"] as const) {
      const { summary } = await runJudge(
        options(file, [judge("anthropic", { method, samples: 1 })], {
          dir: join(dir, method),
          pair: { principles: 1, bothOrders: true },
        }),
      );
      expect(summary.failed, method).toBe(0);
      const [record] = readJsonl(join(dir, method, "preferences.jsonl"));
      expect(record, method).toMatchObject({ chosen: "GOOD" });
    }
  });

  it("clamps chain-of-thought verdicts into the band", async () => {
    server.handle((request) => ({
      text: `Let's think step by step. ${shown(request).a.includes("GOOD") ? "The answer is (A)" : "The answer is (B)"}`,
    }));
    const file = writeRows([{ id: "x", prompt: "p", responses: ["BAD", "GOOD"] }]);
    await runJudge(options(file, [judge("openai", { method: "cot", samples: 1 })]));
    const [record] = readJsonl(join(dir, "run", "preferences.jsonl"));
    expect(record).toMatchObject({ chosen: "GOOD", probability: 0.6 });
    expect(
      server.requests.every((request) => !String(request.rawBody).includes('"logprobs":true')),
    ).toBe(true);
  });
});
