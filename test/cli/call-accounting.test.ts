// One place records a call in both phases: prices from the config are merged over the built-in
// ones for judge as for revise, failed calls are counted and traced, through the real OpenAI SDK
// against the local model server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import { readTrace, testConstitution } from "./revise-fixture.js";

const server = useModelServer();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-accounting-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const charter = (...args: string[]) => charterInProcess(dir, args);

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

const stats = (out: string) =>
  JSON.parse(readFileSync(join(dir, out, "stats.json"), "utf8")) as {
    counters: Record<string, number>;
  };

function judgeArgs(out: string, ...more: string[]): string[] {
  return [
    "judge",
    ...["--constitution", write("judge.json", judgeConstitution())],
    ...[
      "--pairs",
      write("pairs.jsonl", `${JSON.stringify({ id: "r", prompt: "p", responses: ["x", "y"] })}\n`),
    ],
    ...["--base-url", server.openaiBaseUrl, "--method", "vote"],
    ...["--samples", "1", "--max-retries", "0", "--out", join(dir, out), "--quiet", ...more],
  ];
}

describe("call accounting", () => {
  it("merges a config prices table over the built-in prices in judge, as revise does", async () => {
    // Built-in list prices apply at official endpoints only; the offline model's (free) is one of
    // them, and a table that replaced the built-ins would leave its calls unpriced.
    server.handle(() => ({ text: "A)", usage: { inputTokens: 1000, outputTokens: 10 } }));
    const config = write("charter.config.json", {
      prices: { "openai:local-judge": { input: 1, output: 2 } },
    });
    const { code, stdout } = await charter(
      ...judgeArgs("run", "--config", config),
      ...["--judge", "openai:local-judge", "--judge", "offline:rehearsal"],
    );
    expect(code).toBe(0);
    // Both orders of one principle, per judge: two priced local calls, two free offline ones.
    const expected = (2 * (1000 * 1 + 10 * 2)) / 1e6;
    const { counters } = stats("run");
    expect(counters).toMatchObject({ calls: 4 });
    expect(counters["calls-unpriced"]).toBeUndefined();
    expect(counters["cost"]).toBeCloseTo(expected, 12);
    expect(stdout).toContain(`cost $${expected.toFixed(4)} (estimate)`);
  });

  it("counts and traces a judge's failed calls, as Phase 1 does", async () => {
    server.handle(() => ({ status: 500 }));
    const { code, stdout } = await charter(...judgeArgs("run", "--judge", "openai:gpt-4o-mini"));
    expect(code).toBe(1);
    expect(stdout).toContain("calls 2 sent, 2 failed");
    expect(stats("run").counters).toMatchObject({ calls: 2, "calls-failed": 2 });
    const trace = readTrace(join(dir, "run", "trace.jsonl")) as Record<string, unknown>[];
    expect(trace.filter((event) => event.event === "call-failed")).toEqual([
      expect.objectContaining({
        pair: "r:0-1",
        order: "first-as-a",
        error: expect.objectContaining({ code: "server-error" }),
      }),
      expect.objectContaining({ pair: "r:0-1", order: "second-as-a" }),
    ]);
    expect(trace.at(-1)).toMatchObject({ event: "item-failed", code: "server-error" });
  });

  it("counts revise's failed calls: a server answering 500 does not print 'calls 0 sent'", async () => {
    server.handle(() => ({ status: 500 }));
    const prompts = write("prompts.jsonl", `${JSON.stringify({ id: "a", prompt: "hi" })}\n`);
    const { code, stdout } = await charter(
      "revise",
      ...["--constitution", write("c.json", testConstitution()), "--prompts", prompts],
      ...["--model", "openai:gpt-4o-mini", "--base-url", server.openaiBaseUrl],
      ...["--max-retries", "1", "--out", join(dir, "run"), "--quiet"],
    );
    expect(code).toBe(1);
    expect(stdout).toContain("calls 1 sent, 1 failed (+0 answered from the cache, 1 retries)");
    expect(stats("run").counters).toMatchObject({ calls: 1, "calls-failed": 1, retries: 1 });
  });
});
