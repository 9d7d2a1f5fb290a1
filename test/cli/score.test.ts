// `charter score` and `charter rubrics` end to end, in-process, through the real OpenAI and
// Anthropic SDKs against the local model server: each method, rule criteria (no request), per-row
// rubrics, a panel with kappa, --threshold, --pairs-from, rubric writing, bad rows, the offline demo.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, type ScriptedReply } from "../fixtures/model-server.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";

const root = resolve(import.meta.dirname, "../..");
const showcase = join(root, "constitutions/showcase.charter");

const server = useModelServer();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-score-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const charter = (...args: string[]) =>
  charterInProcess(dir, args, { ANTHROPIC_API_KEY: "test-key" });

const write = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const jsonl = (name: string, rows: readonly unknown[]): string =>
  write(name, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
const records = (path: string): Record<string, unknown>[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
const stats = (out: string) =>
  JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8")) as {
    scores: Record<string, unknown> & { criteria: Record<string, Record<string, unknown>> };
  };

/** The user text of a recorded request (OpenAI or Anthropic body). */
function askText(request: RecordedRequest): string {
  const body = request.body as { messages: { role: string; content: unknown }[] };
  const content = body.messages.findLast((message) => message.role === "user")?.content;
  if (typeof content === "string") return content;
  return (content as { text: string }[]).map((part) => part.text).join("");
}

/** The criterion a question is about and the reply it shows. */
function question(request: RecordedRequest): { criterion: string; reply: string } {
  const text = askText(request);
  return {
    criterion: /Criterion \(\w+\): (.*)/.exec(text)?.[1] ?? "",
    reply: /Assistant: ([\s\S]*?)\n\nJudge the/.exec(text)?.[1] ?? "",
  };
}

/** An OpenAI answer whose answer token is Yes or No with the given P(yes) in the top list. */
function yesNo(probabilityYes: number): ScriptedReply {
  const yes = { token: "Yes", logprob: Math.log(probabilityYes) };
  const no = { token: "No", logprob: Math.log(1 - probabilityYes) };
  const top = probabilityYes >= 0.5 ? [yes, no] : [no, yes];
  return { text: top[0]?.token ?? "Yes", tokens: [{ ...(top[0] as typeof yes), top }] };
}

/** A constitution with one rubric: two judged criteria, one rule criterion and a pitfall. */
const constitution = (): string =>
  write(
    "score.charter",
    `charter "score-test" version "1.0.0"

rubric answer {
  essential "Mentions water" weight 4
  important "Gives a time" weight 2
  essential "At most 12 words" check words(response) <= 12 weight 2
  pitfall "Uses the word definitely" weight -2
}
`,
  );

/** A deterministic grader: P(yes) 0.9 when the reply has the criterion's key word, else 0.2. */
const KEYWORDS: Record<string, RegExp> = {
  "Mentions water": /water/i,
  "Gives a time": /\d+ minutes?/i,
  "Uses the word definitely": /definitely/i,
};
const holds = (request: RecordedRequest): boolean => {
  const { criterion, reply } = question(request);
  return KEYWORDS[criterion]?.test(reply) ?? false;
};

const rows = [
  {
    id: "egg",
    prompt: "How long do I boil an egg?",
    responses: ["6 minutes in boiling water.", "Definitely ten."],
  },
];

describe("charter score", () => {
  it("logprobs: reads P(yes) at the answer token through the OpenAI SDK and scores by the formula", async () => {
    server.handle((request) => yesNo(holds(request) ? 0.9 : 0.2));
    const input = jsonl("rows.jsonl", [
      {
        id: "one",
        prompt: "How long do I boil an egg?",
        response: "6 minutes in boiling water.",
      },
    ]);
    const { code, stdout } = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(code, stdout).toBe(0);
    // Three judged criteria, one reply: three requests, each asking for top log-probabilities.
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      const body = request.body as { logprobs?: boolean; top_logprobs?: number };
      expect(body.logprobs).toBe(true);
      expect(body.top_logprobs).toBeGreaterThan(0);
    }
    const [record] = records(join(dir, "run/scores.jsonl"));
    const criteria = (
      record?.["replies"] as { criteria: { probability: number; method: string }[] }[]
    )[0]?.criteria;
    expect(criteria?.map((criterion) => [criterion.method, criterion.probability])).toEqual([
      ["logprobs", 0.9],
      ["logprobs", 0.9],
      ["rule", 1],
      ["logprobs", 0.2],
    ]);
    // (4·0.9 + 2·0.9 + 2·1 − 2·0.2) / (4 + 2 + 2)
    expect(record?.["score"]).toBeCloseTo((3.6 + 1.8 + 2 - 0.4) / 8, 6);
    expect(record?.["rubric"]).toBe("answer");
    expect(record?.["rubric_hash"]).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("vote: the fraction of sampled Yes answers, through the Anthropic SDK", async () => {
    let n = 0;
    server.handle(() => ({ text: ++n % 3 === 0 ? "No." : "Yes, it does." }));
    const input = jsonl("rows.jsonl", [
      {
        id: "one",
        prompt: "Q?",
        response: "Water.",
        rubric: [{ criterion: "Mentions water", weight: 1 }],
      },
    ]);
    const { code } = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "anthropic:claude-test",
      "--base-url",
      server.anthropicBaseUrl,
      "--method",
      "vote",
      "--samples",
      "3",
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.format === "anthropic")).toBe(true);
    const [record] = records(join(dir, "run/scores.jsonl"));
    expect(record?.["score"]).toBeCloseTo(2 / 3, 6);
    const criterion = (record?.["replies"] as { criteria: Record<string, unknown>[] }[])[0]
      ?.criteria[0];
    expect(criterion).toMatchObject({
      method: "vote",
      judges: [{ judge: "anthropic:claude-test", yes: 2, no: 1 }],
    });
  });

  it("scale: 0-10 scores averaged over samples and divided by 10", async () => {
    let n = 0;
    server.handle(() => ({ text: ++n % 2 === 0 ? "Score: 6/10" : "8" }));
    const input = jsonl("rows.jsonl", [
      {
        id: "one",
        prompt: "Q?",
        response: "Water.",
        rubric: [{ criterion: "Mentions water", weight: 1, kind: "essential" }],
      },
    ]);
    const { code } = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--method",
      "scale",
      "--samples",
      "2",
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(askText(server.requests[0] as RecordedRequest)).toMatch(/from 0 \(not at all\) to 10/);
    const [record] = records(join(dir, "run/scores.jsonl"));
    expect(record?.["score"]).toBeCloseTo(0.7, 6);
  });

  it("takes the method, samples and essential cap from the constitution's defaults", async () => {
    let n = 0;
    server.handle(() => ({ text: ++n % 2 === 0 ? "No" : "Yes" }));
    const withDefaults = write(
      "defaults.charter",
      `charter "d" version "1.0.0"
defaults {
  score-method vote
  samples 2
  essential-cap 0.2
}
rubric r {
  essential "Mentions water" weight 1
}
`,
    );
    const input = jsonl("rows.jsonl", [{ id: "one", prompt: "Q?", response: "Water." }]);
    const { code } = await charter(
      "score",
      "--constitution",
      withDefaults,
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(
      server.requests.every(
        (request) => (request.body as { logprobs?: boolean }).logprobs !== true,
      ),
    ).toBe(true);
    // One yes of two: p = 0.5 is not below the 0.5 threshold, so no cap; the manifest records the settings.
    expect(records(join(dir, "run/scores.jsonl"))[0]).toMatchObject({ score: 0.5 });
    const manifest = JSON.parse(readFileSync(join(dir, "run/manifest.json"), "utf8"));
    expect(manifest.settings).toMatchObject({
      essentialCap: 0.2,
      judges: [{ method: "vote", samples: 2 }],
    });
  });

  it("refuses a changed input on resume, and scores rows added at the end with --extend", async () => {
    const rows = [{ id: "a", prompt: "Q?", response: "Water." }];
    const input = jsonl("rows.jsonl", rows);
    const args = [
      "score",
      "--constitution",
      showcase,
      "--input",
      input,
      "--judge",
      "offline:rehearsal",
      "--out",
      "run",
      "--quiet",
    ];
    expect((await charter(...args)).code).toBe(0);
    jsonl("rows.jsonl", [...rows, { id: "b", prompt: "Why?", response: "Because." }]);
    const refused = await charter(...args);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr + refused.stdout).toMatch(
      /was run on other input, so it cannot be resumed/,
    );
    const extended = await charter(...args, "--extend");
    expect(extended.code, extended.stdout).toBe(0);
    expect(records(join(dir, "run/scores.jsonl")).map((record) => record["id"])).toEqual([
      "a",
      "b",
    ]);
  });

  it("a rubric of rule criteria sends no request at all", async () => {
    const rules = write(
      "rules.charter",
      `charter "rules" version "1.0.0"
rubric short {
  essential "At most 5 words" check words(response) <= 5 weight 3
  pitfall "Links out" check response matches /https?:/ weight -1
}
`,
    );
    const input = jsonl("rows.jsonl", [
      { id: "short", prompt: "Hi", response: "Hello there." },
      {
        id: "long",
        prompt: "Hi",
        response: "Hello there, see https://example.com for more words.",
      },
    ]);
    const { code } = await charter(
      "score",
      "--constitution",
      rules,
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(records(join(dir, "run/scores.jsonl")).map((record) => record["score"])).toEqual([1, 0]);
    expect(stats("run").scores.criteria["short#1"]).toMatchObject({ rule: true, passRate: 0.5 });
  });

  it("a row's own rubric is used and checked; a bad one stops the run naming its line", async () => {
    server.handle((request) => yesNo(holds(request) ? 0.9 : 0.2));
    const good = {
      id: "own",
      prompt: "Q?",
      response: "Water.",
      rubric: [
        { criterion: "Mentions water", weight: 2 },
        { criterion: "Uses the word definitely", weight: -1 },
      ],
    };
    const input = jsonl("rows.jsonl", [
      good,
      { id: "bad", prompt: "Q?", response: "x", rubric: [{ criterion: "Fine", weight: "heavy" }] },
    ]);
    const stopped = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`${input}:2: rubric[0].weight must be a non-zero number`);
    const empty = jsonl(
      "empty.jsonl",
      [good, good, { prompt: "Q?", response: "x", rubric: [{ criterion: " ", weight: 1 }] }].map(
        (row, i) => ({ ...row, id: `r${i}` }),
      ),
    );
    const skipped = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      empty,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "skip",
      "--quiet",
      "--skip-invalid",
    );
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain(`${empty}:3: rubric[0].criterion must be a non-empty string`);
    const [record] = records(join(dir, "skip/scores.jsonl"));
    expect(record).toMatchObject({ rubric: "row", rubric_from: "row" });
    expect(record?.["score"]).toBeCloseTo((2 * 0.9 - 0.2) / 2, 6);
  });

  it("a panel averages per criterion and reports each criterion's kappa", async () => {
    // Judge a agrees with the grader; judge b says yes to everything.
    server.handle((request) => {
      const model = (request.body as { model: string }).model;
      return yesNo(model === "b" || holds(request) ? 0.9 : 0.2);
    });
    const input = jsonl("rows.jsonl", rows);
    const { code, stdout } = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "openai:a",
      "--judge",
      "openai:b",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/judge agreement \(Fleiss' kappa\)/);
    const criteria = stats("run").scores.criteria;
    // "Mentions water": a says yes/no on the two replies, b yes/yes: agreement 1/2.
    expect(criteria["answer#1"]?.["agreement"]).toMatchObject({ rated: 2, observed: 0.5 });
    // Cohen: pₒ = 0.5, pₑ = 0.5·1 + 0.5·0 = 0.5 → 0; Fleiss: p = 3/4, Pₑ = 0.625 → −1/3.
    expect(criteria["answer#1"]?.["agreement"]).toMatchObject({
      fleissKappa: -0.333333,
      cohen: [{ judges: ["openai:a", "openai:b"], observed: 0.5, kappa: 0 }],
    });
    expect(criteria["answer#3"]?.["agreement"]).toBeUndefined(); // a rule: no judges to agree
    const [record] = records(join(dir, "run/scores.jsonl"));
    const first = (
      record?.["replies"] as { criteria: { probability: number; judges: unknown[] }[] }[]
    )[1]?.criteria[0];
    expect(first?.probability).toBeCloseTo((0.2 + 0.9) / 2, 6);
    expect(first?.judges).toHaveLength(2);
  });

  it("--threshold keeps rows as read and drops the rest with the reason; --essential-cap caps", async () => {
    server.handle((request) => yesNo(holds(request) ? 0.9 : 0.2));
    const input = jsonl("rows.jsonl", [
      { id: "good", prompt: "Q?", response: "6 minutes in boiling water." },
      { id: "bad", prompt: "Q?", response: "Definitely ten." },
      {
        id: "pair",
        prompt: "Q?",
        chosen: "Definitely ten.",
        rejected: "6 minutes in boiling water.",
      },
    ]);
    const { code, stdout } = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      input,
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "run",
      "--quiet",
      "--threshold",
      "0.5",
      "--essential-cap",
      "0.1",
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/kept 1 · dropped 2/);
    expect(records(join(dir, "run/kept.jsonl"))).toEqual([
      { id: "good", prompt: "Q?", response: "6 minutes in boiling water." },
    ]);
    const dropped = records(join(dir, "run/dropped.jsonl"));
    expect(dropped.map((record) => record["id"])).toEqual(["bad", "pair"]);
    expect(dropped[0]).toMatchObject({ score: 0.1, threshold: 0.5, line: 2, row: { id: "bad" } });
    expect(dropped[0]?.["reason"]).toMatch(
      /^score 0.1 < threshold 0.5: capped at 0.1 for missing essential "Mentions water" \(p=0.2\)/,
    );
    const pair = records(join(dir, "run/scores.jsonl"))[2];
    expect(pair).toMatchObject({ agrees_with_given: false });
    expect(stats("run").scores["agreementWithGiven"]).toBe(0);
  });

  it("--pairs-from best-worst and all make preference pairs in Phase 2's layouts, ties apart", async () => {
    server.handle((request) => yesNo(holds(request) ? 0.9 : 0.2));
    const input = jsonl("rows.jsonl", [
      {
        id: "three",
        prompt: "Q?",
        responses: ["Definitely ten.", "6 minutes in boiling water.", "Boil it in water."],
      },
      { id: "same", prompt: "Q?", responses: ["Water.", "Water!"] },
    ]);
    const run = (out: string, ...extra: string[]) =>
      charter(
        "score",
        "--constitution",
        constitution(),
        "--input",
        input,
        "--judge",
        "openai:grader",
        "--base-url",
        server.openaiBaseUrl,
        "--out",
        out,
        "--quiet",
        ...extra,
      );
    expect((await run("bw", "--pairs-from", "best-worst")).code).toBe(0);
    const best = records(join(dir, "bw/preferences.jsonl"));
    expect(best).toHaveLength(1);
    expect(best[0]).toMatchObject({
      id: "three:0-1",
      chosen: "6 minutes in boiling water.",
      rejected: "Definitely ten.",
      rubric: "answer",
    });
    expect(best[0]?.["margin"]).toBeCloseTo(
      (best[0]?.["chosen_score"] as number) - (best[0]?.["rejected_score"] as number),
      6,
    );
    expect(records(join(dir, "bw/ties.jsonl")).map((tie) => tie["id"])).toEqual(["same:0-1"]);
    expect((await run("all", "--pairs-from", "all", "--format", "openai-dpo")).code).toBe(0);
    const all = records(join(dir, "all/preferences.jsonl"));
    expect(all).toHaveLength(3);
    expect(Object.keys(all[0] ?? {}).sort()).toEqual([
      "input",
      "non_preferred_output",
      "preferred_output",
    ]);
    expect(stats("all").scores["pairs"]).toEqual({ pairs: 4, preferences: 3, ties: 1 });
  });

  it("reports a row no rubric applies to, and refuses logprobs from Anthropic before any call", async () => {
    const guarded = write(
      "guarded.charter",
      `charter "g" version "1.0.0"
rubric questions {
  when prompt matches /\\?/
  essential "Short" check words(response) < 5 weight 1
}
`,
    );
    const input = jsonl("rows.jsonl", [
      { id: "q", prompt: "Why?", response: "Because." },
      { id: "s", prompt: "Tell me.", response: "No." },
    ]);
    const run = await charter(
      "score",
      "--constitution",
      guarded,
      "--input",
      input,
      "--judge",
      "offline:rehearsal",
      "--out",
      "run",
      "--quiet",
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /s: no-rubric: no rubric applies to this row: .*questions \(when prompt matches/,
    );
    expect(records(join(dir, "run/scores.jsonl")).map((record) => record["id"])).toEqual(["q"]);
    const refused = await charter(
      "score",
      "--constitution",
      guarded,
      "--input",
      input,
      "--judge",
      "anthropic:claude-test",
      "--method",
      "logprobs",
      "--base-url",
      server.anthropicBaseUrl,
      "--out",
      "refused",
      "--quiet",
    );
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/anthropic:claude-test gives no token log-probabilities/);
    expect(server.requests).toHaveLength(0);
  });

  it("the README example runs offline: the showcase rubrics with offline:rehearsal, the same bytes twice", async () => {
    const args = (out: string) => [
      "score",
      "--constitution",
      showcase,
      "--input",
      join(root, "examples/pairs.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--out",
      out,
      "--pairs-from",
      "best-worst",
      "--threshold",
      "0.5",
      "--quiet",
      "--no-cache",
    ];
    const first = await charter(...args("one"));
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toMatch(/rubrics factual-answer 8, general-reply 2/);
    expect(first.stdout).toMatch(/rehearsal: offline:rehearsal answers are stand-ins/);
    expect((await charter(...args("two"))).code).toBe(0);
    for (const file of ["scores.jsonl", "kept.jsonl", "preferences.jsonl", "ties.jsonl"])
      expect(readFileSync(join(dir, "two", file), "utf8")).toBe(
        readFileSync(join(dir, "one", file), "utf8"),
      );
    const scored = records(join(dir, "one/scores.jsonl"));
    // The showcase's rule criterion is scored by its rule in every factual-answer row.
    for (const record of scored.filter((row) => row["rubric"] === "factual-answer"))
      for (const reply of record["replies"] as { criteria: { method: string; check?: string }[] }[])
        expect(reply.criteria[1]).toMatchObject({
          method: "rule",
          check: "words(response) <= 300",
        });
  });
  it("reads Phase 1's sft.jsonl and pairs.jsonl as they are, and rows that name a rubric", async () => {
    const revised = await charter(
      "revise",
      "--constitution",
      showcase,
      "--prompts",
      join(root, "examples/prompts.jsonl"),
      "--model",
      "offline:rehearsal",
      "--out",
      "p1",
      "--quiet",
      "--format",
      "openai",
    );
    expect(revised.code, revised.stdout).toBe(0);
    const sft = await charter(
      "score",
      "--constitution",
      showcase,
      "--input",
      join(dir, "p1/sft.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--rubric",
      "general-reply",
      "--out",
      "sft",
      "--quiet",
    );
    expect(sft.code, sft.stdout).toBe(0);
    const sftRows = records(join(dir, "p1/sft.jsonl")).length;
    expect(records(join(dir, "sft/scores.jsonl"))).toHaveLength(sftRows);
    const pairs = await charter(
      "score",
      "--constitution",
      showcase,
      "--input",
      join(dir, "p1/pairs.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--out",
      "pairs",
      "--quiet",
    );
    expect(pairs.code, pairs.stdout).toBe(0);
    for (const record of records(join(dir, "pairs/scores.jsonl")))
      expect(record).toMatchObject({ agrees_with_given: expect.any(Boolean) as boolean });
    const named = jsonl("named.jsonl", [
      { id: "n", prompt: "Why?", response: "Because.", rubric: "general-reply" },
    ]);
    expect(
      (
        await charter(
          "score",
          "--constitution",
          showcase,
          "--input",
          named,
          "--judge",
          "offline:rehearsal",
          "--out",
          "named",
          "--quiet",
        )
      ).code,
    ).toBe(0);
    expect(records(join(dir, "named/scores.jsonl"))[0]).toMatchObject({
      rubric: "general-reply",
      rubric_from: "row",
    });
  });

  it("shards and merges to the files of an unsharded run, with the score stats", async () => {
    const base = [
      "score",
      "--constitution",
      showcase,
      "--input",
      join(root, "examples/pairs.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--judge",
      "offline:rehearsal",
      "--pairs-from",
      "all",
      "--quiet",
    ];
    expect((await charter(...base, "--out", "whole")).code).toBe(0);
    expect((await charter(...base, "--out", "s0", "--shard", "0/2")).code).toBe(0);
    expect((await charter(...base, "--out", "s1", "--shard", "1/2")).code).toBe(0);
    expect((await charter("merge", "--out", "merged", "s0", "s1")).code).toBe(0);
    for (const file of ["scores.jsonl", "preferences.jsonl", "ties.jsonl"])
      expect(readFileSync(join(dir, "merged", file), "utf8")).toBe(
        readFileSync(join(dir, "whole", file), "utf8"),
      );
    expect(stats("merged").scores).toEqual(stats("whole").scores);
  });
});

describe("charter rubrics", () => {
  it("writes a checked rubric per prompt, re-asking with the problem, and charter score reads the rows", async () => {
    const answers = [
      "Here you go: not json",
      JSON.stringify([
        { criterion: "Mentions water", kind: "essential", weight: 5 },
        { criterion: "mentions water", weight: 2 },
      ]),
      "```json\n" +
        JSON.stringify([
          { criterion: "Mentions water", kind: "essential", weight: 5 },
          { criterion: "Uses the word definitely", kind: "pitfall", weight: -2 },
        ]) +
        "\n```",
    ];
    let n = 0;
    server.handle((request) => {
      if (request.rawBody.includes("grading rubric for replies"))
        return { text: answers[Math.min(n++, 2)] as string };
      return yesNo(holds(request) ? 0.9 : 0.2);
    });
    const prompts = jsonl("prompts.jsonl", [
      {
        id: "egg",
        prompt: "How long do I boil an egg?",
        answer: "Six minutes.",
        response: "6 minutes in boiling water.",
      },
    ]);
    const written = await charter(
      "rubrics",
      "--prompts",
      prompts,
      "--model",
      "openai:writer",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "rub",
      "--quiet",
      "--min",
      "2",
      "--max",
      "4",
      "--reference",
      "answer",
    );
    expect(written.code, written.stdout).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(askText(server.requests[0] as RecordedRequest)).toMatch(
      /A reference answer.*\nSix minutes\./,
    );
    expect(askText(server.requests[0] as RecordedRequest)).toMatch(/between 2 and 4 criteria/);
    // The second attempt saw its own reply and what was wrong with it.
    const retry = (server.requests[2]?.body as { messages: { content: string }[] }).messages;
    expect(retry.at(-1)?.content).toMatch(/rubric\[1\]\.criterion repeats rubric\[0\]/);
    const [row] = records(join(dir, "rub/rubrics.jsonl"));
    expect(row).toMatchObject({
      id: "egg",
      answer: "Six minutes.",
      rubric: [
        { criterion: "Mentions water", kind: "essential", weight: 5 },
        { kind: "pitfall", weight: -2 },
      ],
    });
    server.reset();
    const scored = await charter(
      "score",
      "--constitution",
      constitution(),
      "--input",
      join(dir, "rub/rubrics.jsonl"),
      "--judge",
      "openai:grader",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "scored",
      "--quiet",
    );
    expect(scored.code).toBe(0);
    expect(records(join(dir, "scored/scores.jsonl"))[0]).toMatchObject({
      id: "egg",
      rubric: "row",
    });
  });

  it("offline:rehearsal writes marked rubrics of the asked size, which score offline", async () => {
    const written = await charter(
      "rubrics",
      "--prompts",
      join(root, "examples/prompts.jsonl"),
      "--model",
      "offline:rehearsal",
      "--out",
      "rub",
      "--quiet",
      "--min",
      "3",
      "--max",
      "5",
    );
    expect(written.code, written.stdout).toBe(0);
    expect(written.stdout).toMatch(/rehearsal: offline:rehearsal rubrics are stand-ins/);
    const rows = records(join(dir, "rub/rubrics.jsonl"));
    for (const row of rows) {
      const rubric = row["rubric"] as { criterion: string }[];
      expect(rubric).toHaveLength(3);
      for (const criterion of rubric) expect(criterion.criterion).toMatch(/^\[rehearsal\] /);
    }
    const withReplies = jsonl(
      "with-replies.jsonl",
      rows.map((row) => ({ ...row, response: "A careful answer." })),
    );
    const scored = await charter(
      "score",
      "--constitution",
      showcase,
      "--input",
      withReplies,
      "--judge",
      "offline:rehearsal",
      "--method",
      "scale",
      "--samples",
      "2",
      "--out",
      "scored",
      "--quiet",
    );
    expect(scored.code, scored.stdout).toBe(0);
    expect(records(join(dir, "scored/scores.jsonl"))).toHaveLength(rows.length);
  });

  it("a rubric cut by the token limit is asked again with a larger budget (--truncation-retry)", async () => {
    const rubric = JSON.stringify([
      { criterion: "Mentions water", kind: "essential", weight: 5 },
      { criterion: "Is rude", weight: -1 },
    ]);
    server.script({ text: rubric.slice(0, 20), finishReason: "length" }, { text: rubric });
    const prompts = write("prompts.txt", "How long do I boil an egg?\n");
    const { code, stdout } = await charter(
      "rubrics",
      "--prompts",
      prompts,
      "--model",
      "openai:writer",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "rub",
      "--quiet",
      "--min",
      "2",
      "--max-tokens",
      "100",
    );
    expect(code, stdout).toBe(0);
    const budgets = server.requests.map(
      (request) => request.body as { max_tokens?: number; max_completion_tokens?: number },
    );
    expect(budgets.map((body) => body.max_completion_tokens ?? body.max_tokens)).toEqual([
      100, 400,
    ]);
    server.reset();
    server.script({ text: rubric.slice(0, 20), finishReason: "length" });
    const off = await charter(
      "rubrics",
      "--prompts",
      prompts,
      "--model",
      "openai:writer",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "off",
      "--quiet",
      "--min",
      "2",
      "--max-tokens",
      "100",
      "--truncation-retry",
      "off",
      "--no-cache",
    );
    expect(off.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(off.stdout).toMatch(/truncated/);
  });

  it("resumes: a finished folder is left untouched and sends nothing", async () => {
    const prompts = write("prompts.txt", "Why is the sky blue?\nHow do tides work?\n");
    const args = [
      "rubrics",
      "--prompts",
      prompts,
      "--model",
      "offline:rehearsal",
      "--out",
      "rub",
      "--quiet",
      "--min",
      "2",
    ];
    expect((await charter(...args)).code).toBe(0);
    const before = readFileSync(join(dir, "rub/rubrics.jsonl"), "utf8");
    const again = await charter(...args);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/is already complete: nothing was sent/);
    expect(readFileSync(join(dir, "rub/rubrics.jsonl"), "utf8")).toBe(before);
  });

  it("reports a prompt whose rubric stays invalid after the retries", async () => {
    server.handle(() => ({ text: "[]" }));
    const prompts = write("prompts.txt", "Why is the sky blue?\n");
    const { code, stdout } = await charter(
      "rubrics",
      "--prompts",
      prompts,
      "--model",
      "openai:writer",
      "--base-url",
      server.openaiBaseUrl,
      "--out",
      "rub",
      "--quiet",
      "--retries",
      "1",
    );
    expect(code).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(stdout).toMatch(
      /invalid-rubric: after 2 attempt\(s\): 'rubric' must be a non-empty list/,
    );
  });
});
