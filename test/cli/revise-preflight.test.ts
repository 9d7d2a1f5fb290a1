// `charter revise` refuses, before sending a single call, runs that would silently do something
// else than asked: a typo in the constitution's `defaults`, or a run with nothing to revise.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { runCharter } from "./charter-process.js";
import { openaiRunArgs, protocolHandler, tempDir, writePrompts } from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler, eachTest: "none" });

const HEADER = 'charter "pre" version "1.0.0"\n';
const REVISABLE = 'principle harm { critique "Point out harm." revise "Remove the harm." }\n';

async function reviseWith(source: string, ...more: string[]) {
  const dir = tempDir();
  const constitution = join(dir, "c.charter");
  writeFileSync(constitution, source);
  const prompts = writePrompts(dir, [{ id: "a", prompt: "Hello" }]);
  server.reset();
  const out = join(dir, "out");
  const run = await runCharter([
    "revise",
    ...openaiRunArgs({ constitution, prompts }, server.openaiBaseUrl, out, "--no-cache", ...more),
  ]);
  return { ...run, out, calls: server.requests.length };
}

it("a typo in `defaults` stops the run with did-you-mean, before any call", async () => {
  const run = await reviseWith(`${HEADER}defaults {\n  revison 3\n}\n${REVISABLE}`);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("c.charter:3:3: error[unknown-default]: unknown default `revison`");
  expect(run.stderr).toContain("did you mean `revisions`?");
  expect(run.calls).toBe(0);
  expect(existsSync(run.out)).toBe(false);
}, 30_000);

it("`revisions 0` says there is nothing to revise, before any call", async () => {
  const run = await reviseWith(`${HEADER}defaults { revisions 0 }\n${REVISABLE}`);
  expect(run.code).toBe(1);
  expect(run.stderr).toContain("nothing would be revised: `revisions` is 0");
  expect(run.calls).toBe(0);
  expect(existsSync(run.out)).toBe(false);
  // The flag is a setting like any other.
  const flagged = await reviseWith(`${HEADER}${REVISABLE}`, "--revisions", "0");
  expect(flagged.code).toBe(1);
  expect(flagged.stderr).toContain("nothing would be revised: `revisions` is 0");
  expect(flagged.calls).toBe(0);
}, 30_000);

it("a constitution without a principle holding both critique and revise says so, before any call", async () => {
  const run = await reviseWith(
    `${HEADER}principle kind { compare "Which reply is kinder?" }\nprinciple half { critique "Is it rude?" compare "Which is politer?" }\n`,
  );
  expect(run.code).toBe(1);
  expect(run.stderr).toContain(
    'nothing would be revised: no principle of "pre" has both `critique` and `revise`',
  );
  expect(run.calls).toBe(0);
  expect(existsSync(run.out)).toBe(false);
  // The control: the same command with a revisable principle runs.
  const ok = await reviseWith(`${HEADER}${REVISABLE}`);
  expect(ok.code).toBe(0);
  expect(ok.calls).toBeGreaterThan(0);
}, 30_000);
