// `charter judge` in-process: flags, config, the shipped example with offline:rehearsal, resume,
// capability refusal, generation through the OpenAI SDK on the local server, bad input rows.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";

const root = resolve(import.meta.dirname, "../..");
const showcase = join(root, "constitutions/showcase.charter");
const examplePairs = join(root, "examples/pairs.jsonl");

const server = useModelServer({ eachTest: "reset" });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-judge-cli-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const charter = (...args: string[]) =>
  charterInProcess(dir, ["judge", ...args], { ANTHROPIC_API_KEY: "test-key" });

const lines = (path: string): string[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
const offline = (out: string, ...extra: string[]) =>
  charter(
    "--constitution",
    showcase,
    "--pairs",
    examplePairs,
    "--judge",
    "offline:rehearsal",
    "--out",
    out,
    "--quiet",
    ...extra,
  );

describe("charter judge", () => {
  it("labels the example pairs with offline:rehearsal, rules first", async () => {
    const { code, stdout } = await offline("run");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^judged 14 pairs in 10 items \(0 failed/);
    expect(stdout).toMatch(/labels \d+ \(\d+ by the judges, \d+ by rules\)/);
    expect(stdout).toMatch(
      /calibration against the given labels: expected calibration error 0\.\d{3} over \d+ pairs/,
    );
    const preferences = lines(join(dir, "run/preferences.jsonl")).map((line) => JSON.parse(line));
    const ties = lines(join(dir, "run/ties.jsonl"));
    expect(preferences.length + ties.length).toBe(14);
    // The showcase constitution prefers replies without links: both link pairs are rule-decided.
    const byRule = preferences.filter((record) => record.decided_by === "rule");
    expect(byRule.map((record) => record.id).sort()).toEqual(
      expect.arrayContaining(["python-sort:0-1", "recipe-source:0-1"]),
    );
    for (const record of byRule) expect(record.chosen).not.toMatch(/https?:\/\//);
    const stats = JSON.parse(readFileSync(join(dir, "run/stats.json"), "utf8"));
    expect(stats.preferences.pairs).toBe(14);
    expect(stats.preferences.agreementWithGiven).not.toBeNull();
  });

  it("resumes a finished folder without calls and keeps the same bytes; a new folder with the same seed matches", async () => {
    await offline("run");
    const before = readFileSync(join(dir, "run/preferences.jsonl"), "utf8");
    const again = await offline("run");
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /^.*run is already complete: nothing was sent \(10 items; totals of the finished run below\)\n/,
    );
    expect(again.stdout).toMatch(/labels \d+/); // the finished run's totals still follow
    expect(readFileSync(join(dir, "run/preferences.jsonl"), "utf8")).toBe(before);
    await offline("other");
    expect(readFileSync(join(dir, "other/preferences.jsonl"), "utf8")).toBe(before);
    const changed = await offline("run", "--tie-margin", "0.2");
    expect(changed.code).toBe(1);
    expect(changed.stderr).toMatch(/tieMargin/);
  });

  it("judges by chain of thought with offline:rehearsal, clamped into the band", async () => {
    const { code } = await offline("cot", "--method", "cot", "--samples", "3", "--tie-margin", "0");
    expect(code).toBe(0);
    const judged = lines(join(dir, "cot/preferences.jsonl"))
      .map((line) => JSON.parse(line))
      .filter((record) => record.decided_by === "judge");
    expect(judged.length).toBeGreaterThan(0);
    for (const record of judged) expect(record.probability).toBeLessThanOrEqual(0.6);
  });

  it("splits the work into disjoint shards that cover every pair", async () => {
    await offline("s0", "--shard", "0/2");
    await offline("s1", "--shard", "1/2");
    const ids = (name: string) =>
      [...lines(join(dir, name, "preferences.jsonl")), ...lines(join(dir, name, "ties.jsonl"))].map(
        (line) => JSON.parse(line).id as string,
      );
    const [first, second] = [ids("s0"), ids("s1")];
    expect(first.filter((id) => second.includes(id))).toEqual([]);
    expect(first.length + second.length).toBe(14);
  });

  it("writes hh transcripts with --format hh", async () => {
    expect((await offline("hh", "--format", "hh")).code).toBe(0);
    const first = JSON.parse(lines(join(dir, "hh/preferences.jsonl"))[0] ?? "{}");
    expect(Object.keys(first)).toEqual(["chosen", "rejected"]);
    expect(first.chosen).toMatch(/^\n\nHuman: .*\n\nAssistant: /s);
  });

  it("reads settings from the config file's judge section, under flags", async () => {
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({ judge: { "tie-margin": 0.5 } }),
    );
    const { code } = await offline("cfg");
    expect(code).toBe(0);
    // Everything the judge decides is now a tie; only rule-decided pairs are labelled.
    const preferences = lines(join(dir, "cfg/preferences.jsonl")).map((line) => JSON.parse(line));
    expect(preferences.every((record) => record.decided_by === "rule")).toBe(true);
    await offline("flag", "--tie-margin", "0");
    expect(lines(join(dir, "flag/ties.jsonl"))).toHaveLength(0);
  });

  it("refuses --method logprobs for an Anthropic judge before any request", async () => {
    const { code, stderr } = await charter(
      "--constitution",
      showcase,
      "--pairs",
      examplePairs,
      "--judge",
      "anthropic:claude-test",
      "--method",
      "logprobs",
      "--base-url",
      server.anthropicBaseUrl,
      "--out",
      "run",
      "--quiet",
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/anthropic:claude-test gives no token log-probabilities.*--method vote/);
    expect(server.requests).toHaveLength(0);
  });

  it("generates N replies per prompt with a policy model, kept apart in the cache", async () => {
    let n = 0;
    server.handle(() => ({ text: `reply number ${++n}` }));
    const prompts = join(dir, "prompts.jsonl");
    writeFileSync(prompts, '{"id":"p1","prompt":"Say hi"}\n{"id":"p2","prompt":"Say bye"}\n');
    const args = [
      "--constitution",
      showcase,
      "--prompts",
      prompts,
      "--generate",
      "3",
      "--model",
      "openai:policy-test",
      "--base-url",
      server.openaiBaseUrl,
      "--judge",
      "offline:rehearsal",
      "--out",
      "gen",
      "--quiet",
    ];
    const { code, stdout } = await charter(...args);
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(6);
    expect(stdout).toMatch(/judged 6 pairs in 2 items/);
    const ids = [
      ...lines(join(dir, "gen/preferences.jsonl")),
      ...lines(join(dir, "gen/ties.jsonl")),
    ].map((line) => JSON.parse(line).id);
    expect(ids.sort()).toEqual(["p1:0-1", "p1:0-2", "p1:1-2", "p2:0-1", "p2:0-2", "p2:1-2"]);
  });

  it("stops at a malformed row with file:line, or skips and counts it", async () => {
    const pairs = join(dir, "bad.jsonl");
    writeFileSync(
      pairs,
      '{"prompt":"p","responses":["a","b"]}\n{"prompt":"p","responses":["only one"]}\nnot json\n',
    );
    const args = ["--constitution", showcase, "--pairs", pairs, "--judge", "offline:rehearsal"];
    const stopped = await charter(...args, "--out", "stop", "--quiet");
    expect(stopped.code).toBe(1);
    expect(stopped.stderr).toContain(`${pairs}:2: expected \`responses\` to be an array`);
    const skipped = await charter(...args, "--out", "skip", "--quiet", "--skip-invalid");
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toMatch(/skipped invalid rows \(2\)/);
    const stats = JSON.parse(readFileSync(join(dir, "skip/stats.json"), "utf8"));
    expect(stats.invalidRows.count).toBe(2);
  });

  it("stops with the constitution's diagnostics, file:line:col, when it does not compile", async () => {
    writeFileSync(
      join(dir, "broken.charter"),
      'charter "b" version "1"\nprinciple p {\n  compare 42\n}\n',
    );
    const { code, stderr } = await charter(
      "--constitution",
      "broken.charter",
      "--pairs",
      examplePairs,
      "--judge",
      "offline:rehearsal",
      "--out",
      "run",
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/broken\.charter:3:\d+: error\[/);
    expect(stderr).toMatch(/nothing compiled/);
  });

  it("reports usage errors with exit code 2", async () => {
    expect(
      (await charter("--constitution", showcase, "--pairs", examplePairs, "--out", "x")).code,
    ).toBe(2);
    const both = await charter(
      "--constitution",
      showcase,
      "--pairs",
      examplePairs,
      "--prompts",
      examplePairs,
      "--judge",
      "offline:rehearsal",
      "--out",
      "x",
    );
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/either --pairs FILE or --prompts FILE/);
    expect((await charter("--method", "guess")).code).toBe(2);
  });
});

