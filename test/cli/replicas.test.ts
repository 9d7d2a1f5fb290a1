// `--base-url` repeated (or a list in the config): a revise run spread over replicas, one of them
// down, writes the same dataset as a run on one server, and its trace names the replica per call.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startModelServer, unusedPort, type ModelServer } from "../fixtures/model-server.js";
import { charterInProcess } from "./charter-in-process.js";
import {
  protocolHandler,
  readTrace,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

let dir: string;
let servers: ModelServer[];
beforeEach(async () => {
  dir = tempDir();
  servers = await Promise.all([0, 1].map(() => startModelServer({ handler: protocolHandler })));
});
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(dir, { recursive: true, force: true });
});

const prompts = Array.from({ length: 6 }, (_, n) => ({ id: `p${n}`, prompt: `question #${n}` }));

function args(out: string, ...more: string[]): string[] {
  return [
    "revise",
    ...["--constitution", writeConstitution(dir), "--prompts", writePrompts(dir, prompts)],
    ...["--model", "openai:fixture-model", "--out", join(dir, out), "--quiet", "--no-cache"],
    ...["--max-retries", "0", "--concurrency", "4", ...more],
  ];
}

describe("charter revise with replicas", () => {
  it("spreads over the replicas, skips a dead one, and writes what one server writes", async () => {
    const [a, b] = servers as [ModelServer, ModelServer];
    const dead = `http://127.0.0.1:${await unusedPort()}/v1`;
    const one = await charterInProcess(dir, args("one", "--base-url", a.openaiBaseUrl));
    expect(one.code).toBe(0);
    a.reset();
    const urls = [dead, a.openaiBaseUrl, b.openaiBaseUrl];
    const spread = await charterInProcess(
      dir,
      args("spread", ...urls.flatMap((url) => ["--base-url", url])),
    );
    expect(spread.stderr).toBe("");
    expect(spread.code).toBe(0);
    expect(a.requests.length).toBeGreaterThan(0);
    expect(b.requests.length).toBeGreaterThan(0);
    const sft = (out: string) => readFileSync(join(dir, out, "sft.jsonl"), "utf8");
    expect(sft("spread")).toBe(sft("one"));
    const calls = (
      readTrace(join(dir, "spread", "trace.jsonl")) as Record<string, unknown>[]
    ).filter((event) => event.event === "call");
    expect(new Set(calls.map((event) => event.replica))).toEqual(
      new Set([a.openaiBaseUrl, b.openaiBaseUrl]),
    );
    const manifest = JSON.parse(readFileSync(join(dir, "spread", "manifest.json"), "utf8")) as {
      manifestInfo: { baseUrl: unknown };
    };
    expect(manifest.manifestInfo.baseUrl).toEqual(urls);
  });

  it("takes the replicas from a list under base-url in the config file", async () => {
    const [a, b] = servers as [ModelServer, ModelServer];
    writeFileSync(
      join(dir, "charter.config.json"),
      JSON.stringify({ "base-url": [a.openaiBaseUrl, b.openaiBaseUrl] }),
    );
    const run = await charterInProcess(dir, args("config"));
    expect(run.code).toBe(0);
    expect(a.requests.length).toBeGreaterThan(0);
    expect(b.requests.length).toBeGreaterThan(0);
  });

  it("refuses a replica that is not an http(s) URL before any call (exit 2)", async () => {
    const [a] = servers as [ModelServer, ModelServer];
    const run = await charterInProcess(
      dir,
      args("bad", "--base-url", a.openaiBaseUrl, "--base-url", "localhost:8000"),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--base-url must be an http(s) URL (got 'localhost:8000')");
    expect(a.requests).toHaveLength(0);
  });
});
