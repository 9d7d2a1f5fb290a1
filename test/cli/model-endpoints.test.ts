// Each model may carry its own endpoint (`provider:model@URL`), in flags and in the config file;
// `--base-url` is the default only for models that name none, and never reaches a provider of
// another kind: a mixed panel of an Anthropic judge and a local OpenAI-compatible one works.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { parseModelName } from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import {
  protocolHandler,
  revise,
  tempDir,
  testConstitution,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: () => ({ text: "A)" }) });

async function judge(dir: string, ...args: string[]) {
  let stdout = "";
  let stderr = "";
  const pairs = writePrompts(dir, [{ id: "r", prompt: "p", responses: ["x", "y"] }], "pairs.jsonl");
  const code = await main(
    [
      "judge",
      ...["--constitution", writeConstitution(dir, judgeConstitution()), "--pairs", pairs],
      ...["--method", "vote", "--samples", "1", "--no-both-orders", "--max-retries", "0"],
      ...["--out", join(dir, "run"), "--quiet", ...args],
    ],
    {
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: (chunk: string) => (stderr += chunk) },
      cwd: dir,
      env: { ANTHROPIC_API_KEY: "test-key" },
      isTTY: false,
    },
  );
  return { code, stdout, stderr };
}

const sent = () =>
  server.requests
    .map((request) => `${request.path} ${(request.body as { model: string }).model}`)
    .sort();

describe("model endpoints", () => {
  it("judges with a mixed panel, each judge at its own endpoint", async () => {
    const dir = tempDir();
    const run = await judge(
      dir,
      ...["--judge", `anthropic:claude-test@${server.anthropicBaseUrl}`],
      ...["--judge", `openai:llama3.1@${server.openaiBaseUrl}`],
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(sent()).toEqual(["/v1/chat/completions llama3.1", "/v1/messages claude-test"]);
    const stats = JSON.parse(readFileSync(join(dir, "run", "stats.json"), "utf8"));
    expect(Object.keys(stats.preferences.judges).sort()).toEqual([
      `anthropic:claude-test@${server.anthropicBaseUrl}`,
      `openai:llama3.1@${server.openaiBaseUrl}`,
    ]);
  });

  it("applies --base-url only to the models that name no endpoint, never to another kind", async () => {
    const dir = tempDir();
    const run = await judge(
      dir,
      ...["--judge", "anthropic:claude-test", "--base-url", server.anthropicBaseUrl],
      ...["--judge", `openai:llama3.1@${server.openaiBaseUrl}`],
    );
    expect(run.code).toBe(0);
    expect(sent()).toEqual(["/v1/chat/completions llama3.1", "/v1/messages claude-test"]);
  });

  it("refuses a --base-url that models of two kinds would share, before any call", async () => {
    const dir = tempDir();
    const run = await judge(
      dir,
      ...["--judge", "anthropic:claude-test", "--judge", "openai:llama3.1"],
      ...["--base-url", server.openaiBaseUrl],
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--base-url is for one kind of provider");
    expect(run.stderr).toContain(`openai:llama3.1@${server.openaiBaseUrl}`);
    expect(server.requests).toHaveLength(0);
  });

  it("takes judge endpoints from the config file too", async () => {
    const dir = tempDir();
    const config = join(dir, "charter.config.json");
    writeFileSync(
      config,
      JSON.stringify({
        judge: [
          `anthropic:claude-test@${server.anthropicBaseUrl}`,
          `openai:llama3.1@${server.openaiBaseUrl}`,
        ],
      }),
    );
    const run = await judge(dir, "--config", config);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(sent()).toEqual(["/v1/chat/completions llama3.1", "/v1/messages claude-test"]);
  });

  it("gives revise's --model its own endpoint, from a flag or the config file", async () => {
    server.handle(protocolHandler);
    const dir = tempDir();
    const files = [
      ...["--constitution", writeConstitution(dir, testConstitution())],
      ...["--prompts", writePrompts(dir, [{ id: "a", prompt: "hi" }])],
    ];
    const model = `openai:fixture-model@${server.openaiBaseUrl}`;
    const flag = await revise(
      [...files, "--model", model, "--out", join(dir, "a"), "--quiet"],
      dir,
    );
    expect(flag.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "a", "manifest.json"), "utf8"));
    expect(manifest.settings.model).toBe(model);
    writeFileSync(join(dir, "charter.config.json"), JSON.stringify({ model }));
    server.reset();
    const config = await revise([...files, "--out", join(dir, "b"), "--quiet", "--no-cache"], dir);
    expect(config.code).toBe(0);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it("keeps a password in an endpoint out of the model's id, and '@' in model names", () => {
    expect(parseModelName("openai:m@http://user:secret@10.0.0.1:8000/v1")).toEqual({
      provider: "openai",
      model: "m",
      baseUrl: "http://user:secret@10.0.0.1:8000/v1",
      id: "openai:m@http://10.0.0.1:8000/v1",
    });
    expect(parseModelName("anthropic:claude-sonnet-4@20250514")).toEqual({
      provider: "anthropic",
      model: "claude-sonnet-4@20250514",
      id: "anthropic:claude-sonnet-4@20250514",
    });
  });
});
