// The report's quality section: `charter inspect`'s metrics (schema charter-inspect/1) of each run
// as one table, runs side by side with their differences from the first (generation k against
// k + 1), built with quality's own comparison so nothing is computed twice.

import {
  compareReports,
  type DatasetReport,
  type FlagCount,
  type PhraseCount,
} from "../quality/index.js";
import { escapeHtml } from "./html-page.js";
import type { RunReport } from "./run-data.js";

function shown(value: number | null, metric: string): string {
  if (value === null) return "–";
  if (metric === "rows") return value.toLocaleString("en-US");
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

function delta(value: number | null): string {
  if (value === null) return "–";
  return value === 0 ? "0" : `${value > 0 ? "+" : ""}${Number(value.toFixed(4))}`;
}

/** Example ids behind the counts a reader will want to look at: duplicates and bad targets. */
function examples(report: DatasetReport): string[] {
  const lines: string[] = [];
  for (const [name, count] of [
    ["exact duplicates", report.duplicates.exact],
    ["near duplicates", report.duplicates.near],
  ] as const) {
    if (count === null || count.examples.length === 0) continue;
    lines.push(
      `${name}: ${count.examples.map((cluster) => `[${cluster.ids.join(", ")}]`).join(" ")}`,
    );
  }
  for (const [name, found] of Object.entries(report.badTargets) as [
    string,
    PhraseCount | FlagCount,
  ][]) {
    const ids = found.examples.map((example: string | { id: string }) =>
      typeof example === "string" ? example : example.id,
    );
    if (ids.length > 0) lines.push(`${name}: ${ids.join(", ")}`);
  }
  return lines;
}

/** The HTML of the quality section, or undefined when no run has inspect metrics. */
export function qualitySection(runs: readonly RunReport[]): string | undefined {
  const measured = runs.filter((run) => run.quality !== undefined);
  if (measured.length === 0) return undefined;
  const reports = measured.map((run) => run.quality as DatasetReport);
  const comparison = compareReports(reports);
  const names = measured.map((run) => run.overview.name);
  const head = [
    "metric",
    ...names,
    ...(names.length > 1 ? names.slice(1).map((name) => `Δ ${name}`) : []),
  ];
  const rows = comparison.metrics.map((metric) => {
    const cells = [
      `<td><code>${escapeHtml(metric.metric)}</code></td>`,
      ...metric.values.map((value) => `<td class="num">${shown(value, metric.metric)}</td>`),
      ...(names.length > 1
        ? metric.deltas.slice(1).map((value) => `<td class="num">${delta(value)}</td>`)
        : []),
    ];
    return `<tr>${cells.join("")}</tr>`;
  });
  const exampleBlocks = measured
    .map((run, index) => {
      const lines = examples(reports[index] as DatasetReport);
      return lines.length === 0
        ? ""
        : `<details><summary>${escapeHtml(run.overview.name)}: example ids</summary><pre>${escapeHtml(lines.join("\n"))}</pre></details>`;
    })
    .join("");
  const sources = measured
    .map(
      (run, index) =>
        `${escapeHtml(run.overview.name)}: <code>${escapeHtml(reports[index]?.source.format ?? "")}</code>, ${reports[index]?.rows ?? 0} rows`,
    )
    .join(" · ");
  return `<p class="muted">From <code>charter inspect</code> (schema charter-inspect/1; its README documents each metric). ${sources}</p>
<table class="grid quality"><tr>${head.map((cell) => `<th>${escapeHtml(cell)}</th>`).join("")}</tr>${rows.join("")}</table>${exampleBlocks}`;
}
