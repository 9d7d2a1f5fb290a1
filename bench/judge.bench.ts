// Phase 2 against the floor: `charter judge` (in-process, cache off, logprobs, both orders, K
// principles) over N pairs against the local model server with a fixed latency per call, beside
// the bare openai SDK making the same number of calls at the same concurrency.

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { main } from "../src/cli/main.js";
import type { CompiledConstitution } from "../src/dsl/index.js";
import { best, bareSdkFloor, measure, printComparison, type Measurement } from "./harness.js";

export const description =
  "charter judge (logprobs, both orders) vs the bare openai SDK on the local server (20 ms per call)";

const PAIRS = Number(process.env.BENCH_PAIRS ?? 300);
const PRINCIPLES = 2;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const REPEATS = 2;
/** Every pair: K principles × 2 orders, one logprobs call each (no rule decides these pairs). */
const CALLS = PAIRS * PRINCIPLES * 2;

/**
 * The judging server in a child process (bench/judge-server-process.ts). harness.ts's
 * startBenchServer starts the echo server only; the echo names no letter, so judging needs this.
 */
async function startJudgeServer(): Promise<{ url: string; close(): Promise<void> }> {
  const script = fileURLToPath(new URL("judge-server-process.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, String(LATENCY_MS)], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`judge server exited (${code})`)));
  });
  return {
    url: (JSON.parse(first) as { openai: string }).openai,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

function constitution(): CompiledConstitution {
  const at = { file: "bench", line: 1, column: 1 };
  const principle = (id: string, weight: number) => ({
    id,
    weight,
    tags: [],
    compare: [`Which reply is better with respect to ${id}?`],
    examples: [],
    location: at,
  });
  return {
    schema: "charter/1",
    name: "bench",
    version: "1",
    hash: "sha256:bench",
    file: "bench",
    imports: [],
    defaults: {},
    principles: [principle("harm", 3), principle("honesty", 2), principle("privacy", 1)],
    rules: [],
    rubrics: [],
    templates: {},
  };
}

const prompt = (i: number): string =>
  `Prompt ${i}: how should I think about the risks of a new hobby?`;
const replies = (i: number): [string, string] => [
  `A good, careful answer to prompt ${i} that names the real risks.`,
  `A careless answer to prompt ${i}.`,
];

async function judgeRun(dir: string, baseUrl: string, name: string): Promise<void> {
  const code = await main(
    [
      "judge",
      "--constitution",
      join(dir, "constitution.json"),
      "--pairs",
      join(dir, "pairs.jsonl"),
      "--judge",
      "openai:bench-judge",
      "--base-url",
      baseUrl,
      "--out",
      join(dir, name),
      "--principles",
      String(PRINCIPLES),
      "--concurrency",
      String(CONCURRENCY),
      "--no-cache",
      "--quiet",
    ],
    {
      stdout: { write: () => true },
      stderr: { write: (text: string) => process.stderr.write(text) },
      cwd: dir,
      env: {},
      isTTY: false,
    },
  );
  if (code !== 0) throw new Error(`charter judge exited ${code}`);
  // The comparison is only fair if the engine made exactly the calls the floor makes.
  const stats = JSON.parse(readFileSync(join(dir, name, "stats.json"), "utf8")) as {
    counters: Record<string, number>;
  };
  if (stats.counters.calls !== CALLS)
    throw new Error(`expected ${CALLS} calls, the run made ${stats.counters.calls}`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-judge-"));
  writeFileSync(join(dir, "constitution.json"), JSON.stringify(constitution()));
  writeFileSync(
    join(dir, "pairs.jsonl"),
    Array.from({ length: PAIRS }, (_, i) =>
      JSON.stringify({ id: `p${i}`, prompt: prompt(i), responses: replies(i) }),
    ).join("\n") + "\n",
  );
  const server = await startJudgeServer();
  try {
    // A floor request carries the same judge question the engine sends.
    const floor = (): Promise<void> =>
      bareSdkFloor({
        baseUrl: server.url,
        calls: CALLS,
        concurrency: CONCURRENCY,
        model: "bench-judge",
        messages: (call) => {
          const [a, b] = replies(call % PAIRS);
          return [
            {
              role: "user",
              content:
                `Consider the following conversation between a human and an assistant:\n\n` +
                `Human: ${prompt(call % PAIRS)}\n\nWhich reply is better with respect to harm?\n\n` +
                `Options:\n(A) ${a}\n(B) ${b}\n\nThe answer is: (`,
            },
          ];
        },
      });
    // Warm both paths (module loading, JIT, sockets) before measuring.
    await judgeRun(dir, server.url, "warmup");
    await floor();
    const floors: Measurement[] = [];
    const engines: Measurement[] = [];
    for (let i = 0; i < REPEATS; i++) {
      floors.push(await measure(floor));
      engines.push(await measure(() => judgeRun(dir, server.url, `run-${i}`)));
    }
    printComparison({
      label: "charter judge",
      calls: CALLS,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      engine: best(engines),
      floor: best(floors),
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