describe("charter judge against a judge server that is down", () => {
  it("stops after N calls in a row fail to connect, naming the URL and how to resume", async () => {
    const { unusedPort } = await import("../fixtures/model-server.js");
    const port = await unusedPort();
    const baseUrl = `http://127.0.0.1:${port}/v1`;
    const { code, stderr } = await charter(
      ...["--constitution", showcase, "--pairs", examplePairs, "--out", join(dir, "run")],
      ...["--judge", "openai:judge", "--base-url", baseUrl, "--method", "vote", "--quiet"],
      ...["--max-retries", "0", "--max-connection-failures", "2", "--concurrency", "1"],
    );
    expect(code).toBe(1);
    expect(stderr).toContain(`cannot reach the model server at ${baseUrl}`);
    expect(stderr).toContain("ECONNREFUSED");
    expect(stderr).toContain("is resumable: once this is fixed, run the same command again");
    const manifest = JSON.parse(readFileSync(join(dir, "run/manifest.json"), "utf8"));
    expect(manifest.status).toBe("interrupted");
  });
});

describe("charter judge on a changed input", () => {
  it("refuses a finished folder whose pairs file grew; --extend judges just the new rows", async () => {
    const { appendFileSync, copyFileSync } = await import("node:fs");
    const pairs = join(dir, "pairs.jsonl");
    copyFileSync(examplePairs, pairs);
    const run = (...extra: string[]) =>
      charter(
        ...["--constitution", showcase, "--pairs", pairs, "--judge", "offline:rehearsal"],
        ...["--out", join(dir, "run"), "--quiet", ...extra],
      );
    expect((await run()).code).toBe(0);
    const before = lines(join(dir, "run/preferences.jsonl")).length;
    appendFileSync(
      pairs,
      `${JSON.stringify({ id: "new-row", prompt: "Is it safe to swim after eating?", responses: ["Yes, that myth is unfounded.", "Never, you will definitely drown."] })}\n`,
    );
    const refused = await run();
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("was run on other input, so it cannot be resumed");
    expect(refused.stderr).toContain(`${pairs}: `);
    const extended = await run("--extend");
    expect(extended.code).toBe(0);
    const stats = JSON.parse(readFileSync(join(dir, "run/stats.json"), "utf8"));
    expect(stats).toMatchObject({ items: 11, done: 11, resumed: 10 });
    const rows = [
      ...lines(join(dir, "run/preferences.jsonl")),
      ...lines(join(dir, "run/ties.jsonl")),
    ];
    expect(rows.some((line) => line.includes("new-row"))).toBe(true);
    expect(lines(join(dir, "run/preferences.jsonl")).length).toBeGreaterThanOrEqual(before);
  });
});
