// Assembles the self-contained report page: overview cards and charts rendered here as static
// HTML/SVG, the item browser's data as one inline JSON block, the stylesheet and script inline.
// Nothing on the page refers to another file or the network.

import { CHARTER_VERSION } from "../version.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { PAGE_STYLE } from "./page-style.js";
import type { Chart } from "./plots.js";
import type { RunOverview, RunReport } from "./run-data.js";

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON safe inside a <script> element: no `<` can close it or open a comment. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

export function formatNumber(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString("en-US")
    : value.toLocaleString("en-US", { maximumFractionDigits: 4 });
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = ms / 1000;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 120
    ? `${minutes} min ${Math.round(seconds % 60)} s`
    : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The overview facts of a run as label/value rows, only those present; shared with `charter show`. */
export function overviewRows(overview: RunOverview): [string, string][] {
  const rows: [string, string | undefined][] = [];
  const c = overview.counters;
  const constitution = overview.constitution;
  rows.push(["command", overview.command]);
  rows.push(["status", overview.status]);
  if (constitution !== undefined) {
    const name = [constitution.name, constitution.version]
      .filter((part) => part !== undefined)
      .join(" ");
    rows.push(["constitution", [name, constitution.hash].filter((part) => part).join(" · ")]);
  }
  rows.push(["models", overview.models.join(", ") || undefined]);
  rows.push(["served as", overview.servedModels.join(", ") || undefined]);
  rows.push(["seed", overview.seed === undefined ? undefined : String(overview.seed)]);
  rows.push(["charter", overview.charterVersion]);
  rows.push(["input", overview.inputFile]);
  if (overview.items !== undefined) {
    const parts = [`${formatNumber(overview.items)} items`];
    if (overview.done !== undefined) parts.push(`${formatNumber(overview.done)} done`);
    if (overview.failed !== undefined) parts.push(`${formatNumber(overview.failed)} failed`);
    rows.push(["items", parts.join(" · ")]);
  }
  if (c.calls !== undefined) {
    const extra = [
      c["cache-hits"] === undefined ? undefined : `${formatNumber(c["cache-hits"])} from the cache`,
      c.retries === undefined ? undefined : `${formatNumber(c.retries)} retries`,
      c["calls-failed"] === undefined ? undefined : `${formatNumber(c["calls-failed"])} failed`,
    ].filter((part) => part !== undefined);
    rows.push(["calls", [formatNumber(c.calls), ...extra].join(" · ")]);
  }
  if (c.inputTokens !== undefined || c.outputTokens !== undefined) {
    rows.push([
      "tokens",
      `${formatNumber(c.inputTokens ?? 0)} in · ${formatNumber(c.outputTokens ?? 0)} out`,
    ]);
  }
  if (c.cost !== undefined) rows.push(["cost", `$${c.cost.toFixed(4)} (estimate)`]);
  rows.push(["started", overview.startedAt]);
  rows.push(["finished", overview.finishedAt]);
  rows.push([
    "time",
    overview.elapsedMs === undefined ? undefined : formatDuration(overview.elapsedMs),
  ]);
  return rows.filter((row): row is [string, string] => row[1] !== undefined && row[1] !== "");
}

function detailsBlock(summary: string, body: unknown): string {
  return `<details><summary>${escapeHtml(summary)}</summary><pre>${escapeHtml(JSON.stringify(body, null, 2))}</pre></details>`;
}

const MAX_FAILURES_SHOWN = 50;

function runCard(report: RunReport): string {
  const { overview, sample } = report;
  const rows = overviewRows(overview)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join("");
  const notes = overview.notes
    .map((note) => `<div class="note">${escapeHtml(note)}</div>`)
    .join("");
  const empty =
    report.items.length === 0 ? `<div class="note">This run has no items to show.</div>` : "";
  const failures =
    overview.failures.length === 0
      ? ""
      : `<h3>Failures (${overview.failures.length})</h3><table class="grid"><tr><th>item</th><th>code</th><th>message</th></tr>${overview.failures
          .slice(0, MAX_FAILURES_SHOWN)
          .map(
            (f) =>
              `<tr><td>${escapeHtml(f.id)}</td><td>${escapeHtml(f.code)}</td><td>${escapeHtml(f.message)}</td></tr>`,
          )
          .join(
            "",
          )}</table>${overview.failures.length > MAX_FAILURES_SHOWN ? `<p class="muted">and ${overview.failures.length - MAX_FAILURES_SHOWN} more (every failure is in the item browser).</p>` : ""}`;
  const sampleNote =
    sample.of === 0
      ? ""
      : sample.size === sample.of
        ? `<p class="muted">All ${formatNumber(sample.of)} items are shown in full.</p>`
        : `<p class="muted">Every item has a summary; ${formatNumber(sample.size)} of ${formatNumber(sample.of)} are shown in full, a sample drawn with seed ${sample.seed} (<code>--sample N</code>, <code>--sample-seed S</code> change it).</p>`;
  const sections = Object.entries(overview.sections)
    .map(([name, value]) => detailsBlock(`stats: ${name}`, value))
    .join("");
  return `<div class="run" data-run="${escapeHtml(overview.name)}"><h3>${escapeHtml(overview.name)} <span class="badge">${escapeHtml(overview.kind)}</span></h3>
${notes}${empty}<table class="kv">${rows}</table>${sampleNote}${failures}
${detailsBlock("settings", overview.settings)}${detailsBlock("counters", overview.counters)}${sections}
<details><summary>files</summary><table class="grid">${overview.files.map((file) => `<tr><td>${escapeHtml(file.name)}</td><td class="num">${formatNumber(file.bytes)} bytes</td></tr>`).join("")}</table></details></div>`;
}

/** Charts grouped by id: the same chart of every run side by side. */
function chartSection(charts: readonly (readonly Chart[])[], runs: readonly RunReport[]): string {
  const ids: string[] = [];
  for (const runCharts of charts)
    for (const chart of runCharts) if (!ids.includes(chart.id)) ids.push(chart.id);
  if (ids.length === 0) return `<p class="muted">No run here has data to plot.</p>`;
  return ids
    .map((id) => {
      const cells = charts.flatMap((runCharts, index) => {
        const chart = runCharts.find((candidate) => candidate.id === id);
        if (chart === undefined) return [];
        const runName =
          runs.length > 1
            ? `<div class="run-name">${escapeHtml(runs[index]?.overview.name ?? "")}</div>`
            : "";
        return [
          `<figure class="chart" data-chart="${escapeHtml(id)}">${runName}${chart.svg}<figcaption>${escapeHtml(chart.caption)}</figcaption></figure>`,
        ];
      });
      const first = charts.flat().find((chart) => chart.id === id);
      return `<h3>${escapeHtml(first?.title ?? id)}</h3><div class="chart-row">${cells.join("")}</div>`;
    })
    .join("\n");
}

/** The page's inline data: runs, item rows (compact arrays), facet names, sampled details. */
function pageData(runs: readonly RunReport[]): unknown {
  const facetIndex = new Map<string, number>();
  const facets: string[] = [];
  const items: unknown[] = [];
  const details: Record<string, unknown> = {};
  runs.forEach((report, run) => {
    for (const item of report.items) {
      const indexes = item.facets.map((facet) => {
        let index = facetIndex.get(facet);
        if (index === undefined) {
          index = facets.length;
          facets.push(facet);
          facetIndex.set(facet, index);
        }
        return index;
      });
      items.push([run, item.id, item.text, item.outcome, indexes, item.detailed ? 1 : 0]);
    }
    for (const [id, detail] of report.details) details[`${run}:${id}`] = detail;
  });
  return {
    runs: runs.map((report) => ({
      name: report.overview.name,
      kind: report.overview.kind,
      sample: report.sample,
    })),
    facets,
    items,
    details,
  };
}

export interface PageParts {
  readonly runs: readonly RunReport[];
  readonly charts: readonly (readonly Chart[])[];
  /** Extra sections rendered elsewhere (e.g. the quality metrics), already HTML. */
  readonly extraSections?: readonly {
    readonly id: string;
    readonly title: string;
    readonly html: string;
  }[];
}

/** The whole report page. */
export function renderPage(parts: PageParts): string {
  const { runs, charts } = parts;
  const title = `Charter report: ${runs.map((run) => run.overview.name).join(", ")}`;
  const extra = parts.extraSections ?? [];
  const nav = [
    ["overview", "Overview"],
    ...extra.map((section) => [section.id, section.title]),
    ["plots", "Plots"],
    ["items", "Items"],
  ]
    .map(([id, label]) => `<a href="#${id}">${escapeHtml(label ?? "")}</a>`)
    .join("");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="charter ${escapeHtml(CHARTER_VERSION)}">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><nav>${nav}</nav><span class="muted">charter ${escapeHtml(CHARTER_VERSION)}</span></header>
<main>
<section id="overview"><h2>Overview</h2><div class="runs">${runs.map(runCard).join("\n")}</div></section>
${extra.map((section) => `<section id="${escapeHtml(section.id)}"><h2>${escapeHtml(section.title)}</h2>${section.html}</section>`).join("\n")}
<section id="plots"><h2>Plots</h2>${chartSection(charts, runs)}</section>
<section id="items"><h2>Items</h2>
<div class="filters" id="item-filters"><input type="search" id="item-search" placeholder="Search ids, prompts and outcomes" aria-label="search items"><span id="item-count"></span></div>
<div class="browser"><div id="item-list" role="list"><div class="spacer"></div></div><div id="item-detail"><p class="muted">Select an item.</p></div></div>
</section>
</main>
<script type="application/json" id="charter-data">${scriptJson(pageData(runs))}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`;
}
