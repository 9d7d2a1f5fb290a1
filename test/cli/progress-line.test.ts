// The progress line through the real `charter` process: a 429 shows while its item is still
// running, judge counts pairs and names its method, and a terminal gets the final line once.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import { charterCommand, REPO_ROOT, runCharter } from "./charter-process.js";
import { spawn, spawnSync } from "node:child_process";

// util-linux `script` gives the process a real terminal; Debian always has it, other systems may not.
const hasScript = spawnSync("script", ["--version"]).status === 0;
if (!hasScript)
  console.warn("progress-line.test.ts: terminal test skipped (no util-linux `script`)");

let server: ModelServer;
let dir: string;
beforeAll(async () => {
  server = await startModelServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
  server.handle(undefined);
  dir = mkdtempSync(join(tmpdir(), "charter-progress-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
}

/** Two pair rows, one judge answering `A)`; the first request is refused with a 429. */
function judgeArgs(judge: string, ...more: string[]): string[] {
  // The 429 asks for a 1.5 s wait, so the item is still running when the line must show it.
  server.script({ status: 429, headers: { "retry-after": "1.5" } });
  server.handle(() => ({ text: "A)", delayMs: 50 }));
  const pairs = ["r1", "r2"]
    .map((id) => JSON.stringify({ id, prompt: "p", responses: ["x", "y"] }))
    .join("\n");
  return [
    "judge",
    ...["--constitution", write("judge.json", judgeConstitution())],
    ...["--pairs", write("pairs.jsonl", `${pairs}\n`)],
    ...["--judge", judge],
    ...[
      "--base-url",
      judge.startsWith("anthropic:") ? server.anthropicBaseUrl : server.openaiBaseUrl,
    ],
    ...["--samples", "1", "--concurrency", "1", "--out", join(dir, "run"), ...more],
  ];
}

// A key for the local Anthropic-format server (it checks none).
const env = (): Record<string, string> => ({
  CHARTER_CACHE_DIR: join(dir, "cache"),
  ANTHROPIC_API_KEY: "local-test-key",
});

/** Runs `charter ARGS` with a pseudo-terminal (util-linux `script`): what a user's shell shows. */
function runOnTerminal(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const quoted = charterCommand(args)
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(" ");
  const child = spawn("script", ["-qefc", quoted, "/dev/null"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OPENAI_API_KEY: "", ...env() },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, output })));
}

/** The progress lines drawn on a terminal, in order (each redraw starts with a carriage return). */
function drawnLines(output: string): string[] {
  const erase = "\u001b[K";
  return output
    .split("\r")
    .filter((part) => part.startsWith("judge ") && part.includes(erase))
    .map((part) => part.slice(0, part.indexOf(erase)));
}

describe("progress line", () => {
  it.skipIf(!hasScript)(
    "shows a 429 on a terminal before the item finished, counts pairs, names the method, ends once",
    async () => {
      const { code, output } = await runOnTerminal(
        judgeArgs("openai:local-judge", "--method", "vote"),
      );
      expect(code).toBe(0);
      const lines = drawnLines(output);
      // Lines drawn while no pair had settled already show the 429 (while its wait runs), then the
      // retry when it starts.
      const early = lines.filter((line) => line.startsWith("judge vote 0/2 pairs · "));
      expect(early).toContain("judge vote 0/2 pairs · 0 calls (1 rate-limited (429))");
      expect(early.some((line) => line.includes("(1 retries, 1 rate-limited (429))"))).toBe(true);
      const last = lines.at(-1) as string;
      expect(last).toMatch(
        /^judge vote 2\/2 pairs · 4 calls \(1 retries, 1 rate-limited \(429\)\)/,
      );
      // The final line is drawn once, then ended by a newline before the summary.
      expect(lines.filter((line) => line === last)).toHaveLength(1);
      expect(output).toContain(`${last}\u001b[K\r\n`);
    },
    30_000,
  );

  it("names vote when the judge gives no log-probabilities, and prints 429s off a terminal too", async () => {
    // Without --method the judge's capability decides: Anthropic's API gives no log-probabilities,
    // so its judge votes and the line must say so.
    const run = await runCharter(judgeArgs("anthropic:claude-local"), env());
    expect(run.code).toBe(0);
    const lines = run.stderr.split("\n").filter((line) => line.startsWith("judge "));
    expect(lines[0]).toBe("judge vote 0/2 pairs · 0 calls");
    const early = lines.find((line) => line.includes("rate-limited (429)"));
    expect(early).toBe("judge vote 0/2 pairs · 0 calls (1 rate-limited (429))");
    // The last line is not printed twice.
    expect(new Set(lines).size).toBe(lines.length);
    expect(lines.at(-1)).toMatch(/^judge vote 2\/2 pairs · 4 calls \(1 retries, 1 rate-limited/);
  }, 30_000);

  it("counts score's rows and names its method", async () => {
    server.script({ status: 429, headers: { "retry-after": "1.5" } });
    server.handle(() => ({ text: "Yes, it does." }));
    const rows = ["one", "two"].map((id) =>
      JSON.stringify({
        id,
        prompt: "Q?",
        // Different replies, so the second question is not answered from the response cache.
        response: `Water, ${id}.`,
        rubric: [{ criterion: "Mentions water", weight: 1 }],
      }),
    );
    const run = await runCharter(
      [
        "score",
        ...["--constitution", write("score.charter", 'charter "score-test" version "1.0.0"\n')],
        ...["--input", write("rows.jsonl", `${rows.join("\n")}\n`)],
        ...["--judge", "anthropic:claude-local", "--base-url", server.anthropicBaseUrl],
        ...["--method", "vote", "--samples", "1", "--concurrency", "1"],
        ...["--out", join(dir, "run")],
      ],
      env(),
    );
    expect(run.code).toBe(0);
    const lines = run.stderr.split("\n").filter((line) => line.startsWith("score "));
    expect(lines).toContain("score vote 0/2 rows · 0 calls (1 rate-limited (429))");
    expect(lines.at(-1)).toMatch(/^score vote 2\/2 rows · 2 calls \(1 retries, 1 rate-limited/);
    expect(new Set(lines).size).toBe(lines.length);
  }, 30_000);
});
