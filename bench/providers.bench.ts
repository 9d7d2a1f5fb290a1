// Provider overhead: createModel (pool, retries, usage, and with/without the disk cache) against the
// bare openai SDK making the same calls at the same concurrency; then a fully cached rerun.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createModel } from "../src/providers/index.js";
import { bareSdkFloor, best, measure, printComparison, startBenchServer } from "./harness.js";

export const description =
  "createModel vs the bare openai SDK, 400 calls at concurrency 8, 20 ms latency";

const CALLS = 400;
const CONCURRENCY = 8;
const LATENCY_MS = 20;
const ROUNDS = 3;

const messages = (call: number) => [
  { role: "user" as const, content: `bench prompt ${call} ${"x".repeat(200)}` },
];

async function drive(complete: (call: number) => Promise<unknown>): Promise<void> {
  await Promise.all(Array.from({ length: CALLS }, (_, call) => complete(call)));
}

export async function run(): Promise<void> {
  const server = await startBenchServer(LATENCY_MS);
  const cacheRoot = mkdtempSync(join(tmpdir(), "charter-bench-cache-"));
  try {
    const floors = [];
    const uncached = [];
    const cached = [];
    const reruns = [];
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(
        await measure(() =>
          bareSdkFloor({
            baseUrl: server.openaiBaseUrl,
            calls: CALLS,
            concurrency: CONCURRENCY,
            model: "bench",
            messages,
          }),
        ),
      );
      const plain = createModel("openai:bench", {
        baseUrl: server.openaiBaseUrl,
        apiKey: "bench",
        env: {},
        concurrency: CONCURRENCY,
        noCache: true,
      });
      uncached.push(
        await measure(() => drive((call) => plain.complete({ messages: messages(call) }))),
      );
      const cacheDir = join(cacheRoot, String(round));
      const withCache = () =>
        createModel("openai:bench", {
          baseUrl: server.openaiBaseUrl,
          apiKey: "bench",
          env: {},
          concurrency: CONCURRENCY,
          cacheDir,
        });
      const first = withCache();
      cached.push(
        await measure(() => drive((call) => first.complete({ messages: messages(call) }))),
      );
      const again = withCache();
      reruns.push(
        await measure(() => drive((call) => again.complete({ messages: messages(call) }))),
      );
    }
    const common = {
      calls: CALLS,
      concurrency: CONCURRENCY,
      latencyMs: LATENCY_MS,
      floor: best(floors),
    };
    printComparison({ ...common, label: "createModel", engine: best(uncached) });
    printComparison({ ...common, label: "+ disk cache", engine: best(cached) });
    const rerun = best(reruns);
    console.log(
      `cached rerun: ${CALLS} hits in ${rerun.wallMs.toFixed(0)} ms wall, ${rerun.cpuMs.toFixed(0)} ms cpu (no calls)`,
    );
  } finally {
    rmSync(cacheRoot, { recursive: true, force: true });
    await server.close();
  }
}
