// `charter revise` killed with SIGKILL mid-run, then run again on the same folder: the resumed
// folder's datasets equal an uninterrupted run's byte for byte, and finished items are not resent.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";
import {
  openaiRunArgs,
  protocolHandler,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let server: ModelServer;
beforeAll(async () => {
  // Slow enough that the kill lands mid-run.
  server = await startModelServer({ handler: protocolHandler, latencyMs: 15 });
});
afterAll(async () => {
  await server.close();
});

const rows = Array.from({ length: 30 }, (_, i) => ({
  id: `item-${i}`,
  prompt: `Prompt ${i} about a lock`,
}));

it("resumes after kill -9 to the same bytes as an uninterrupted run", async () => {
  const dir = tempDir();
  const constitution = writeConstitution(dir);
  const prompts = writePrompts(dir, rows);
  const args = (out: string) =>
    openaiRunArgs(
      { constitution, prompts },
      server.openaiBaseUrl,
      join(dir, out),
      "--concurrency",
      "4",
      "--seed",
      "5",
      "--no-cache",
      "--max-retries",
      "0",
    );

  const reference = await revise(args("reference"), dir);
  expect(reference.code).toBe(0);
  const totalCalls = server.requests.length;
  server.reset();

  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "src/cli/main.ts"), "revise", ...args("killed")],
    {
      // --import tsx resolves from the working directory; every path passed is absolute.
      cwd: root,
      stdio: "ignore",
      env: { ...process.env, OPENAI_API_KEY: "" },
    },
  );
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on("exit", (_code, signal) => resolve(signal)),
  );
  while (server.requests.length < totalCalls / 3) {
    if (child.exitCode !== null) throw new Error("the child finished before it could be killed");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill("SIGKILL");
  expect(await exited).toBe("SIGKILL");
  const killedManifest = JSON.parse(readFileSync(join(dir, "killed", "manifest.json"), "utf8"));
  expect(killedManifest.status).toBe("running");
  const callsBeforeKill = server.requests.length;
  server.reset();

  const resumed = await revise(args("killed"), dir);
  expect(resumed.code).toBe(0);
  for (const file of ["sft.jsonl", "pairs.jsonl"]) {
    expect(readFileSync(join(dir, "killed", file), "utf8")).toBe(
      readFileSync(join(dir, "reference", file), "utf8"),
    );
  }
  // Items finished before the kill were not sent again.
  const stats = JSON.parse(readFileSync(join(dir, "killed", "stats.json"), "utf8"));
  expect(stats.resumed).toBeGreaterThan(0);
  expect(server.requests.length).toBeLessThan(totalCalls);
  expect(server.requests.length + callsBeforeKill).toBeGreaterThanOrEqual(totalCalls);
  expect(existsSync(join(dir, "killed", "trace.jsonl"))).toBe(true);
}, 60_000);
