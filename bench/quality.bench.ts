// Quality stage speed: `charter inspect` (without and with near duplicates) and `charter filter
// --dedup exact,near` on 20,000 synthetic rows of ~1 KB replies, against the floor of reading the
// same file and JSON.parse of every row, in the same process; then peak memory at 50,000 rows.
// The bars: inspect --no-near ≤ 3×, inspect ≤ 10×, filter --dedup near ≤ 10×.
// inspect --no-near shares the rows among worker threads by default (one per core beside the main
// thread's that other processes leave free, by the load average less this process's part or by
// the threads runnable now, at most 3; the bench prints how many): its wall time
// uses them all, its CPU time counts every thread; the `--workers 0` and `--workers 1` rows show
// it in one thread and with one worker. inspect with near duplicates stays in one thread by
// default (src/quality/README.md says why).

import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { readJsonLines } from "../src/io/index.js";
import { defaultWorkers } from "../src/quality/inspect-pool.js";
import { best, charterOk as charter, measure, type Measurement } from "./harness.js";
import { measureMemory } from "./quality-memory.js";
import { writeSyntheticSft } from "./quality-data.js";

export const description =
  "inspect / filter on 20,000 rows of ~1 KB replies vs reading + JSON.parse; peak RSS at 50,000";

const ROWS = Number(process.env.BENCH_QUALITY_ROWS ?? 20_000);
const REPEATS = Number(process.env.BENCH_QUALITY_REPEATS ?? 9);

function medianCpu(measurements: readonly Measurement[]): number {
  const sorted = measurements.map((m) => m.cpuMs).sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-quality-bench-"));
  try {
    const file = join(dir, "data.jsonl");
    await writeSyntheticSft(file, ROWS);
    let parsed = 0;
    const floor = async (): Promise<void> => {
      for await (const { value } of readJsonLines(file)) if (value !== null) parsed++;
    };
    const cases: [string, (i: number) => Promise<void>][] = [
      ["inspect --no-near", () => charter(["inspect", file, "--json", "--no-near"])],
      [
        "inspect --no-near --workers 0",
        () => charter(["inspect", file, "--json", "--no-near", "--workers", "0"]),
      ],
      [
        "inspect --no-near --workers 1",
        () => charter(["inspect", file, "--json", "--no-near", "--workers", "1"]),
      ],
      ["inspect", () => charter(["inspect", file, "--json"])],
      [
        "filter --dedup exact,near",
        (i) => charter(["filter", file, "--out", join(dir, `out-${i}`), "--dedup", "exact,near"]),
      ],
    ];
    await floor();
    // The first run starts the worker threads (kept for the next runs, as process start-up is
    // kept out of every ratio here); its wall time is printed below.
    const start = await measure(() => cases[0]![1](-1));
    for (const [, engine] of cases) await engine(-1);
    const floors: Measurement[] = [];
    const results = new Map<string, Measurement[]>(cases.map(([name]) => [name, []]));
    for (let i = 0; i < REPEATS; i++) {
      floors.push(await measure(floor));
      for (const [name, engine] of cases) results.get(name)!.push(await measure(() => engine(i)));
    }
    const base = best(floors);
    // CPU time (median) beside the best wall time: on a loaded machine the wall ratio moves by 2×
    // between runs while the CPU ratio stays within about 10%.
    const baseCpu = medianCpu(floors);
    console.log(
      `${ROWS.toLocaleString("en")} rows; floor (read + JSON.parse): ${base.wallMs.toFixed(0)} ms wall, ${baseCpu.toFixed(0)} ms CPU; ` +
        `inspect --no-near uses ${defaultWorkers()} worker threads (${availableParallelism()} cores, load ${loadavg()[0]!.toFixed(1)}); its first run: ${start.wallMs.toFixed(0)} ms wall`,
    );
    console.log(
      "| command                       |  wall ms | × floor |   CPU ms | × floor CPU |\n|-------------------------------|----------|---------|----------|-------------|",
    );
    for (const [name] of cases) {
      const m = best(results.get(name)!);
      const cpu = medianCpu(results.get(name)!);
      console.log(
        `| ${name.padEnd(29)} | ${m.wallMs.toFixed(0).padStart(8)} | ${(m.wallMs / base.wallMs).toFixed(2).padStart(7)} | ${cpu.toFixed(0).padStart(8)} | ${(cpu / baseCpu).toFixed(2).padStart(11)} |`,
      );
    }
    if (parsed === 0) throw new Error("the floor parsed nothing");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await measureMemory(Number(process.env.BENCH_QUALITY_MEMORY_ROWS ?? 50_000));
}
