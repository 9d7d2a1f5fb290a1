// Replica scaling: one model on 1, 2 and 4 servers of fixed capacity (each answers at most K
// requests at once with a fixed latency, queueing the rest); throughput as a ratio to one server.

import { createModel } from "../src/providers/index.js";
import { startModelServer, type ModelServer } from "../test/fixtures/model-server.js";
import { best, measure, type Measurement } from "./harness.js";

export const description =
  "throughput of 1, 2 and 4 replicas (each at most 4 requests at once, 80 ms each), 160 calls at concurrency 16, as ratios to 1 replica and to the client's own ceiling";

const CALLS = 160;
const CONCURRENCY = 16;
const CAPACITY = 4;
const LATENCY_MS = 80;
const ROUNDS = 3;
const SIZES = [1, 2, 4] as const;

async function drive(servers: readonly ModelServer[]): Promise<void> {
  const model = createModel("openai:bench", {
    baseUrl: servers.map((server) => server.openaiBaseUrl),
    apiKey: "bench",
    env: {},
    concurrency: CONCURRENCY,
    noCache: true,
  });
  await Promise.all(
    Array.from({ length: CALLS }, (_, call) =>
      model.complete({ messages: [{ role: "user", content: `bench prompt ${call}` }] }),
    ),
  );
}

export async function run(): Promise<void> {
  const servers = await Promise.all(
    Array.from({ length: Math.max(...SIZES) }, () =>
      startModelServer({ latencyMs: LATENCY_MS, capacity: CAPACITY }),
    ),
  );
  // One server without a capacity limit: what the client itself manages at this concurrency.
  const unlimited = await startModelServer({ latencyMs: LATENCY_MS });
  servers.push(unlimited);
  try {
    const runs = new Map<number, Measurement[]>(SIZES.map((size) => [size, []]));
    // Interleaved rounds, so a slow moment of the machine falls on every size alike.
    for (let round = 0; round < ROUNDS; round++)
      for (const size of SIZES)
        runs.get(size)?.push(await measure(() => drive(servers.slice(0, size))));
    const ceiling: Measurement[] = [];
    for (let round = 0; round < ROUNDS; round++)
      ceiling.push(await measure(() => drive([unlimited])));
    const bestOf = (size: number): number => best(runs.get(size) ?? []).wallMs;
    const one = bestOf(1);
    const ideal = (CALLS / CAPACITY) * LATENCY_MS;
    console.log(
      `one replica: ${(CALLS / (one / 1000)).toFixed(0)} calls/s (best of ${ROUNDS}; the server's own limit is ${(
        (CAPACITY * 1000) /
        LATENCY_MS
      ).toFixed(0)} calls/s, ${ideal} ms for the run)`,
    );
    for (const size of SIZES) {
      const wallMs = bestOf(size);
      console.log(
        `${size} replica${size === 1 ? " " : "s"}: ${(one / wallMs).toFixed(2)}× the throughput of one (ideal ${size}×), ${wallMs.toFixed(0)} ms`,
      );
    }
    const floor = best(ceiling).wallMs;
    console.log(
      `client ceiling (one server, no capacity limit): ${(one / floor).toFixed(2)}× one replica, ${floor.toFixed(0)} ms; 4 replicas reach ${((floor / bestOf(4)) * 100).toFixed(0)}% of it`,
    );
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
}
