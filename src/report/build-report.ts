// `charter report`'s whole job as one function: read each run folder, draw its charts, render the
// page. The CLI only parses flags and writes the file.

import { chartsOf } from "./plots.js";
import { readRun } from "./read-run.js";
import { renderPage } from "./html-page.js";
import { qualitySection } from "./quality-section.js";
import type { RunReport } from "./run-data.js";

export interface BuildReportOptions {
  /** Items shown in full per run (the rest keep a summary). */
  readonly sampleLimit?: number;
  readonly sampleSeed?: number;
  /** Include `charter inspect`'s metrics (default true). */
  readonly inspect?: boolean;
}

export interface BuiltReport {
  readonly html: string;
  readonly runs: readonly RunReport[];
}

/** The self-contained HTML report of one or more run folders (several: side by side). */
export async function buildReport(
  folders: readonly string[],
  options: BuildReportOptions = {},
): Promise<BuiltReport> {
  const runs: RunReport[] = [];
  for (const [runIndex, folder] of folders.entries()) {
    runs.push(
      await readRun(folder, {
        runIndex,
        ...(options.inspect === undefined ? {} : { inspect: options.inspect }),
        ...(options.sampleLimit === undefined ? {} : { sampleLimit: options.sampleLimit }),
        ...(options.sampleSeed === undefined ? {} : { sampleSeed: options.sampleSeed }),
      }),
    );
  }
  const charts = runs.map(chartsOf);
  const quality = qualitySection(runs);
  const extraSections =
    quality === undefined ? [] : [{ id: "quality", title: "Quality", html: quality }];
  return { html: renderPage({ runs, charts, extraSections }), runs };
}
