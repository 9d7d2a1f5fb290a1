// Trace bytes against dataset bytes: the offline `charter revise` demo scaled to N generated
// prompts (default 50,000), run with --trace compact and --trace full. Prints each trace's bytes
// per item and as a ratio to the run's dataset bytes (sft.jsonl + pairs.jsonl, and sft.jsonl
// alone), the wall time of the compact run against the full one, and whether compact keeps
// within issue 14's bar (at most twice sft.jsonl's bytes).

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { charterOk, measure } from "./harness.js";

export const description =
  "trace.jsonl bytes per item, --trace compact vs full, as ratios to the dataset bytes (offline revise)";

const PROMPTS = Number(process.env.BENCH_TRACE_PROMPTS ?? 50_000);
const root = fileURLToPath(new URL("..", import.meta.url));

/** N prompts cycling through the demo's, each made distinct (so no reply is shared between items). */
function writePrompts(file: string): void {
  const examples = readFileSync(join(root, "examples", "prompts.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { prompt?: string; messages?: unknown });
  const lines: string[] = [];
  for (let i = 0; i < PROMPTS; i++) {
    const example = examples[i % examples.length] ?? {};
    const prompt =
      typeof example.prompt === "string" ? `${example.prompt} (case ${i})` : `Question ${i}?`;
    lines.push(JSON.stringify({ id: `p${i}`, prompt }));
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

async function revise(dir: string, out: string, mode: string): Promise<void> {
  await charterOk(
    [
      "revise",
      "--constitution",
      join(root, "constitutions", "harmless.charter"),
      "--prompts",
      join(dir, "prompts.jsonl"),
      "--model",
      "offline:rehearsal",
      "--out",
      out,
      "--no-cache",
      "--quiet",
      "--trace",
      mode,
    ],
    dir,
  );
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-trace-"));
  try {
    writePrompts(join(dir, "prompts.jsonl"));
    const size = (mode: string, file: string): number => statSync(join(dir, mode, file)).size;
    const rows: string[] = [];
    const wall: Record<string, number> = {};
    for (const mode of ["full", "compact"]) {
      const took = await measure(() => revise(dir, join(dir, mode), mode));
      wall[mode] = took.wallMs;
      const sft = size(mode, "sft.jsonl");
      const dataset = sft + size(mode, "pairs.jsonl");
      const trace = size(mode, "trace.jsonl");
      rows.push(
        [
          mode.padEnd(8),
          `${(trace / 1e6).toFixed(1)} MB`.padStart(10),
          `${Math.round(trace / PROMPTS)} B`.padStart(8),
          `${(trace / dataset).toFixed(2)}×`.padStart(10),
          `${(trace / sft).toFixed(2)}×`.padStart(9),
          `${(took.wallMs / 1000).toFixed(1)} s`.padStart(8),
        ].join(" "),
      );
      if (mode === "compact")
        console.log(
          `${PROMPTS} prompts: sft.jsonl ${(sft / 1e6).toFixed(1)} MB, sft + pairs ${(dataset / 1e6).toFixed(1)} MB`,
        );
    }
    console.log(
      [
        "trace".padEnd(8),
        "bytes".padStart(10),
        "per item".padStart(8),
        "/ dataset".padStart(10),
        "/ sft".padStart(9),
        "wall".padStart(8),
      ].join(" "),
    );
    for (const row of rows) console.log(row);
    const full = statSync(join(dir, "full", "trace.jsonl")).size;
    const compact = statSync(join(dir, "compact", "trace.jsonl")).size;
    console.log(
      `compact / full: ${(compact / full).toFixed(3)} of the bytes, ${((wall.compact ?? 0) / (wall.full ?? 1)).toFixed(2)}× the wall time`,
    );
    const bar = compact / statSync(join(dir, "compact", "sft.jsonl")).size;
    console.log(
      `compact / sft.jsonl: ${bar.toFixed(2)}× (issue 14's bar: at most 2×) ${bar <= 2 ? "met" : "NOT met"}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
