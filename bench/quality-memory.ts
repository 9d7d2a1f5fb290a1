// Peak memory of `charter inspect` (with near duplicates) and `charter filter --dedup exact,near`
// on N synthetic rows of ~1 KB replies, each in a fresh process, reading its own peak RSS.
// The bar: 10^6 rows within 400 MB. Run by hand (it writes a ~1.1 GB file and takes
// minutes): `npx tsx bench/quality-memory.ts 1000000`. `npm run bench -- quality` runs it at 50,000.

import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeSyntheticSft } from "./quality-data.js";

const root = fileURLToPath(new URL("..", import.meta.url));

/** Peak RSS (MB) and the index bytes per row of one command, run in a child process. */
function measureChild(args: readonly string[]): { peakMb: number; output: string } {
  const script = `
    const { main } = await import(${JSON.stringify(join(root, "src/cli/main.ts"))});
    let output = "";
    const sink = { write: (text) => (output += text) };
    const code = await main(${JSON.stringify(args)}, { stdout: sink, stderr: sink, cwd: process.cwd(), env: {}, isTTY: false });
    if (code !== 0) { console.error(output); process.exit(code); }
    console.log(JSON.stringify({ peakMb: process.resourceUsage().maxRSS / 1024, output }));
  `;
  const stdout = execFileSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    {
      cwd: root,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { peakMb: number; output: string };
}

export async function measureMemory(rows: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-quality-memory-"));
  try {
    const file = join(dir, "data.jsonl");
    const bytes = await writeSyntheticSft(file, rows);
    const baseline = measureChild(["--version"]);
    const inspected = measureChild(["inspect", file, "--json"]);
    const report = JSON.parse(inspected.output) as {
      datasets: { duplicates: { near: { indexBytesPerRow: number; duplicateRows: number } } }[];
    };
    const near = report.datasets[0]!.duplicates.near;
    const filtered = measureChild([
      "filter",
      file,
      "--out",
      join(dir, "out"),
      "--dedup",
      "exact,near",
    ]);
    console.log(
      `${rows.toLocaleString("en")} rows (${(bytes / 1e6).toFixed(0)} MB): peak RSS inspect ${inspected.peakMb.toFixed(0)} MB, ` +
        `filter --dedup exact,near ${filtered.peakMb.toFixed(0)} MB (an idle charter process: ${baseline.peakMb.toFixed(0)} MB); ` +
        `near-duplicate index ${near.indexBytesPerRow.toFixed(0)} bytes/row; ${near.duplicateRows} near-duplicate rows`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await measureMemory(Number(process.argv[2] ?? 1_000_000));
}
