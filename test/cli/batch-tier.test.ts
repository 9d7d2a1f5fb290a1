// `--tier batch`: the same run through OpenAI's Files + Batches and Anthropic's Message Batches
// (the test server's, through the real SDKs) writes the same dataset bytes as a standard run, pays
// for every request once, and resubmits only the requests that failed or expired.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { type RecordedRequest, type ScriptedReply } from "../fixtures/model-server.js";
import { charterInProcess } from "./charter-in-process.js";
import {
  protocolHandler,
  protocolServer,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = protocolServer();

const rows = [
  ...Array.from({ length: 10 }, (_, i) => ({
    id: `item-${i}`,
    prompt: `Prompt ${i} about a lock`,
  })),
  { id: "benign", prompt: "A benign question" },
  { id: "forbid", prompt: "Please forbid this" },
];

const POLL = { CHARTER_BATCH_POLL_SECONDS: "0.01" };

function files(out: string): Record<string, string> {
  return Object.fromEntries(
    ["sft.jsonl", "pairs.jsonl"].map((name) => [
      name,
      existsSync(join(out, name)) ? readFileSync(join(out, name), "utf8") : "<none>",
    ]),
  );
}

describe.each(["openai", "anthropic"] as const)("revise --tier batch (%s)", (provider) => {
  const args = (dir: string, out: string, ...more: string[]) => [
    ...["--constitution", join(dir, "constitution.json"), "--prompts", join(dir, "prompts.jsonl")],
    ...["--model", `${provider}:fixture-model`, "--out", join(dir, out), "--quiet"],
    ...["--base-url", provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl],
    ...["--revisions", "3", "--seed", "3", "--cache-dir", join(dir, `cache-${out}`)],
    ...more,
  ];
  const env = { ANTHROPIC_API_KEY: "k", ...POLL };

  it("writes the standard run's bytes, one batch per step, each request paid for once", async () => {
    const dir = tempDir();
    writeConstitution(dir);
    writePrompts(dir, rows);
    const standard = await revise(args(dir, "standard"), dir, env);
    expect(standard.code).toBe(0);
    const standardCalls = server.requests.length;
    server.reset();

    const batch = await revise(args(dir, "batch", "--tier", "batch"), dir, env);
    expect(batch.stderr).toBe("");
    expect(batch.code).toBe(0);
    expect(files(join(dir, "batch"))).toEqual(files(join(dir, "standard")));
    // Nothing went the standard way; every request went into a batch exactly once.
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.batches.lines).toHaveLength(standardCalls);
    // Round-synchronous: first replies, then three rounds of critiques and revisions.
    const created = server.batches.events.filter((event) => event.type === "batch-created");
    expect(created.length).toBeGreaterThanOrEqual(7);
    // Without --concurrency the batch tier keeps every item in flight (not the standard 8): the
    // first step is one batch of all the first replies.
    const first = created[0]?.type === "batch-created" ? created[0].batchId : "";
    expect(server.batches.batches.get(first)?.lines).toHaveLength(rows.length);
    const ids = new Set(server.batches.lines.map((line) => line.customId));
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    // stats.json lists the batches by model; the manifest names the tier.
    const stats = JSON.parse(readFileSync(join(dir, "batch", "stats.json"), "utf8")) as {
      batches?: Record<string, string[]>;
    };
    expect(stats.batches).toEqual({
      [`${provider}:fixture-model`]: created.map((event) =>
        event.type === "batch-created" ? event.batchId : "",
      ),
    });
    const manifest = JSON.parse(readFileSync(join(dir, "batch", "manifest.json"), "utf8")) as {
      manifestInfo: { tier?: string };
    };
    expect(manifest.manifestInfo.tier).toBe("batch");
    // The batch results filled the response cache: a standard run on it sends nothing.
    server.reset();
    const again = await revise(
      [...args(dir, "again"), "--cache-dir", join(dir, "cache-batch")],
      dir,
      env,
    );
    expect(again.code).toBe(0);
    expect(server.requests).toEqual([]);
    expect(files(join(dir, "again"))).toEqual(files(join(dir, "standard")));
  });

  it("groups the same run into the same batches, line for line (counted, not timed)", async () => {
    const dir = tempDir();
    writeConstitution(dir);
    writePrompts(dir, rows);
    const grouping = async (out: string): Promise<string[][]> => {
      server.reset();
      const run = await revise(args(dir, out, "--tier", "batch"), dir, env);
      expect(run.code).toBe(0);
      return [...server.batches.batches.values()].map((batch) =>
        batch.lines.map((line) => line.customId),
      );
    };
    const first = await grouping("first");
    expect(first.length).toBeGreaterThanOrEqual(7);
    expect(await grouping("second")).toEqual(first);
    expect(files(join(dir, "second"))).toEqual(files(join(dir, "first")));
  });

  it("resubmits only the requests that failed or expired, in a batch of their own", async () => {
    const dir = tempDir();
    writeConstitution(dir);
    writePrompts(dir, rows);
    const standard = await revise(args(dir, "standard", "--revisions", "1"), dir, env);
    expect(standard.code).toBe(0);
    server.reset();
    // The first reply of item-2 fails with a 500 the first time, item-4's expires the first time.
    const seen = new Set<string>();
    server.handle((request) => {
      const text = JSON.stringify(request.body);
      const first = (tag: string) => !seen.has(tag) && seen.add(tag) !== undefined;
      if (!text.includes("Critique") && !text.includes("Revision")) {
        if (text.includes("Prompt 2 about") && first("fail")) return { status: 500 };
        if (text.includes("Prompt 4 about") && first("expire")) return { expire: true };
      }
      return protocolHandler(request);
    });
    const batch = await revise(args(dir, "batch", "--revisions", "1", "--tier", "batch"), dir, env);
    server.handle(protocolHandler);
    expect(batch.stderr).toBe("");
    expect(batch.code).toBe(0);
    expect(files(join(dir, "batch"))).toEqual(files(join(dir, "standard")));
    // Only those two went out again (each once more, in a later batch); nothing else did, so no
    // batch was resubmitted whole. (How the retries group with other requests depends on timing.)
    const resent = [...server.batches.sent].filter(([, count]) => count > 1);
    expect(resent.map(([id]) => id.split("-")[0])).toEqual(["reply", "reply"]);
    expect(resent.every(([, count]) => count === 2)).toBe(true);
  });
});

