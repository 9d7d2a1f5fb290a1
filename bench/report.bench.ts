// Report build speed and size: `charter report` of a synthetic 10^4-item Phase 1 run (trace
// ~3 KB an item) against two floors measured in the same process: reading trace.jsonl with
// JSON.parse of every line (what any report must do) and `charter inspect` of the run (the
// quality metrics the report shows). Then the page's file size, and, where Chromium is
// installed, how long the page takes to open and draw its first rows.

import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readJsonLines } from "../src/io/index.js";
import { inspectDataset } from "../src/quality/index.js";
import { buildReport } from "../src/report/index.js";
import { best, measure, type Measurement } from "./harness.js";
import { writeSyntheticReviseRun } from "./report-data.js";

const ITEMS = Number(process.env.BENCH_REPORT_ITEMS ?? 10_000);

export const description = `report of ${ITEMS.toLocaleString("en-US")} Phase 1 items vs reading the trace and vs charter inspect; page size and open time`;
const REPEATS = 3;
const CHROMIUM = process.env.CHARTER_CHROMIUM ?? "/usr/bin/chromium";

function row(name: string, m: Measurement, floor: Measurement): string {
  return `| ${name.padEnd(30)} | ${m.wallMs.toFixed(0).padStart(8)} | ${m.cpuMs.toFixed(0).padStart(8)} | ${(m.wallMs / floor.wallMs).toFixed(2).padStart(8)} |`;
}

/** Opens the page in headless Chromium; ms until the item list shows its first rows. */
async function openTime(file: string): Promise<number | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
    ],
  });
  try {
    const page = await browser.newPage();
    const start = performance.now();
    await page.goto(pathToFileURL(file).href, { timeout: 120_000 });
    await page.waitForSelector("#item-list .row", { timeout: 120_000 });
    const opened = performance.now() - start;
    // The list stays responsive: a search over every item answers within one frame budget or so.
    const searchStart = performance.now();
    // The last item's id is unique whatever ITEMS is (no other id extends it).
    await page.fill("#item-search", `item-${ITEMS - 1}`);
    await page.waitForFunction(
      'document.querySelector("#item-count").textContent.startsWith("1 of")',
    );
    console.log(
      `search narrowing ${ITEMS} items to 1: ${(performance.now() - searchStart).toFixed(0)} ms (incl. 120 ms debounce)`,
    );
    return opened;
  } finally {
    await browser.close();
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "charter-report-bench-"));
  try {
    const folder = join(dir, "run");
    await writeSyntheticReviseRun(folder, ITEMS);
    const traceBytes = statSync(join(folder, "trace.jsonl")).size;
    const floor = async (): Promise<void> => {
      let lines = 0;
      for await (const _line of readJsonLines(join(folder, "trace.jsonl"))) lines++;
      if (lines === 0) throw new Error("empty trace");
    };
    const inspect = async (): Promise<void> => {
      await inspectDataset(folder);
    };
    let html = "";
    const report = async (): Promise<void> => {
      html = (await buildReport([folder])).html;
    };
    await floor();
    await report();
    const floors: Measurement[] = [];
    const inspects: Measurement[] = [];
    const reports: Measurement[] = [];
    for (let i = 0; i < REPEATS; i++) {
      floors.push(await measure(floor));
      inspects.push(await measure(inspect));
      reports.push(await measure(report));
    }
    const base = best(floors);
    console.log(
      `${ITEMS} items, trace.jsonl ${(traceBytes / 1e6).toFixed(1)} MB\n` +
        `| run                            |  wall ms |   cpu ms | × floor |\n|--------------------------------|----------|----------|---------|\n` +
        `${row("read trace + JSON.parse", base, base)}\n${row("charter inspect (quality)", best(inspects), base)}\n${row("charter report (incl. inspect)", best(reports), base)}`,
    );
    const file = join(dir, "report.html");
    writeFileSync(file, html);
    const bytes = Buffer.byteLength(html);
    console.log(
      `report.html: ${(bytes / 1e6).toFixed(2)} MB, ${(bytes / ITEMS).toFixed(0)} bytes per item (500 in full detail)`,
    );
    const opened = await openTime(file);
    console.log(
      opened === undefined
        ? `page open: skipped (no Chromium at ${CHROMIUM})`
        : `page open to first rows in Chromium: ${opened.toFixed(0)} ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
