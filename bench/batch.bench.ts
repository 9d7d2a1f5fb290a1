// The batch tier against the standard tier: the same `charter revise` (N offline-sized prompts, one
// revision round: 3 calls each) through the test server's OpenAI Files + Batches endpoints and
// through its chat endpoint, each run a fresh built `charter` process with a fresh response cache,
// interleaved. Prints wall, CPU and peak RSS of each and their ratios (batch ÷ standard).
// `npm run bench -- batch`; BENCH_BATCH_ITEMS (default 10,000), BENCH_REPEATS (default 2).

import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchConstitution, startBenchServer } from "./harness.js";
import { median } from "./stats.js";

export const description =
  "revise --tier batch vs --tier standard on the test server (10,000 prompts, 3 calls each): wall, CPU and peak RSS ratios";

const root = fileURLToPath(new URL("..", import.meta.url));
const ITEMS = Number(process.env.BENCH_BATCH_ITEMS ?? 10_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 2);
/** Standard tier: per-call latency at the server, and connections at once. */
const LATENCY_MS = 5;
const CONCURRENCY = 64;

interface Usage {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakMb: number;
}

/** One `charter revise` in a child process of the built CLI; its wall time, CPU and peak RSS. */
async function revise(dir: string, baseUrl: string, name: string, tier: string): Promise<Usage> {
  const usageFile = join(dir, `${name}.usage`);
  const args = [
    "--import",
    join(root, "bench/report-usage.mjs"),
    join(root, "dist/cli/main.js"),
    "revise",
    ...["--constitution", join(dir, "constitution.json"), "--prompts", join(dir, "prompts.jsonl")],
    ...["--model", "openai:bench-model", "--base-url", baseUrl, "--revisions", "1"],
    ...["--out", join(dir, name), "--cache-dir", join(dir, `cache-${name}`), "--quiet"],
    ...["--tier", tier],
    ...(tier === "standard" ? ["--concurrency", String(CONCURRENCY)] : []),
  ];
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: dir,
      stdio: ["ignore", "ignore", "inherit"],
      env: {
        ...process.env,
        OPENAI_API_KEY: "bench",
        CHARTER_BENCH_USAGE: usageFile,
        CHARTER_BATCH_POLL_SECONDS: "0.05",
      },
    });
    child.on("close", resolve);
  });
  const wallMs = performance.now() - started;
  if (code !== 0) throw new Error(`charter revise --tier ${tier} exited ${code}`);
  const stats = JSON.parse(readFileSync(join(dir, name, "stats.json"), "utf8")) as {
    counters: Record<string, number>;
  };
  if (stats.counters.calls !== ITEMS * 3)
    throw new Error(`expected ${ITEMS * 3} calls, ${tier} made ${stats.counters.calls}`);
  const usage = JSON.parse(readFileSync(usageFile, "utf8")) as Omit<Usage, "wallMs">;
  return { wallMs, ...usage };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-batch-"));
  const principle = (id: string) => ({
    id,
    weight: 1,
    critique: `Point out every way the reply falls short on ${id}.`,
    revise: `Rewrite the reply so it no longer falls short on ${id}.`,
  });
  writeFileSync(
    join(dir, "constitution.json"),
    JSON.stringify(benchConstitution([principle("harm"), principle("honesty")])),
  );
  writeFileSync(
    join(dir, "prompts.jsonl"),
    Array.from({ length: ITEMS }, (_, i) =>
      JSON.stringify({
        id: `p${i}`,
        prompt: `Prompt ${i}: how should I think about the risks of a new hobby?`,
      }),
    ).join("\n") + "\n",
  );
  const server = await startBenchServer(LATENCY_MS);
  try {
    const runs: Record<"standard" | "batch", Usage[]> = { standard: [], batch: [] };
    for (let i = 0; i < REPEATS; i++)
      for (const tier of ["standard", "batch"] as const)
        runs[tier].push(await revise(dir, server.openaiBaseUrl, `${tier}-${i}`, tier));
    const same = ["sft.jsonl", "pairs.jsonl"].every(
      (file) =>
        readFileSync(join(dir, "standard-0", file), "utf8") ===
        readFileSync(join(dir, "batch-0", file), "utf8"),
    );
    const of = (tier: "standard" | "batch", key: keyof Usage): number =>
      median(runs[tier].map((usage) => usage[key]));
    const row = (tier: "standard" | "batch"): string =>
      `| ${tier.padEnd(8)} | ${of(tier, "wallMs").toFixed(0).padStart(8)} | ${of(tier, "cpuMs").toFixed(0).padStart(8)} | ${of(tier, "peakMb").toFixed(0).padStart(12)} |`;
    const ratio = (key: keyof Usage): string => (of("batch", key) / of("standard", key)).toFixed(2);
    console.log(
      `${ITEMS.toLocaleString("en")} prompts × 3 calls, medians of ${REPEATS} (standard: ${LATENCY_MS} ms per call, ${CONCURRENCY} at once; batch: polled every 50 ms)\n` +
        `| tier     |  wall ms |   cpu ms | peak RSS MB |\n|----------|----------|----------|-------------|\n` +
        `${row("standard")}\n${row("batch")}\n` +
        `batch / standard: wall ${ratio("wallMs")}×, cpu ${ratio("cpuMs")}×, peak RSS ${ratio("peakMb")}×; datasets ${same ? "byte-identical" : "DIFFER"}`,
    );
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
