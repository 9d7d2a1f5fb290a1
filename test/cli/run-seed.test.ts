// The run seed reaches sampled calls: it is sent as `seed` where the API takes one (OpenAI chat,
// not Anthropic) and is part of the cache key, so another seed into a new folder is not served
// the first seed's replies; the same seed and cache give the same bytes. Real SDKs, local server.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import {
  openaiRunArgs,
  protocolHandler,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler });

const rows = Array.from({ length: 3 }, (_, i) => ({ id: `p${i}`, prompt: `Question #${i}` }));
const seedOf = (body: unknown): unknown => (body as { seed?: unknown }).seed;

function setup() {
  const dir = tempDir();
  const files = { constitution: writeConstitution(dir), prompts: writePrompts(dir, rows) };
  return { dir, files, out: (name: string) => join(dir, name) };
}

describe("the run seed", () => {
  it("is sent with sampled OpenAI calls and keys the cache: another seed is not served the first one's replies", async () => {
    const { dir, files, out } = setup();
    const args = (name: string, seed: string) =>
      openaiRunArgs(files, server.openaiBaseUrl, out(name), "--seed", seed);
    expect((await revise(args("one", "1"), dir)).code).toBe(0);
    const first = server.requests.map((request) => seedOf(request.body));
    expect(first.every((seed) => Number.isInteger(seed))).toBe(true);
    // Each call has its own seed (item, purpose, round): no two requests share one.
    expect(new Set(first).size).toBe(first.length);

    server.reset();
    expect((await revise(args("two", "2"), dir)).code).toBe(0);
    expect(server.requests).toHaveLength(first.length); // nothing from seed 1's cache entries
    const second = server.requests.map((request) => seedOf(request.body));
    expect(second.filter((seed) => first.includes(seed))).toEqual([]);

    server.reset();
    expect((await revise(args("again", "1"), dir)).code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(readFileSync(join(out("again"), "sft.jsonl"))).toEqual(
      readFileSync(join(out("one"), "sft.jsonl")),
    );
  });

  it("sends no seed with greedy calls (temperature 0), which stay shared across seeds", async () => {
    const { dir, files, out } = setup();
    const args = (name: string, seed: string) =>
      openaiRunArgs(files, server.openaiBaseUrl, out(name), "--seed", seed, "--temperature", "0");
    expect((await revise(args("one", "1"), dir)).code).toBe(0);
    expect(server.requests.every((request) => seedOf(request.body) === undefined)).toBe(true);
    const sent = server.requests.length;
    expect((await revise(args("two", "2"), dir)).code).toBe(0);
    // Same principles drawn or not, the first replies are the same greedy request: cached.
    expect(server.requests.length).toBeLessThan(2 * sent);
  });

  it("is not sent to Anthropic, but still keys its cache entries", async () => {
    const { dir, files, out } = setup();
    const args = (name: string, seed: string) => [
      ...["--constitution", files.constitution, "--prompts", files.prompts],
      ...["--model", "anthropic:claude-test", "--base-url", server.anthropicBaseUrl],
      ...["--out", out(name), "--quiet", "--seed", seed],
    ];
    const env = { ANTHROPIC_API_KEY: "test-key" };
    expect((await revise(args("one", "1"), dir, env)).code).toBe(0);
    const sent = server.requests.length;
    expect(server.requests.every((request) => seedOf(request.body) === undefined)).toBe(true);
    expect((await revise(args("two", "2"), dir, env)).code).toBe(0);
    expect(server.requests).toHaveLength(2 * sent);
  });

  it("gives each vote sample of the judge its own seed, and another seed other samples", async () => {
    server.handle(() => ({ text: "A)" }));
    const dir = tempDir();
    const pairs = writePrompts(
      dir,
      [{ id: "r", prompt: "p", responses: ["x", "y"] }],
      "pairs.jsonl",
    );
    const judge = (name: string, seed: string) =>
      main(
        [
          "judge",
          ...["--constitution", writeConstitution(dir, judgeConstitution()), "--pairs", pairs],
          ...["--judge", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
          ...["--method", "vote", "--samples", "3", "--no-both-orders", "--seed", seed],
          ...["--out", join(dir, name), "--quiet"],
        ],
        {
          stdout: { write: () => true },
          stderr: { write: () => true },
          cwd: dir,
          env: {},
          isTTY: false,
        },
      );
    expect(await judge("one", "1")).toBe(0);
    const first = server.requests.map((request) => seedOf(request.body));
    expect(new Set(first).size).toBe(3);
    server.reset();
    expect(await judge("two", "2")).toBe(0);
    expect(server.requests).toHaveLength(3);
  });
});
