// Phase 1 against the floor: `charter revise` (in-process, cache off) over N prompts against the
// local model server with a fixed latency per call, beside the bare openai SDK making the same
// number of calls at the same concurrency. Prints wall and CPU ratios to the floor and to the ideal.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CompiledConstitution } from "../src/dsl/index.js";
import {
  bareSdkFloor,
  benchConstitution,
  compareWithFloor,
  runCharter,
  startBenchServer,
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
    await compareWithFloor({
      label: "charter revise",
      calls: CALLS,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      repeats: REPEATS,
      engine: (name) =>
        runCharter(
          [
            "revise",
            "--constitution",
            join(dir, "constitution.json"),
            "--prompts",
            join(dir, "prompts.jsonl"),
            "--model",
            "openai:bench-model",
            "--base-url",
            server.openaiBaseUrl,
            "--revisions",
            String(REVISIONS),
            "--concurrency",
            String(CONCURRENCY),
          ],
          { cwd: dir, out: join(dir, name), calls: CALLS },
        ),
      // A floor request carries a conversation about as long as the engine's average one.
      floor: () =>
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
        }),
    });
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
