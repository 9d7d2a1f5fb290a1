// Where worker threads start to pay for `charter inspect --no-near`: whole `charter` processes
// (the built CLI, `npm run build` first) on synthetic files of growing size, with `--workers 0`
// and with one worker (or `QUALITY_THRESHOLD_WORKERS`), wall and CPU (every thread) as medians of
// interleaved runs. Sets the sizes of parallelBytes in src/quality/inspect.ts. Run by hand:
// `npm run build && npx tsx bench/quality-threshold.ts [REPEATS]`.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticSft } from "./quality-data.js";
import { median } from "./stats.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const REPEATS = Number(process.argv[2] ?? 5);
const ROWS = (process.env.QUALITY_THRESHOLD_ROWS ?? "500,1000,2000,4000,8000,16000,32000")
  .split(",")
  .map(Number);

/** One `charter inspect` process: wall from spawn to exit, CPU as the process reports it. */
function run(file: string, workers: number): { wallMs: number; cpuMs: number } {
  const script = `
    const { main } = await import(${JSON.stringify(join(root, "dist/cli/main.js"))});
    const sink = { write: () => true };
    const code = await main(["inspect", ${JSON.stringify(file)}, "--json", "--no-near", "--workers", "${workers}"], { stdout: sink, stderr: sink, cwd: process.cwd(), env: {}, isTTY: false });
    const used = process.cpuUsage();
    console.log(JSON.stringify({ code, cpuMs: (used.user + used.system) / 1000 }));
  `;
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  const wallMs = performance.now() - start;
  const result = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as {
    code: number;
    cpuMs: number;
  };
  if (result.code !== 0) throw new Error(`charter inspect exited ${result.code}`);
  return { wallMs, cpuMs: result.cpuMs };
}

const dir = mkdtempSync(join(tmpdir(), "charter-quality-threshold-"));
try {
  const workers = Number(process.env.QUALITY_THRESHOLD_WORKERS ?? 1);
  console.log(`charter inspect --no-near, whole processes, median of ${REPEATS}`);
  console.log(
    `|   rows |    MB | 0 workers wall / CPU ms | ${workers} worker(s) wall / CPU ms |\n|--------|-------|-------------------------|---------------------------|`,
  );
  for (const rows of ROWS) {
    const file = join(dir, `rows-${rows}.jsonl`);
    await writeSyntheticSft(file, rows);
    const alone: { wallMs: number; cpuMs: number }[] = [];
    const shared: { wallMs: number; cpuMs: number }[] = [];
    for (let i = 0; i < REPEATS; i++) {
      alone.push(run(file, 0));
      shared.push(run(file, workers));
    }
    const cell = (runs: { wallMs: number; cpuMs: number }[]): string =>
      `${median(runs.map((r) => r.wallMs)).toFixed(0)} / ${median(runs.map((r) => r.cpuMs)).toFixed(0)}`;
    console.log(
      `| ${String(rows).padStart(6)} | ${(statSync(file).size / 1e6).toFixed(1).padStart(5)} | ${cell(alone).padStart(23)} | ${cell(shared).padStart(25)} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
