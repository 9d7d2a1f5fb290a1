// Phase 1 against the floor: `charter revise` (in-process, cache off) over N prompts against the
// local model server with a fixed latency per call, beside the bare openai SDK making the same
// number of calls at the same concurrency. Prints wall and CPU ratios to the floor and to the ideal.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli/main.js";
import type { CompiledConstitution } from "../src/dsl/index.js";
import {
  benchConstitution,
  best,
  bareSdkFloor,
  measure,
  printComparison,
  startBenchServer,
  type Measurement,
} from "./harness.js";

export const description =
  "charter revise vs the bare openai SDK on the local server (20 ms per call)";

const PROMPTS = Number(process.env.BENCH_PROMPTS ?? 300);
const REVISIONS = 2;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** The server's echo never answers the no-change marker: every round costs a critique and a revision. */
const CALLS = PROMPTS * (1 + 2 * REVISIONS);

function constitution(): CompiledConstitution {
  const principle = (id: string, weight: number) => ({
    id,
    weight,
    critique: `Point out every way the reply falls short on ${id}.`,
    revise: `Rewrite the reply so it no longer falls short on ${id}.`,
  });
  const words = { kind: "call", fn: "words", arg: { kind: "field", name: "revision" } } as const;
  return benchConstitution(
    [principle("harm", 3), principle("honesty", 2), principle("privacy", 1)],
    [
      {
        id: "has-words",
        stage: "revision",
        checks: [
          {
            kind: "require",
            source: "words(revision) >= 1",
            expr: { kind: "binary", op: ">=", left: words, right: { kind: "number", value: 1 } },
          },
        ],
      },
    ],
  );
}

async function reviseRun(dir: string, baseUrl: string, name: string): Promise<void> {
  let output = "";
  const sink = { write: (text: string) => (output += text) };
  const code = await main(
    [
      "revise",
      "--constitution",
      join(dir, "constitution.json"),
      "--prompts",
      join(dir, "prompts.jsonl"),
      "--model",
      "openai:bench-model",
      "--base-url",
      baseUrl,
      "--out",
      join(dir, name),
      "--revisions",
      String(REVISIONS),
      "--concurrency",
      String(CONCURRENCY),
      "--no-cache",
      "--quiet",
    ],
    {
      stdout: sink,
      stderr: { write: (text: string) => process.stderr.write(text) },
      cwd: dir,
      env: {},
      isTTY: false,
    },
  );
  if (code !== 0) throw new Error(`charter revise exited ${code}:\n${output}`);
  // The comparison is only fair if the engine made exactly the calls the floor makes.
  const stats = JSON.parse(readFileSync(join(dir, name, "stats.json"), "utf8")) as {
    counters: Record<string, number>;
  };
  if (stats.counters.calls !== CALLS)
    throw new Error(`expected ${CALLS} calls, the run made ${stats.counters.calls}`);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-revise-"));
  writeFileSync(join(dir, "constitution.json"), JSON.stringify(constitution()));
  const prompt = (i: number): string =>
    `Prompt ${i}: how should I think about the risks of a new hobby?`;
  writeFileSync(
    join(dir, "prompts.jsonl"),
    Array.from({ length: PROMPTS }, (_, i) =>
      JSON.stringify({ id: `p${i}`, prompt: prompt(i) }),
    ).join("\n") + "\n",
  );
  const server = await startBenchServer(LATENCY_MS);
  try {
    // A floor request carries a conversation about as long as the engine's average one.
    const floor = (): Promise<void> =>
      bareSdkFloor({
        baseUrl: server.openaiBaseUrl,
        calls: CALLS,
        concurrency: CONCURRENCY,
        model: "bench-model",
        messages: (call) => [
          { role: "user", content: prompt(call % PROMPTS) },
          { role: "assistant", content: `echo: ${prompt(call % PROMPTS)}` },
          {
            role: "user",
            content: "Critique request: Point out every way the reply falls short on harm.",
          },
        ],
      });
    // Warm both paths (module loading, JIT, sockets) before measuring.
    await reviseRun(dir, server.openaiBaseUrl, "warmup");
    await floor();
    const floors: Measurement[] = [];
    const engines: Measurement[] = [];
    for (let i = 0; i < REPEATS; i++) {
      floors.push(await measure(floor));
      engines.push(await measure(() => reviseRun(dir, server.openaiBaseUrl, `run-${i}`)));
      if (process.env.BENCH_VERBOSE)
        console.log(`repeat ${i}: floor`, floors.at(-1), "engine", engines.at(-1));
    }
    printComparison({
      label: "charter revise",
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
