// `--tier batch`: the same run through OpenAI's Files + Batches and Anthropic's Message Batches
// (the test server's, through the real SDKs) writes the same dataset bytes as a standard run, pays
// for every request once, and resubmits only the requests that failed or expired.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";
import {
  protocolHandler,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({ handler: protocolHandler });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

const rows = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `item-${i}`, prompt: `Prompt ${i} about a lock` })),
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
    const ids = new Set(server.batches.lines.map((line) => line.customId));
    for (const id of ids) expect(id).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
    expect(readFileSync(join(dir, "batch", ".journal", "batches.jsonl"), "utf8")).toContain(
      '"t":"batch"',
    );
  });
});
