// Phase 2 against the floor: `charter judge` (in-process, cache off, logprobs, both orders, K
// principles) over N pairs against the local model server with a fixed latency per call, beside
// the bare openai SDK making the same number of calls at the same concurrency.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  bareSdkFloor,
  benchConstitution,
  compareWithFloor,
  runCharter,
  startBenchServer,
} from "./harness.js";

export const description =
  "charter judge (logprobs, both orders) vs the bare openai SDK on the local server (20 ms per call)";

const PAIRS = Number(process.env.BENCH_PAIRS ?? 300);
const PRINCIPLES = 2;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** Every pair: K principles × 2 orders, one logprobs call each (no rule decides these pairs). */
const CALLS = PAIRS * PRINCIPLES * 2;

const constitution = () =>
  benchConstitution(
    [
      ["harm", 3],
      ["honesty", 2],
      ["privacy", 1],
    ].map(([id, weight]) => ({
      id: String(id),
      weight: Number(weight),
      compare: [`Which reply is better with respect to ${String(id)}?`],
    })),
  );

const prompt = (i: number): string =>
  `Prompt ${i}: how should I think about the risks of a new hobby?`;
const replies = (i: number): [string, string] => [
  `A good, careful answer to prompt ${i} that names the real risks.`,
  `A careless answer to prompt ${i}.`,
];

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-judge-"));
  writeFileSync(join(dir, "constitution.json"), JSON.stringify(constitution()));
  writeFileSync(
    join(dir, "pairs.jsonl"),
    Array.from({ length: PAIRS }, (_, i) =>
      JSON.stringify({ id: `p${i}`, prompt: prompt(i), responses: replies(i) }),
    ).join("\n") + "\n",
  );
  const server = await startBenchServer(LATENCY_MS, "judge");
  try {
    await compareWithFloor({
      label: "charter judge",
      calls: CALLS,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      repeats: REPEATS,
      engine: (name) =>
        runCharter(
          [
            "judge",
            "--constitution",
            join(dir, "constitution.json"),
            "--pairs",
            join(dir, "pairs.jsonl"),
            "--judge",
            "openai:bench-judge",
            "--base-url",
            server.openaiBaseUrl,
            "--principles",
            String(PRINCIPLES),
            "--concurrency",
            String(CONCURRENCY),
          ],
          { cwd: dir, out: join(dir, name), calls: CALLS },
        ),
      // A floor request carries the same judge question the engine sends.
      floor: () =>
        bareSdkFloor({
          baseUrl: server.openaiBaseUrl,
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
          logprobs: true,
        }),
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
