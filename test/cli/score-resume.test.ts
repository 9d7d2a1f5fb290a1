// `charter score` killed with SIGKILL mid-run, then run again on the same folder: the resumed
// folder's files equal an uninterrupted run's byte for byte, and finished rows are not resent.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
let server: ModelServer;
let dir: string;
beforeAll(async () => {
  // Slow enough that the kill lands mid-run. P(yes) follows the reply's length, so scores differ.
  server = await startModelServer({
    latencyMs: 15,
    handler: (request) => {
      const probability = 0.1 + (request.rawBody.length % 80) / 100;
      return {
        text: "Yes",
        tokens: [
          {
            token: "Yes",
            logprob: Math.log(probability),
            top: [
              { token: "Yes", logprob: Math.log(probability) },
              { token: "No", logprob: Math.log(1 - probability) },
            ],
          },
        ],
      };
    },
  });
  dir = mkdtempSync(join(tmpdir(), "charter-score-resume-"));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

it("resumes after kill -9 to the same bytes as an uninterrupted run", async () => {
  const constitution = join(dir, "score.charter");
  writeFileSync(
    constitution,
    `charter "resume" version "1.0.0"
rubric r {
  essential "Answers the question" weight 3
  important "Explains why" weight 2
  pitfall "Is rude" weight -1
}
`,
  );
  const input = join(dir, "rows.jsonl");
  writeFileSync(
    input,
    Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        id: `row-${i}`,
        prompt: `Question ${i}?`,
        responses: [`Answer ${i}`, `Reply ${"x".repeat(i)}`],
      }),
    ).join("\n") + "\n",
  );
  const args = (out: string) => [
    "score",
    "--constitution",
    constitution,
    "--input",
    input,
    "--judge",
    "openai:grader",
    "--base-url",
    server.openaiBaseUrl,
    "--out",
    join(dir, out),
    "--pairs-from",
    "best-worst",
    "--threshold",
    "0.5",
    "--concurrency",
    "4",
    "--no-cache",
    "--max-retries",
    "0",
    "--quiet",
  ];
  const io: CliIO = {
    stdout: { write: () => undefined },
    stderr: { write: () => undefined },
    cwd: dir,
    env: {},
    isTTY: false,
  };
  expect(await main(args("reference"), io)).toBe(0);
  const totalCalls = server.requests.length;
  expect(totalCalls).toBe(30 * 2 * 3);
  server.reset();

  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(root, "src/cli/main.ts"), ...args("killed")],
    {
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
  const callsBeforeKill = server.requests.length;
  server.reset();

  expect(await main(args("killed"), io)).toBe(0);
  for (const file of [
    "scores.jsonl",
    "kept.jsonl",
    "dropped.jsonl",
    "preferences.jsonl",
    "ties.jsonl",
  ])
    expect(readFileSync(join(dir, "killed", file), "utf8")).toBe(
      readFileSync(join(dir, "reference", file), "utf8"),
    );
  const stats = JSON.parse(readFileSync(join(dir, "killed", "stats.json"), "utf8"));
  expect(stats.resumed).toBeGreaterThan(0);
  expect(server.requests.length).toBeLessThan(totalCalls);
  expect(server.requests.length + callsBeforeKill).toBeGreaterThanOrEqual(totalCalls);
}, 60_000);
