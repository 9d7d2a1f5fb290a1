// The providers' prompt caches in a run: a revise run on an Anthropic model (the test server's
// cache stand-in) reports the cached-token share and the saving in stats.json and the summary.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";
import { protocolHandler, tempDir, writeConstitution, writePrompts } from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler, promptCache: {} });
let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("prompt caching in a run", () => {
  it("reports the cached share and the saving in stats.json and the summary line", async () => {
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({
        prices: {
          "anthropic:claude-haiku-4-5": {
            input: 1,
            output: 5,
            cachedInput: 0.1,
            cacheWrite: 1.25,
          },
        },
      }),
    );
    const out = join(dir, "run");
    const run = await charterInProcess(
      dir,
      [
        "revise",
        ...["--constitution", writeConstitution(dir)],
        ...["--prompts", writePrompts(dir, [{ id: "a", prompt: "question #1" }])],
        ...["--model", "anthropic:claude-haiku-4-5", "--base-url", server.anthropicBaseUrl],
        ...["--revisions", "2", "--out", out, "--quiet"],
      ],
      { ANTHROPIC_API_KEY: "k" },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8")) as {
      counters: Record<string, number>;
      promptCache: Record<string, number>;
    };
    const { counters, promptCache } = stats;
    // Each critique and revision starts with the conversation the call before it wrote.
    expect(counters.cachedTokens).toBeGreaterThan(0);
    expect(promptCache).toEqual({
      cachedTokens: counters.cachedTokens,
      cacheWriteTokens: counters.cacheWriteTokens,
      inputTokens: counters.inputTokens,
      share:
        Math.round(((counters.cachedTokens ?? 0) / (counters.inputTokens ?? 1)) * 10_000) / 10_000,
      savingUsd: counters["prompt-cache-saving"],
    });
    const share = ((promptCache.share ?? 0) * 100).toFixed(1);
    expect(run.stdout).toContain(`prompt cache ${share}% of input tokens read`);
  });

  it("says nothing of a prompt cache no call used", async () => {
    server.handle((request) => ({ ...protocolHandler(request), usage: { inputTokens: 10 } }));
    const out = join(dir, "plain");
    const run = await charterInProcess(dir, [
      "revise",
      ...["--constitution", writeConstitution(dir)],
      ...["--prompts", writePrompts(dir, [{ id: "a", prompt: "question #1" }])],
      ...["--model", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
      ...["--out", out, "--quiet"],
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain("prompt cache");
    expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8"))).not.toHaveProperty(
      "promptCache",
    );
  });
});