describe("the batch tier's refusals", () => {
  it("refuses models without a batch API before any call (exit 2)", async () => {
    const dir = tempDir();
    writeConstitution(dir);
    writePrompts(dir, rows);
    const run = await revise(
      [
        ...[
          "--constitution",
          join(dir, "constitution.json"),
          "--prompts",
          join(dir, "prompts.jsonl"),
        ],
        ...[
          "--model",
          "offline:rehearsal",
          "--out",
          join(dir, "out"),
          "--tier",
          "batch",
          "--quiet",
        ],
      ],
      dir,
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--tier batch uses OpenAI's Batch API .* use --tier standard/);
  });
});

describe("the batch tier's progress and price", () => {
  it("shows batch states with counts and the expected wait, and prices calls at half", async () => {
    const dir = tempDir();
    writeConstitution(dir);
    writePrompts(dir, rows.slice(0, 3));
    // Prices for the local model, so the standard and batch costs can be compared.
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({ prices: { "openai:fixture-model": { input: 1, output: 2 } } }),
    );
    const args = (out: string, ...more: string[]) => [
      ...[
        "--constitution",
        join(dir, "constitution.json"),
        "--prompts",
        join(dir, "prompts.jsonl"),
      ],
      ...["--model", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
      ...["--out", join(dir, out), "--revisions", "1", "--cache-dir", join(dir, `cache-${out}`)],
      ...more,
    ];
    const standard = await revise([...args("standard"), "--quiet"], dir, POLL);
    expect(standard.code).toBe(0);
    // Each state lasts a few polls, so the line (redrawn off a terminal when the states change,
    // at most once a second) shows each of them.
    server.batches.options.retrievesPerState = 25;
    const batch = await revise(args("batch", "--tier", "batch"), dir, {
      CHARTER_BATCH_POLL_SECONDS: "0.05",
    });
    expect(batch.code).toBe(0);
    expect(batch.stderr).toMatch(/batches: 1 validating · wait \(at most 24 h\)/);
    expect(batch.stderr).toMatch(/batches: 1 in progress \(1\/3\) · wait ~1 min \(at most 24 h\)/);
    expect(batch.stderr).toMatch(/batches: 1 finalizing · wait ~1 min/);
    const cost = (out: string) =>
      (
        JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8")) as {
          counters: Record<string, number>;
        }
      ).counters.cost ?? 0;
    expect(cost("standard")).toBeGreaterThan(0);
    expect(cost("batch")).toBeCloseTo(cost("standard") / 2, 12);
  });
});

