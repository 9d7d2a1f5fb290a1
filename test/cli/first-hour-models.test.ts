// Model names and endpoints a new user gets wrong (issue 16), through the real `charter` process
// against the local model server: each mistake is named with what to type instead, exit 2.
import { copyFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";
import { runCharter } from "./run-charter.js";

const REPO = new URL("../../", import.meta.url).pathname;
const HARMLESS = join(REPO, "constitutions", "harmless.charter");
const SERVED = ["llama3.1:8b", "qwen2.5:7b"];

let server: ModelServer;
beforeAll(async () => {
  // Like Ollama: everything under /v1, GET /v1/models lists what it serves, 404 for the rest.
  server = await startModelServer({
    handler: (request) => {
      const notFound = { status: 404, body: { error: { message: "not found" } } };
      if (!request.path.startsWith("/v1/")) return notFound;
      if (request.path === "/v1/models")
        return { body: { object: "list", data: SERVED.map((id) => ({ id, object: "model" })) } };
      const model = (request.body as { model?: string } | undefined)?.model ?? "";
      return SERVED.includes(model) ? undefined : notFound;
    },
  });
});
afterAll(async () => {
  await server.close();
});

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-models-"));
  copyFileSync(join(REPO, "examples", "prompts.jsonl"), join(dir, "prompts.jsonl"));
  return dir;
}

const revise = (model: string, ...more: string[]): string[] => [
  ...["revise", "--constitution", HARMLESS, "--prompts", "prompts.jsonl"],
  ...["--model", model, "--out", "runs/x", "--quiet", "--max-retries", "0", ...more],
];

describe("model names", () => {
  it("ollama:MODEL says local servers are openai:MODEL with a /v1 base URL, exit 2", async () => {
    const run = await runCharter(revise("ollama:llama3"), workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      "charter revise: unknown model 'ollama:llama3': ollama serves the OpenAI API: use --model openai:llama3 --base-url http://localhost:11434/v1\n",
    );
  });

  it("a bare model name gets its provider suggested, exit 2", async () => {
    const run = await runCharter(revise("claude-sonnet-4-5"), workspace());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("e.g. anthropic:claude-sonnet-4-5");
  });

  it("a model the server does not serve is named with what it serves (its GET /models), exit 2", async () => {
    const run = await runCharter(
      revise("openai:llama3.1", "--base-url", server.openaiBaseUrl),
      workspace(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `charter revise: the server at ${server.openaiBaseUrl} does not serve 'llama3.1' (did you mean openai:llama3.1:8b?); it serves: llama3.1:8b, qwen2.5:7b\n`,
    );
    // Every item failed the same way: said once, not once per item.
    expect(run.stdout).toMatch(/failed items \(\d+\):\n {2}\d+ items \([^)]*\): not-found: /);
  });

  it("a base URL without /v1 that answers 404 gets /v1 suggested, exit 2", async () => {
    const run = await runCharter(
      revise("openai:llama3.1:8b", "--base-url", server.url),
      workspace(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      `charter revise: ${server.url} answers 404: OpenAI-compatible servers live under /v1; try --base-url ${server.url}/v1\n`,
    );
  });
});

describe("prices", () => {
  let local: ModelServer;
  beforeAll(async () => {
    local = await startModelServer();
  });
  afterAll(async () => {
    await local.close();
  });

  it("a local server's gpt-4o-mini is not charged OpenAI's price; a price in the config is used", async () => {
    const dir = workspace();
    const args = (out: string): string[] => [
      ...["revise", "--constitution", HARMLESS, "--prompts", "prompts.jsonl", "--revisions", "1"],
      ...["--model", "openai:gpt-4o-mini", "--base-url", local.openaiBaseUrl, "--out", out],
      ...["--quiet", "--no-cache"],
    ];
    const unpriced = await runCharter(args("runs/local"), dir);
    expect(unpriced.code).toBe(0);
    expect(unpriced.stdout).toContain(
      "cost unknown (no price for this model at this endpoint: list prices apply at the official API only",
    );
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({ prices: { "openai:gpt-4o-mini": { input: 1000, output: 1000 } } }),
    );
    const priced = await runCharter(args("runs/priced"), dir);
    expect(priced.code).toBe(0);
    expect(priced.stdout).toMatch(/cost \$[1-9][\d.]* \(estimate\)/);
  });
});
