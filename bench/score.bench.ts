// Rubric scoring against the floor: `charter score` (in-process, cache off, logprobs) over N rows
// of two replies each, a rubric of three judged criteria and one rule criterion (no call),
// against the local model server with a fixed latency per call, beside the bare openai SDK making
// the same number of calls at the same concurrency.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bareSdkFloor, compareWithFloor, runCharter, startBenchServer } from "./harness.js";

export const description =
  "charter score (logprobs, 3 judged + 1 rule criteria) vs the bare openai SDK on the local server (20 ms per call)";

const ROWS = Number(process.env.BENCH_ROWS ?? 200);
const REPLIES = 2;
const JUDGED = 3;
const CONCURRENCY = 16;
const LATENCY_MS = 20;
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/** Every reply: one logprobs call per judged criterion; the rule criterion sends nothing. */
const CALLS = ROWS * REPLIES * JUDGED;

const CONSTITUTION = `charter "bench-score" version "1.0.0"

rubric answer {
  essential "Answers the question that was asked" weight 4
  important "Names the real risks" weight 2
  essential "At most 60 words" check words(response) <= 60 weight 1
  pitfall "Overstates certainty" weight -2
}
`;

const prompt = (i: number): string =>
  `Prompt ${i}: how should I think about the risks of a new hobby?`;
const replies = (i: number): [string, string] => [
  `A careful answer to prompt ${i} that names the real risks.`,
  `A quick answer to prompt ${i}.`,
];

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-score-"));
  writeFileSync(join(dir, "score.charter"), CONSTITUTION);
  writeFileSync(
    join(dir, "rows.jsonl"),
    Array.from({ length: ROWS }, (_, i) =>
      JSON.stringify({ id: `r${i}`, prompt: prompt(i), responses: replies(i) }),
    ).join("\n") + "\n",
  );
  const server = await startBenchServer(LATENCY_MS, "score");
  try {
    await compareWithFloor({
      label: "charter score",
      calls: CALLS,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      repeats: REPEATS,
      engine: (name) =>
        runCharter(
          [
            "score",
            "--constitution",
            join(dir, "score.charter"),
            "--input",
            join(dir, "rows.jsonl"),
            "--judge",
            "openai:bench-judge",
            "--base-url",
            server.openaiBaseUrl,
            "--pairs-from",
            "best-worst",
            "--concurrency",
            String(CONCURRENCY),
          ],
          { cwd: dir, out: join(dir, name), calls: CALLS },
        ),
      // A floor request carries the same criterion question the engine sends, with logprobs.
      floor: () =>
        bareSdkFloor({
          baseUrl: server.openaiBaseUrl,
          calls: CALLS,
          concurrency: CONCURRENCY,
          model: "bench-judge",
          messages: (call) => {
            const row = Math.floor(call / (REPLIES * JUDGED)) % ROWS;
            const reply = replies(row)[Math.floor(call / JUDGED) % REPLIES] as string;
            return [
              {
                role: "user",
                content:
                  `Here is a conversation between a human and an AI assistant.\n\n` +
                  `Human: ${prompt(row)}\n\nAssistant: ${reply}\n\n` +
                  `Judge the assistant's last reply against one criterion of a grading rubric.\n` +
                  `Criterion (essential): Answers the question that was asked\n\n` +
                  `Is this criterion true of the assistant's last reply? Answer with one word: Yes or No.`,
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