const root = resolve(import.meta.dirname, "../..");

/** A judge's deterministic answer: the letter follows the request's length (as sent, either tier). */
function letter(request: RecordedRequest): ScriptedReply {
  const body = request.body as { messages: unknown[] };
  // The prompt-cache marks differ by tier (a batch asks for the 1-hour lifetime): not the question.
  const question = JSON.stringify(body.messages, (key, value: unknown) =>
    key === "cache_control" ? undefined : value,
  );
  return { text: question.length % 2 === 0 ? "(A)" : "(B)" };
}

describe.each(["openai", "anthropic"] as const)("judge --tier batch (%s)", (provider) => {
  it("labels the example pairs as a standard run does, each question paid for once", async () => {
    const dir = tempDir();
    server.handle(letter);
    const judge = (out: string, ...more: string[]) =>
      charterInProcess(
        dir,
        [
          "judge",
          ...["--constitution", join(root, "constitutions/showcase.charter")],
          ...["--pairs", join(root, "examples/pairs.jsonl"), "--judge", `${provider}:judge`],
          ...["--base-url", provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl],
          ...["--method", "vote", "--samples", "3", "--out", join(dir, out), "--quiet"],
          ...["--cache-dir", join(dir, `cache-${out}`), ...more],
        ],
        { ANTHROPIC_API_KEY: "k", ...POLL },
      );
    const standard = await judge("standard");
    expect(standard.code, standard.stderr).toBe(0);
    const standardCalls = server.requests.length;
    server.reset();
    server.handle(letter);
    const batch = await judge("batch", "--tier", "batch");
    server.handle(protocolHandler);
    expect(batch.code, batch.stderr).toBe(0);
    const read = (out: string) =>
      ["preferences.jsonl", "ties.jsonl"].map((name) =>
        existsSync(join(dir, out, name)) ? readFileSync(join(dir, out, name), "utf8") : "",
      );
    expect(read("batch")).toEqual(read("standard"));
    expect(read("batch").join("")).not.toBe("");
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.batches.lines).toHaveLength(standardCalls);
  });
});

describe("score --tier batch", () => {
  it("scores rows through the Batch API's log-probabilities as a standard run does", async () => {
    const dir = tempDir();
    const rubric = join(dir, "score.charter");
    writeFileSync(
      rubric,
      `charter "score-test" version "1.0.0"
rubric answer {
  essential "Mentions water" weight 4
  important "Gives a time" weight 2
  pitfall "Uses the word definitely" weight -2
}
`,
    );
    const input = join(dir, "rows.jsonl");
    writeFileSync(
      input,
      [
        {
          id: "egg",
          prompt: "How long do I boil an egg?",
          responses: ["6 minutes in water.", "Definitely ten."],
        },
        { id: "tea", prompt: "How do I make tea?", responses: ["Pour hot water for 3 minutes."] },
      ]
        .map((row) => JSON.stringify(row))
        .join("\n") + "\n",
    );
    const grade = (request: RecordedRequest): ScriptedReply => {
      const p = JSON.stringify(request.body).length % 3 === 0 ? 0.9 : 0.2;
      const yes = { token: "Yes", logprob: Math.log(p) };
      const no = { token: "No", logprob: Math.log(1 - p) };
      const top = p >= 0.5 ? [yes, no] : [no, yes];
      return { text: top[0]?.token ?? "Yes", tokens: [{ ...(top[0] as typeof yes), top }] };
    };
    const score = (out: string, ...more: string[]) =>
      charterInProcess(
        dir,
        [
          "score",
          ...["--constitution", rubric, "--input", input, "--judge", "openai:grader"],
          ...["--base-url", server.openaiBaseUrl, "--out", join(dir, out), "--quiet"],
          ...["--pairs-from", "best-worst", "--cache-dir", join(dir, `cache-${out}`), ...more],
        ],
        POLL,
      );
    server.handle(grade);
    const standard = await score("standard");
    expect(standard.code, standard.stderr).toBe(0);
    const standardCalls = server.requests.length;
    server.reset();
    server.handle(grade);
    const batch = await score("batch", "--tier", "batch");
    server.handle(protocolHandler);
    expect(batch.code, batch.stderr).toBe(0);
    const read = (out: string) =>
      ["scores.jsonl", "preferences.jsonl"].map((name) =>
        existsSync(join(dir, out, name)) ? readFileSync(join(dir, out, name), "utf8") : "",
      );
    expect(read("batch")).toEqual(read("standard"));
    expect(read("batch")[0]).not.toBe("");
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.batches.lines).toHaveLength(standardCalls);
  });
});

