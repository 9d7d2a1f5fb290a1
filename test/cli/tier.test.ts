// `--tier` at the command line: flex reaches the server and the manifest, is priced at half in
// stats.json; a tier the provider or endpoint lacks stops the command (exit 2) before any call.
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";
import {
  openaiRunArgs,
  protocolHandler,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler });
let dir: string;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const files = () => ({
  constitution: writeConstitution(dir),
  prompts: writePrompts(dir, [{ id: "a", prompt: "benign question #1" }]),
});
const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;

describe("charter revise --tier", () => {
  it("flex: every request carries service_tier flex, the manifest says flex, stats price at half", async () => {
    const out = join(dir, "flex");
    const prices = join(dir, "charter.config.json");
    writeFileSync(
      prices,
      JSON.stringify({ prices: { "openai:fixture-model": { input: 1, output: 2 } } }),
    );
    const run = await charterInProcess(dir, [
      "revise",
      ...openaiRunArgs(files(), server.openaiBaseUrl, out, "--tier", "flex", "--tier-any-endpoint"),
    ]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((request) => request.serviceTier === "flex")).toBe(true);
    expect((json(join(out, "manifest.json")).manifestInfo as Record<string, unknown>).tier).toBe(
      "flex",
    );
    const counters = json(join(out, "stats.json")).counters as Record<string, number>;
    const full = ((counters.inputTokens ?? 0) * 1 + (counters.outputTokens ?? 0) * 2) / 1e6;
    expect(counters.cost).toBeCloseTo(full / 2, 12);
  });

  it("standard is what a run without --tier records", async () => {
    const out = join(dir, "standard");
    const run = await charterInProcess(dir, [
      "revise",
      ...openaiRunArgs(files(), server.openaiBaseUrl, out),
    ]);
    expect(run.code).toBe(0);
    expect((json(join(out, "manifest.json")).manifestInfo as Record<string, unknown>).tier).toBe(
      "standard",
    );
    expect(server.requests.some((request) => request.serviceTier !== undefined)).toBe(false);
  });

  it.each([
    [["--tier", "flex"], "add --tier-any-endpoint"],
    [["--tier", "fast"], "--tier must be one of standard, flex, batch (got 'fast')"],
  ])("refuses %j before any call (exit 2)", async (flags, message) => {
    const run = await charterInProcess(dir, [
      "revise",
      ...openaiRunArgs(files(), server.openaiBaseUrl, join(dir, "out"), ...flags),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(server.requests).toHaveLength(0);
  });

  it("refuses flex for an Anthropic judge and the offline model (exit 2)", async () => {
    const judge = await charterInProcess(
      dir,
      [
        "score",
        "--constitution",
        files().constitution,
        "--input",
        writePrompts(dir, [{ id: "r", prompt: "p", response: "x" }], "rows.jsonl"),
        "--judge",
        "anthropic:claude-haiku-4-5",
        "--tier",
        "flex",
        "--out",
        join(dir, "s"),
      ],
      { ANTHROPIC_API_KEY: "k" },
    );
    expect(judge.code).toBe(2);
    expect(judge.stderr).toContain("Anthropic has no flex tier");
    const offline = await charterInProcess(dir, [
      "revise",
      ...["--constitution", files().constitution, "--prompts", files().prompts],
      ...["--model", "offline:rehearsal", "--tier", "flex", "--out", join(dir, "o"), "--quiet"],
    ]);
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain("the offline model has no flex tier");
  });
});
