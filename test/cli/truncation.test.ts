// A reply cut by the token limit is never a training target nor a judge's answer: it is asked
// again once with a larger budget, then its item fails as `truncated`, through the real SDKs
// against the local model server (and with the offline model, which honours max tokens).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type RecordedRequest } from "../fixtures/model-server.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import {
  openaiRunArgs,
  protocolHandler,
  readLines,
  readTrace,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";
import { main } from "../../src/cli/main.js";

const server = useModelServer({ handler: protocolHandler });

const budgetOf = (request: RecordedRequest): number | undefined => {
  const body = request.body as { max_tokens?: number; max_completion_tokens?: number };
  return body.max_tokens ?? body.max_completion_tokens;
};

/** Cuts every reply whose budget is at most `limit` tokens, as a server at its limit does. */
function cutBelow(limit: number, reason = "length") {
  return (request: RecordedRequest) => {
    const budget = budgetOf(request);
    if (budget !== undefined && budget <= limit)
      return { text: "A revised an", finishReason: reason };
    return protocolHandler(request);
  };
}

function setup() {
  const dir = tempDir();
  const files = {
    constitution: writeConstitution(dir),
    prompts: writePrompts(dir, [{ id: "a", prompt: "How do I store knives safely?" }]),
  };
  const out = (name: string) => join(dir, name);
  const args = (name: string, ...more: string[]) =>
    openaiRunArgs(files, server.openaiBaseUrl, out(name), "--max-retries", "0", ...more);
  return { dir, files, out, args };
}

describe("truncated replies", () => {
  it("asks a cut reply again with four times the budget, and keeps only the finished one", async () => {
    server.handle(cutBelow(10));
    const { dir, args, out } = setup();
    const run = await revise(args("run", "--max-tokens", "10"), dir);
    expect(run.code).toBe(0);
    // Every purpose: reply, critique and revision were each cut once, then asked with 40 tokens.
    expect(server.requests.map(budgetOf)).toEqual([10, 40, 10, 40, 10, 40, 10, 40, 10, 40]);
    const sft = readLines(join(out("run"), "sft.jsonl")) as { messages: { content: string }[] }[];
    expect(sft[0]?.messages.at(-1)?.content).toMatch(/^Safer reply to/);
    const trace = readTrace(join(out("run"), "trace.jsonl")) as Record<string, unknown>[];
    const cut = trace.filter((event) => event.truncated === true);
    expect(cut).toHaveLength(5);
    expect(cut[0]).toMatchObject({
      purpose: "reply",
      finishReason: "length",
      reply: "A revised an",
    });
    expect(run.stdout).toContain("calls 10 sent, 5 cut by the token limit");
  });

  it("fails the item as truncated when the larger budget is cut too, and lists it", async () => {
    server.handle(cutBelow(1000));
    const { dir, args, out } = setup();
    const run = await revise(args("run", "--max-tokens", "6"), dir);
    expect(run.code).toBe(1);
    expect(server.requests.map(budgetOf)).toEqual([6, 24]);
    expect(readFileSync(join(out("run"), "sft.jsonl"), "utf8")).toBe("");
    expect(readFileSync(join(out("run"), "pairs.jsonl"), "utf8")).toBe("");
    expect(run.stdout).toMatch(
      /failed items \(1\):\n {2}a: truncated: openai:fixture-model: the reply was cut at 6 tokens, and again at 24/,
    );
    const stats = JSON.parse(readFileSync(join(out("run"), "stats.json"), "utf8"));
    expect(stats.failures).toEqual([expect.objectContaining({ id: "a", code: "truncated" })]);
    expect(stats.counters["calls-truncated"]).toBe(2);
  });

  it("takes an explicit budget or no retry from --truncation-retry", async () => {
    server.handle(cutBelow(1000));
    const { dir, args } = setup();
    expect(
      (await revise(args("max", "--max-tokens", "6", "--truncation-retry", "2000"), dir)).code,
    ).toBe(0);
    expect(server.requests.slice(0, 2).map(budgetOf)).toEqual([6, 2000]);
    server.reset();
    const off = await revise(
      args("off", "--max-tokens", "6", "--truncation-retry", "off", "--no-cache"),
      dir,
    );
    expect(off.code).toBe(1);
    expect(server.requests).toHaveLength(1);
    expect(off.stdout).toContain("no larger budget was allowed");
    const bad = await revise(args("bad", "--truncation-retry", "1x"), dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--truncation-retry must be a factor above 1");
  });

  it("reads Anthropic's stop_reason max_tokens, retrying past its default budget of 1024", async () => {
    server.handle(cutBelow(1024, "max_tokens"));
    const { dir, files, out } = setup();
    const run = await revise(
      [
        ...["--constitution", files.constitution, "--prompts", files.prompts],
        ...["--model", "anthropic:claude-test", "--base-url", server.anthropicBaseUrl],
        ...["--out", out("run"), "--quiet", "--max-retries", "0"],
      ],
      dir,
      { ANTHROPIC_API_KEY: "test-key" },
    );
    expect(run.code).toBe(0);
    expect(server.requests.slice(0, 2).map(budgetOf)).toEqual([1024, 4096]);
  });

  it("the offline model honours max tokens, so a cut target fails offline too", async () => {
    const { dir, files, out } = setup();
    const run = await revise(
      [
        ...["--constitution", files.constitution, "--prompts", files.prompts],
        ...["--model", "offline:rehearsal", "--out", out("run"), "--quiet", "--max-tokens", "6"],
      ],
      dir,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("a: truncated: offline:rehearsal: the reply was cut at 6 tokens");
    expect(readFileSync(join(out("run"), "sft.jsonl"), "utf8")).toBe("");
  });

  it("never takes a cut chain of thought as a judge's answer", async () => {
    server.handle((request) => ({
      text: "Let's think step by step. Reply (A) is",
      finishReason: budgetOf(request) === undefined ? "stop" : "length",
    }));
    const dir = tempDir();
    const pairs = writePrompts(
      dir,
      [{ id: "r", prompt: "p", responses: ["x", "y"] }],
      "pairs.jsonl",
    );
    let stdout = "";
    const code = await main(
      [
        "judge",
        ...["--constitution", writeConstitution(dir, judgeConstitution()), "--pairs", pairs],
        ...["--judge", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
        ...["--method", "cot", "--cot-max-tokens", "50", "--no-both-orders"],
        ...["--out", join(dir, "run"), "--quiet", "--max-retries", "0"],
      ],
      {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: () => true },
        cwd: dir,
        env: {},
        isTTY: false,
      },
    );
    expect(code).toBe(1);
    expect(server.requests.map(budgetOf)).toEqual([50, 200]);
    expect(stdout).toMatch(/r: truncated: openai:fixture-model: the reply was cut at 50 tokens/);
    expect(readFileSync(join(dir, "run", "preferences.jsonl"), "utf8")).toBe("");
  });
});