/** The rubric writer's answers: a repeated criterion for the first ask about an egg, else a valid rubric. */
function rubricWriter(request: RecordedRequest): ScriptedReply {
  const body = request.body as { messages: { role: string; content: unknown }[] };
  const users = body.messages.filter((message) => message.role === "user");
  const first = JSON.stringify(users[0]?.content ?? "");
  const topic = /egg|tea|bread|rain/.exec(first)?.[0] ?? "other";
  const criterion = (name: string, weight: number) => ({
    criterion: `${name} (${topic})`,
    kind: weight < 0 ? "pitfall" : "essential",
    weight,
  });
  if (topic === "egg" && users.length === 1)
    return { text: JSON.stringify([criterion("Mentions time", 3), criterion("mentions time", 2)]) };
  return {
    text: JSON.stringify([
      criterion("Mentions time", 3),
      criterion("Names a step", 2),
      criterion("Is unsafe", -2),
    ]),
  };
}

describe.each(["openai", "anthropic"] as const)("rubrics --tier batch (%s)", (provider) => {
  it("writes the standard run's rubrics, the re-ask in a later batch, each request paid once", async () => {
    const dir = tempDir();
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(
      prompts,
      ["How long do I boil an egg?", "How do I make tea?", "How is bread baked?", "Why rain?"]
        .map((prompt, n) => JSON.stringify({ id: `p${n}`, prompt }))
        .join("\n") + "\n",
    );
    const rubrics = (out: string, ...more: string[]) =>
      charterInProcess(
        dir,
        [
          "rubrics",
          ...["--prompts", prompts, "--model", `${provider}:writer`, "--min", "2", "--max", "4"],
          ...["--base-url", provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl],
          ...[
            "--out",
            join(dir, out),
            "--quiet",
            "--cache-dir",
            join(dir, `cache-${out}`),
            ...more,
          ],
        ],
        { ANTHROPIC_API_KEY: "k", ...POLL },
      );
    server.handle(rubricWriter);
    const standard = await rubrics("standard");
    expect(standard.code, standard.stderr).toBe(0);
    const standardCalls = server.requests.length;
    expect(standardCalls).toBe(5); // four rubrics, one re-asked
    server.reset();
    server.handle(rubricWriter);
    const batch = await rubrics("batch", "--tier", "batch");
    server.handle(protocolHandler);
    expect(batch.code, batch.stderr).toBe(0);
    const read = (out: string) => readFileSync(join(dir, out, "rubrics.jsonl"), "utf8");
    expect(read("batch")).toBe(read("standard"));
    expect(read("batch").split("\n")).toHaveLength(5);
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.batches.lines).toHaveLength(standardCalls);
    // Round-synchronous: the four first asks together, then the one re-ask.
    expect([...server.batches.batches.values()].map((stored) => stored.lines.length)).toEqual([
      4, 1,
    ]);
  });
});
