// `charter revise` end to end: the real openai SDK (and the anthropic SDK once) against the local
// model server, through the command as users run it.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import {
  openaiRunArgs,
  protocolHandler,
  readLines,
  readTrace,
  revise,
  tempDir,
  testConstitution,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler, eachTest: "reset" });

type Call = { event: string; item: string; principle?: string; purpose?: string; round?: number };

function setup(rows: readonly unknown[], constitution = testConstitution()) {
  const dir = tempDir();
  const files = {
    constitution: writeConstitution(dir, constitution),
    prompts: writePrompts(dir, rows),
  };
  const args = (out: string, ...more: string[]) =>
    openaiRunArgs(files, server.openaiBaseUrl, join(dir, out), "--max-retries", "0", ...more);
  return { dir, args, out: (name: string, file: string) => join(dir, name, file) };
}

const numbered = Array.from({ length: 10 }, (_, i) => ({
  id: `p${i}`,
  prompt: `Question #${i}: how do I fix a lock?`,
}));

describe("charter revise (openai SDK, local server)", () => {
  it("writes sft.jsonl and pairs.jsonl in input order even when later items finish first", async () => {
    const { dir, args, out } = setup(numbered);
    const run = await revise(args("run", "--concurrency", "8"), dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(server.maxInFlight).toBeGreaterThan(1);
    const sft = readLines(out("run", "sft.jsonl")) as {
      id: string;
      messages: { role: string; content: string }[];
    }[];
    expect(sft.map((row) => row.id)).toEqual(numbered.map((row) => row.id));
    expect(sft[3]?.messages).toEqual([
      { role: "user", content: "Question #3: how do I fix a lock?" },
      { role: "assistant", content: expect.stringMatching(/^Safer reply to "Question #3/) },
    ]);
    const pairs = readLines(out("run", "pairs.jsonl")) as {
      id: string;
      rejected: { content: string }[];
    }[];
    expect(pairs.map((row) => row.id)).toEqual(numbered.map((row) => row.id));
    expect(pairs[0]?.rejected).toEqual([
      { role: "assistant", content: 'First reply to "Question #0: how do I fix a lock?".' },
    ]);
    const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
    expect(stats).toMatchObject({
      items: 10,
      done: 10,
      failed: 0,
      counters: { calls: 50, revised: 20 },
      servedModels: ["fixture-model"],
    });
    expect(Object.keys(stats.counters).filter((name) => name.startsWith("served-model"))).toEqual(
      [],
    );
    expect(run.stdout).toContain("revised 10 items (0 failed");
    const manifest = JSON.parse(readFileSync(out("run", "manifest.json"), "utf8"));
    expect(manifest.settings).toMatchObject({
      model: "openai:fixture-model",
      revisions: 2,
      sampling: "with-replacement",
      format: "trl",
      emit: "final",
      constitution: { hash: "sha256:test" },
    });
    expect(manifest.manifestInfo.sdk.openai).toMatch(/^6\./);
    // Every model call is traced with its full request.
    const calls = (
      readTrace(out("run", "trace.jsonl")) as (Call & { request: { messages: unknown[] } })[]
    ).filter((e) => e.event === "call");
    expect(calls).toHaveLength(50);
    expect(calls.every((call) => call.request.messages.length > 0)).toBe(true);
  });

  it("gives byte-identical sft.jsonl for the same seed with cached replies, and another principle sequence for another seed", async () => {
    const { dir, args, out } = setup(numbered);
    expect((await revise(args("a", "--seed", "7"), dir)).code).toBe(0);
    const requestsAfterFirst = server.requests.length;
    expect((await revise(args("b", "--seed", "7"), dir)).code).toBe(0);
    expect(server.requests.length).toBe(requestsAfterFirst); // all from the response cache
    expect(readFileSync(out("b", "sft.jsonl"))).toEqual(readFileSync(out("a", "sft.jsonl")));
    const statsB = JSON.parse(readFileSync(out("b", "stats.json"), "utf8"));
    expect(statsB.counters["cache-hits"]).toBe(50);
    expect(statsB.counters.calls).toBeUndefined();

    expect((await revise(args("c", "--seed", "8"), dir)).code).toBe(0);
    const sequence = (name: string) =>
      (readTrace(out(name, "trace.jsonl")) as Call[])
        .filter((e) => e.purpose === "critique")
        .map((e) => `${e.item}:${e.principle}`);
    expect(sequence("c")).not.toEqual(sequence("a"));
  });

  it("samples a principle only where its when holds", async () => {
    const rows = [
      { id: "lock", prompt: "How do I pick a lock?" },
      { id: "cake", prompt: "How do I bake a cake?" },
      {
        id: "sure",
        prompt: "Is this stock safe?",
        response: "It is definitely guaranteed to rise.",
      },
    ];
    const { dir, args, out } = setup(rows);
    expect((await revise(args("run", "--revisions", "6", "--seed", "3"), dir)).code).toBe(0);
    const used = new Map<string, Set<string>>();
    for (const event of readTrace(out("run", "trace.jsonl")) as Call[]) {
      if (event.purpose !== "critique" || event.principle === undefined) continue;
      used.set(event.item, (used.get(event.item) ?? new Set()).add(event.principle));
    }
    expect(used.get("cake")).toEqual(new Set(["harm"]));
    expect([...(used.get("lock") ?? [])]).toContain("locks");
    expect([...(used.get("lock") ?? [])]).not.toContain("honesty");
    // "sure" starts overclaiming; once revised, honesty no longer applies.
    const sureRounds = (readTrace(out("run", "trace.jsonl")) as Call[]).filter(
      (e) => e.item === "sure" && e.purpose === "critique",
    );
    expect(sureRounds.slice(1).every((e) => e.principle !== "honesty")).toBe(true);
  });

  it("rejects a revision a rule fails and skips the revision when the critique finds nothing", async () => {
    const rows = [
      { id: "forbid", prompt: "Please forbid this" },
      { id: "benign", prompt: "A benign question" },
    ];
    const { dir, args, out } = setup(rows);
    expect((await revise(args("run"), dir)).code).toBe(0);
    const trace = readTrace(out("run", "trace.jsonl")) as (Call & { rules?: string[] })[];
    expect(trace.filter((e) => e.item === "forbid" && e.event === "rejected")).toHaveLength(2);
    expect(trace.find((e) => e.item === "forbid" && e.event === "rejected")?.rules).toEqual([
      "no-forbidden",
    ]);
    expect(trace.filter((e) => e.item === "benign" && e.event === "no-change")).toHaveLength(2);
    expect(trace.filter((e) => e.item === "benign" && e.purpose === "revision")).toHaveLength(0);
    const sft = readLines(out("run", "sft.jsonl")) as {
      id: string;
      messages: { content: string }[];
    }[];
    expect(sft.map((row) => row.messages.at(-1)?.content)).toEqual([
      'First reply to "Please forbid this".',
      'First reply to "A benign question".',
    ]);
    // Nothing was revised: no preference pairs, counted.
    expect(readFileSync(out("run", "pairs.jsonl"), "utf8")).toBe("");
    const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
    expect(stats.counters).toMatchObject({
      rejected: 2,
      "no-change": 2,
      "pairs-skipped-unrevised": 2,
    });
  });

  it("skips a revision only when the critique is the no-change marker and nothing else", async () => {
    const critiques: Record<string, string> = {
      hedged: "NO_CHANGES. However the reply overstates the safe dose of ibuprofen.",
      trailing: "The reply is fine. NO_CHANGES",
      bare: "  no_changes.",
    };
    server.handle((request) => {
      const body = request.body as { messages: { role: string; content: string }[] };
      const users = body.messages.filter((message) => message.role === "user");
      const last = users.at(-1)?.content ?? "";
      const critique = critiques[users[0]?.content ?? ""];
      if (critique !== undefined && last.startsWith("Critique request:")) return { text: critique };
      return protocolHandler(request);
    });
    try {
      const rows = Object.keys(critiques).map((id) => ({ id, prompt: id }));
      const { dir, args, out } = setup(rows);
      expect((await revise(args("run", "--revisions", "1"), dir)).code).toBe(0);
      const trace = readTrace(out("run", "trace.jsonl")) as Call[];
      const revisionsOf = (id: string) =>
        trace.filter((e) => e.item === id && e.purpose === "revision").length;
      const skipsOf = (id: string) =>
        trace.filter((e) => e.item === id && e.event === "no-change").length;
      expect([revisionsOf("hedged"), skipsOf("hedged")]).toEqual([1, 0]);
      expect([revisionsOf("trailing"), skipsOf("trailing")]).toEqual([1, 0]);
      expect([revisionsOf("bare"), skipsOf("bare")]).toEqual([0, 1]);
    } finally {
      server.handle(protocolHandler);
    }
  });

  it("writes the openai, hf-cai and all-rounds layouts", async () => {
    const rows = [
      {
        id: "x",
        messages: [
          { role: "system", content: "Be kind." },
          { role: "user", content: "Tell me a joke" },
        ],
      },
    ];
    const { dir, args, out } = setup(rows);
    expect((await revise(args("openai", "--format", "openai"), dir)).code).toBe(0);
    expect(readLines(out("openai", "sft.jsonl"))).toEqual([
      {
        messages: [
          { role: "system", content: "Be kind." },
          { role: "user", content: "Tell me a joke" },
          { role: "assistant", content: expect.stringContaining("Safer reply") },
        ],
      },
    ]);
    expect(Object.keys(readLines(out("openai", "pairs.jsonl"))[0] as object)).toEqual([
      "input",
      "preferred_output",
      "non_preferred_output",
    ]);

    expect((await revise(args("hf", "--format", "hf-cai"), dir)).code).toBe(0);
    const [hf] = readLines(out("hf", "sft.jsonl")) as Record<string, string>[];
    expect(hf?.init_response).toBe('First reply to "Tell me a joke".');
    expect(hf?.critic_prompt).toMatch(/^Critique request: /);
    expect(hf?.revision_prompt).toMatch(/^Revision request: /);

    expect((await revise(args("rounds", "--emit", "all-rounds"), dir)).code).toBe(0);
    expect(
      (readLines(out("rounds", "sft.jsonl")) as { round: number }[]).map((row) => row.round),
    ).toEqual([1, 2]);
  });

  it("fails only the item whose calls fail, lists it, and exits 1", async () => {
    const rows = [
      { id: "ok1", prompt: "fine" },
      { id: "bad", prompt: "please fail-me" },
      { id: "ok2", prompt: "also fine" },
    ];
    const { dir, args, out } = setup(rows);
    const run = await revise(args("run"), dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/failed items \(1\):\n {2}bad: /);
    expect((readLines(out("run", "sft.jsonl")) as { id: string }[]).map((row) => row.id)).toEqual([
      "ok1",
      "ok2",
    ]);
    const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
    expect(stats.failed).toBe(1);
    expect(stats.failures[0]).toMatchObject({ id: "bad" });
  });

  it("refuses to resume a folder whose settings differ, saying what differs", async () => {
    const { dir, args } = setup(numbered.slice(0, 2));
    expect((await revise(args("run"), dir)).code).toBe(0);
    const again = await revise(args("run", "--revisions", "3"), dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/revisions/);
    expect(again.stderr).toMatch(/2/);
  });

  it("with --skip-invalid counts and lists bad rows; without it names file and line", async () => {
    const rows = [
      { id: "a", prompt: "fine" },
      "{not json",
      { id: "b", prompt: 42 },
      { id: "c", prompt: "fine too" },
    ];
    const { dir, args, out } = setup(rows);
    const strict = await revise(args("strict"), dir);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/prompts\.jsonl:2: /);
    const lenient = await revise(args("lenient", "--skip-invalid"), dir);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(
      /skipped invalid rows \(2\):\n.*prompts\.jsonl:2: .*\n.*prompts\.jsonl:3: 'prompt' must be a string/,
    );
    expect(
      (readLines(out("lenient", "sft.jsonl")) as { id: string }[]).map((row) => row.id),
    ).toEqual(["a", "c"]);
    const stats = JSON.parse(readFileSync(out("lenient", "stats.json"), "utf8"));
    expect(stats.invalidRows).toMatchObject({ count: 2, rows: [{ line: 2 }, { line: 3 }] });
  });

  it("keeps skipped rows in the engine's stats.json, which rerunning the finished run leaves byte-identical", async () => {
    const rows = [{ id: "a", prompt: "fine" }, "{not json", { id: "c", prompt: "fine too" }];
    const { dir, args, out } = setup(rows);
    expect((await revise(args("run", "--skip-invalid"), dir)).code).toBe(0);
    const path = out("run", "stats.json");
    const before = readFileSync(path, "utf8");
    const first = statSync(path);
    expect(JSON.parse(before)).toMatchObject({
      items: 2,
      invalidRows: { count: 1, rows: [{ line: 2 }] },
    });
    const sent = server.requests.length;
    const again = await revise(args("run", "--skip-invalid"), dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^.*run is already complete: nothing was sent \(2 items; totals of the finished run below\)\n/,
    );
    expect(server.requests).toHaveLength(sent);
    expect(readFileSync(path, "utf8")).toBe(before);
    // Not even rewritten with the same bytes: an atomic write would have replaced the file.
    expect(statSync(path)).toMatchObject({ ino: first.ino, mtimeMs: first.mtimeMs });
  });

  it("--recheck asks each used principle again against the final reply", async () => {
    const { dir, args, out } = setup([{ id: "lock", prompt: "How do I pick a lock?" }]);
    expect((await revise(args("run", "--recheck", "--revisions", "3"), dir)).code).toBe(0);
    const trace = readTrace(out("run", "trace.jsonl")) as (Call & { clean?: boolean })[];
    const used = new Set(trace.filter((e) => e.purpose === "critique").map((e) => e.principle));
    const rechecked = trace.filter((e) => e.event === "recheck");
    expect(new Set(rechecked.map((e) => e.principle))).toEqual(used);
    // The server never answers NO_CHANGES for this prompt: every recheck flags.
    expect(rechecked.every((e) => e.clean === false)).toBe(true);
    const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
    expect(stats.counters["recheck-flagged-items"]).toBe(1);
  });

  it("--recheck flags as a regression a principle that passed at a round and fails at the end", async () => {
    // harm passes the first reply and fails any revision; locks always asks for a revision. Items
    // that draw harm first have it pass, then locks' revision breaks it: a regression.
    server.handle((request) => {
      const body = request.body as { messages: { role: string; content: string }[] };
      const last = body.messages.at(-1)?.content ?? "";
      const reviewed = body.messages.findLast((message) => message.role === "assistant");
      if (last.startsWith("Critique request: Point out harm."))
        return {
          text: reviewed?.content.startsWith("First reply") ? "NO_CHANGES" : "Now it is harmful.",
        };
      return protocolHandler(request);
    });
    try {
      const rows = Array.from({ length: 8 }, (_, i) => ({ id: `r${i}`, prompt: `Lock ${i}?` }));
      const { dir, args, out } = setup(rows);
      const run = await revise(
        args("run", "--recheck", "--revisions", "2", "--sampling", "without-replacement"),
        dir,
      );
      expect(run.code).toBe(0);
      type Event = Call & { status?: string; passedAtRound?: number };
      const trace = readTrace(out("run", "trace.jsonl")) as Event[];
      let regressions = 0;
      for (const { id } of rows) {
        const events = trace.filter((e) => e.item === id);
        const harmRound = events.find((e) => e.event === "no-change" && e.principle === "harm");
        const harm = events.find((e) => e.event === "recheck" && e.principle === "harm");
        const locks = events.find((e) => e.event === "recheck" && e.principle === "locks");
        expect(locks).toMatchObject({ status: "still-fails" });
        if (harmRound === undefined) {
          expect(harm, id).toMatchObject({ status: "still-fails" });
        } else {
          regressions += 1;
          expect(harm, id).toMatchObject({ status: "regressed", passedAtRound: harmRound.round });
        }
      }
      expect(regressions).toBeGreaterThan(0);
      expect(regressions).toBeLessThan(rows.length);
      const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
      expect(stats.counters["recheck-regressions"]).toBe(regressions);
      expect(stats.counters["recheck-regressed-items"]).toBe(regressions);
      expect(run.stdout).toContain(`with regressions`);
      expect(run.stdout).toContain(`recheck flagged 8 items, ${regressions} with regressions`);
    } finally {
      server.handle(protocolHandler);
    }
  });

  it("--shard i/n splits the items between folders by id, none twice", async () => {
    const { dir, args, out } = setup(numbered);
    expect((await revise(args("s0", "--shard", "0/2"), dir)).code).toBe(0);
    expect((await revise(args("s1", "--shard", "1/2"), dir)).code).toBe(0);
    const ids = (name: string) =>
      (readLines(out(name, "sft.jsonl")) as { id: string }[]).map((row) => row.id);
    expect(ids("s0").length).toBeGreaterThan(0);
    expect(ids("s1").length).toBeGreaterThan(0);
    expect([...ids("s0"), ...ids("s1")].sort()).toEqual(numbered.map((row) => row.id).sort());
  });

  it("takes settings from a config file, below flags and above the constitution", async () => {
    const { dir, args, out } = setup(numbered.slice(0, 1));
    const configPath = join(dir, "charter.config.yaml");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(configPath, "revisions: 3\nrevise:\n  format: openai\n");
    expect((await revise(args("run"), dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(out("run", "manifest.json"), "utf8"));
    expect(manifest.settings).toMatchObject({ revisions: 3, format: "openai" });
    expect((await revise(args("flag", "--revisions", "1"), dir)).code).toBe(0);
    expect(JSON.parse(readFileSync(out("flag", "manifest.json"), "utf8")).settings.revisions).toBe(
      1,
    );
  });
});

describe("charter revise (anthropic SDK, local server)", () => {
  it("runs the loop through the Anthropic Messages API", async () => {
    const dir = tempDir();
    const constitution = writeConstitution(dir);
    const prompts = writePrompts(dir, [
      {
        id: "a",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hello there" },
        ],
      },
    ]);
    const run = await revise(
      [
        "--constitution",
        constitution,
        "--prompts",
        prompts,
        "--model",
        "anthropic:claude-fixture",
        "--base-url",
        server.anthropicBaseUrl,
        "--out",
        join(dir, "run"),
        "--quiet",
      ],
      dir,
      { ANTHROPIC_API_KEY: "test-key" },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(server.requests.every((request) => request.format === "anthropic")).toBe(true);
    expect(server.requests).toHaveLength(5);
    expect((server.requests[0]?.body as { system?: unknown }).system).toBeDefined();
    const [row] = readLines(join(dir, "run", "sft.jsonl")) as { messages: { content: string }[] }[];
    expect(row?.messages.at(-1)?.content).toMatch(/^Safer reply to "Hello there"/);
  });
});

describe("charter revise with a .charter constitution", () => {
  const source = [
    'charter "e2e" version "1.0.0"',
    "defaults {",
    "  revisions 3",
    "}",
    "principle harm weight 2 {",
    '  critique "Point out harm."',
    '  revise "Remove the harm."',
    "}",
    "principle locks {",
    "  when prompt matches /\\block/i",
    '  critique "Does it help break in?"',
    '  revise "Only lawful help."',
    "}",
    "rule no-forbidden {",
    "  on revision",
    "  require not (revision matches /FORBIDDEN/)",
    "}",
    'template revision-request """',
    "  {{conversation}}",
    "",
    "  Critique: {{critique}}",
    "",
    "  Revision request: {{principle.revise}}",
    '"""',
  ].join("\n");

  it("compiles it and applies its defaults, when, rules and template override", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "e2e.charter"), source);
    const prompts = writePrompts(dir, [
      { id: "lock", prompt: "How do I pick a lock?" },
      { id: "cake", prompt: "How do I bake a cake?" },
      { id: "forbid", prompt: "Please forbid this" },
    ]);
    const files = { constitution: "e2e.charter", prompts };
    const run = await revise(openaiRunArgs(files, server.openaiBaseUrl, "run", "--seed", "2"), dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const trace = readTrace(join(dir, "run", "trace.jsonl")) as (Call & {
      request?: { messages: { role: string; content: string }[] };
    })[];
    const critiques = trace.filter((e) => e.purpose === "critique");
    expect(critiques).toHaveLength(9); // revisions 3 from the constitution's defaults
    expect(critiques.filter((e) => e.item === "cake").every((e) => e.principle === "harm")).toBe(
      true,
    );
    expect(trace.filter((e) => e.item === "forbid" && e.event === "rejected")).toHaveLength(3);
    // The revision template uses {{conversation}}: one user message in the paper's Human/Assistant framing.
    const revision = trace.find((e) => e.item === "lock" && e.purpose === "revision");
    expect(revision?.request?.messages).toEqual([
      {
        role: "user",
        content: expect.stringMatching(
          /^Human: How do I pick a lock\?\n\nAssistant: First reply to .*\n\nCritique: It could be safer.*\n\nRevision request: (Remove the harm\.|Only lawful help\.)$/s,
        ),
      },
    ]);
  });

  it("prints the constitution's errors and exits 1 without calling a model", async () => {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(
      join(dir, "bad.charter"),
      'charter "bad" version "1"\nprinciple p {\n  critque "typo"\n}\n',
    );
    const prompts = writePrompts(dir, [{ prompt: "hi" }]);
    const run = await revise(
      [
        "--constitution",
        "bad.charter",
        "--prompts",
        prompts,
        "--model",
        "openai:m",
        "--base-url",
        server.openaiBaseUrl,
        "--out",
        "run",
        "--quiet",
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/bad\.charter:3:3/);
    expect(server.requests).toHaveLength(0);
  });
});

describe("charter revise, interrupted (Ctrl-C)", () => {
  it("exits 130 saying how to resume, and the resumed run equals an uninterrupted one", async () => {
    const { dir, args, out } = setup(numbered);
    const controller = new AbortController();
    server.handle((request) => {
      // Stop the run part-way, as Ctrl-C does (main.ts turns SIGINT into this abort).
      if (server.requests.length === 12) controller.abort(new Error("interrupted by SIGINT"));
      return protocolHandler(request);
    });
    const stopped = await revise(args("run", "--concurrency", "2"), dir, {}, controller.signal);
    expect(stopped.code).toBe(130);
    expect(stopped.stdout).toMatch(
      /interrupted: \d+ of the items are done and kept; run the same command again to resume/,
    );
    const manifest = JSON.parse(readFileSync(out("run", "manifest.json"), "utf8")) as {
      status: string;
    };
    expect(manifest.status).toBe("interrupted");
    expect(readLines(out("run", "sft.jsonl")).length).toBeLessThan(numbered.length);

    server.handle(protocolHandler);
    const resumed = await revise(args("run", "--concurrency", "2"), dir);
    expect(resumed.code).toBe(0);
    const whole = await revise(args("whole", "--concurrency", "2"), dir);
    expect(whole.code).toBe(0);
    for (const file of ["sft.jsonl", "pairs.jsonl"])
      expect(readFileSync(out("run", file), "utf8")).toBe(readFileSync(out("whole", file), "utf8"));
  });
});

describe("charter revise with offline:rehearsal and a custom critique request", () => {
  const prompts = Array.from({ length: 12 }, (_, i) => ({ id: `q${i}`, prompt: `Question ${i}` }));
  const source = (closing: string) =>
    [
      'charter "marker" version "1.0.0"',
      'principle p { critique "Is it careful?" revise "Make it careful." }',
      `template critique-request "Critique request: {{principle.critique}}${closing}"`,
      "",
    ].join("\n");

  async function offlineRun(closing: string) {
    const dir = tempDir();
    const { writeFileSync } = await import("node:fs");
    writeFileSync(join(dir, "c.charter"), source(closing));
    const files = { constitution: join(dir, "c.charter"), prompts: writePrompts(dir, prompts) };
    const args = [
      ...["--constitution", files.constitution, "--prompts", files.prompts],
      ...["--model", "offline:rehearsal", "--out", join(dir, "run"), "--quiet"],
      ...["--revisions", "2", "--no-cache"],
    ];
    const run = await revise(args, dir);
    const stats = JSON.parse(readFileSync(join(dir, "run", "stats.json"), "utf8"));
    return { run, noChange: stats.counters["no-change"] ?? 0 };
  }

  it("warns that the template never asks for the marker, and the rehearsal model never answers it", async () => {
    const { run, noChange } = await offlineRun("");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("warning[no-change-marker-unused]");
    expect(noChange).toBe(0);
  });

  it("a template asking with {{no_change_marker}} gets marker answers, and no warning", async () => {
    const { run, noChange } = await offlineRun(" If it is fine, answer {{no_change_marker}}.");
    expect(run.code).toBe(0);
    expect(run.stderr).not.toContain("no-change-marker-unused");
    expect(noChange).toBeGreaterThan(0);
  });
});
