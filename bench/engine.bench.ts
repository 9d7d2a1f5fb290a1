// The run engine's own cost: runItems over trivial items against a floor (a bare concurrency pool
// writing the same JSON Lines with no journal or ordering), memory at 100k vs 1M items, and a
// latency-bound run against its ideal wall time (items × latency ÷ concurrency).

import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppendFile } from "../src/io/index.js";
import { runItems, type WorkItem } from "../src/runtime/index.js";

export const description =
  "runItems overhead vs a bare pool; memory 100k vs 1M items; latency-bound run vs ideal";

interface Sample {
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
}

async function* items(count: number): AsyncGenerator<WorkItem<number>> {
  for (let index = 0; index < count; index++) yield { id: `item-${index}`, index, input: index };
}

function record(index: number): { id: string; text: string } {
  return { id: `item-${index}`, text: `reply ${index}` };
}

async function sample(run: () => Promise<void>): Promise<Sample> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { wallMs, cpuMs: (used.user + used.system) / 1000, peakRssMb: peak / 1e6 };
}

async function engine(
  dir: string,
  count: number,
  concurrency: number,
  latencyMs = 0,
): Promise<void> {
  await runItems({
    dir,
    command: "bench",
    settings: {},
    seed: 1,
    outputFiles: ["out.jsonl"],
    items: items(count),
    concurrency,
    process: async (item) => {
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      return { outputs: { "out.jsonl": [record(item.index)] }, trace: [{ type: "call" }] };
    },
  });
}

/** The floor: the same items through a pool of `concurrency` workers, lines appended as they finish. */
async function floor(
  dir: string,
  count: number,
  concurrency: number,
  latencyMs = 0,
): Promise<void> {
  const out = AppendFile.open(join(dir, "out.jsonl"));
  const iterator = items(count);
  const worker = async (): Promise<void> => {
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
      out.append(`${JSON.stringify(record(next.value.index))}\n`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  out.close();
}

function row(name: string, s: Sample, base?: Sample): string {
  const ratios = base
    ? ` | ${(s.wallMs / base.wallMs).toFixed(2)}x wall, ${(s.cpuMs / base.cpuMs).toFixed(2)}x CPU`
    : "";
  return `${name.padEnd(34)} ${s.wallMs.toFixed(0).padStart(7)} ms wall ${s.cpuMs.toFixed(0).padStart(7)} ms CPU ${s.peakRssMb.toFixed(0).padStart(5)} MB peak RSS${ratios}`;
}

export async function run(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), "charter-bench-engine-"));
  let n = 0;
  const fresh = (): string => join(root, `run-${n++}`);
  try {
    const floor100k = await sample(() => floor(mkdir(fresh()), 100_000, 16));
    const engine100k = await sample(() => engine(fresh(), 100_000, 16));
    const engine1m = await sample(() => engine(fresh(), 1_000_000, 16));
    console.log(row("floor, 100k trivial items", floor100k));
    console.log(row("runItems, 100k trivial items", engine100k, floor100k));
    console.log(row("runItems, 1M trivial items", engine1m));
    console.log(
      `per item: ${((engine1m.cpuMs * 1000) / 1_000_000).toFixed(1)} µs CPU; peak RSS 1M / 100k: ${(engine1m.peakRssMb / engine100k.peakRssMb).toFixed(2)}x`,
    );
    const latency = 20;
    const concurrency = 64;
    const count = 6_400;
    const ideal = (count * latency) / concurrency;
    const floorSlow = await sample(() => floor(mkdir(fresh()), count, concurrency, latency));
    const engineSlow = await sample(() => engine(fresh(), count, concurrency, latency));
    console.log(row(`floor, ${count} items @ ${latency} ms`, floorSlow));
    console.log(row(`runItems, ${count} items @ ${latency} ms`, engineSlow, floorSlow));
    console.log(
      `ideal ${ideal.toFixed(0)} ms: runItems at ${(engineSlow.wallMs / ideal).toFixed(2)}x ideal, floor at ${(floorSlow.wallMs / ideal).toFixed(2)}x`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function mkdir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}
