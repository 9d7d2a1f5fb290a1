// `charter revise` against a model server that is not listening: the run stops after a few calls
// in a row fail to connect, naming the URL, the cause and how to resume, instead of failing every
// item after all its retries; once the server is up, the same command finishes the folder.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startModelServer, unusedPort, type ModelServer } from "../fixtures/model-server.js";
import { runCharter } from "./charter-process.js";
import {
  openaiRunArgs,
  protocolHandler,
  readLines,
  readTrace,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

let server: ModelServer | undefined;
afterAll(async () => {
  await server?.close();
});

it("stops the run with the endpoint, the cause and how to resume; the folder resumes", async () => {
  const dir = tempDir();
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: `d${i}`, prompt: `Prompt ${i}` }));
  const files = { constitution: writeConstitution(dir), prompts: writePrompts(dir, rows) };
  const port = await unusedPort();
  const baseUrl = `http://127.0.0.1:${port}/v1`;
  const out = join(dir, "run");
  const args = [
    "revise",
    ...openaiRunArgs(files, baseUrl, out, "--concurrency", "2", "--max-retries", "1"),
    ...["--no-cache", "--max-connection-failures", "3"],
  ];

  const stopped = await runCharter(args);
  expect(stopped.code).toBe(1);
  expect(stopped.stderr).toContain(`cannot reach the model server at ${baseUrl}`);
  expect(stopped.stderr).toContain("the last 3 calls in a row failed to connect");
  expect(stopped.stderr).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  expect(stopped.stderr).toContain(`${out} is resumable`);
  expect(stopped.stderr).toContain("run the same command again");
  const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
  expect(manifest.status).toBe("interrupted");
  // It gave up after the calls in a row, not after every item's retries: the calls that failed
  // are the 3 that decided it, plus at most one more in flight on the second slot.
  const failedCalls = (readTrace(join(out, "trace.jsonl")) as { event: string }[]).filter(
    (event) => event.event === "call-failed",
  );
  expect(failedCalls.length).toBeLessThanOrEqual(3);
  const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8"));
  expect(stats.failed).toBeLessThan(3);

  server = await startModelServer({ handler: protocolHandler, port });
  const resumed = await runCharter(args);
  expect(resumed.stderr).toBe("");
  expect(resumed.code).toBe(0);
  expect((readLines(join(out, "sft.jsonl")) as { id: string }[]).map((row) => row.id)).toEqual(
    rows.map((row) => row.id),
  );
}, 60_000);
