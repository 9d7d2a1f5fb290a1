// The report's charts, drawn once at build time to static SVG with Observable Plot (given a
// linkedom document, so no browser is needed and the page carries no charting code). Each chart
// has a stable id so the page can put the same chart of several runs side by side.

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
import type { DiversityReport, PrincipleUsage } from "../quality/index.js";
import type { RunReport } from "./run-data.js";

/** One chart of one run: an id shared across runs, a title, a caption and the SVG. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
}

/** Scatter plots keep at most this many points (an even stride through the items). */
const MAX_POINTS = 3000;
const WIDTH = 520;
const COLORS = {
  revised: "#3b7dd8",
  "no-change": "#9aa5b1",
  rejected: "#d8593b",
  skipped: "#e0c341",
  failed: "#7a1f1f",
};

type PlotDocument = NonNullable<Plot.PlotOptions["document"]>;
let plotDocument: PlotDocument | undefined;

/** linkedom's document stands in for the browser's (Plot only creates and serialises elements). */
function documentForPlot(): PlotDocument {
  plotDocument ??= parseHTML("<!doctype html><html><head></head><body></body></html>")
    .document as unknown as PlotDocument;
  return plotDocument;
}

function render(id: string, options: Plot.PlotOptions): string {
  const element = Plot.plot({
    document: documentForPlot(),
    width: WIDTH,
    className: `chart-${id}`,
    style: { fontSize: "11px", background: "transparent" },
    ...options,
  });
  return (element as unknown as { outerHTML: string }).outerHTML;
}

/** A left margin wide enough for the longest category label (Plot does not measure text). */
function labelMargin(labels: readonly string[]): number {
  const longest = labels.reduce((max, label) => Math.max(max, label.length), 0);
  return Math.min(260, 16 + longest * 6.2);
}

function thinned<T>(values: readonly T[]): T[] {
  if (values.length <= MAX_POINTS) return [...values];
  const stride = values.length / MAX_POINTS;
  return Array.from({ length: MAX_POINTS }, (_, index) => values[Math.floor(index * stride)] as T);
}

/** Per-principle rows of `charter inspect`'s Phase 1 metrics (the report computes none itself). */
function principleRows(report: RunReport): readonly PrincipleUsage[] {
  return report.quality?.run?.principles ?? [];
}

function principleUsage(report: RunReport): Chart | undefined {
  const rows = principleRows(report);
  if (rows.length === 0) return undefined;
  const data = rows.map((row) => ({ principle: row.principle, uses: row.used }));
  return {
    id: "principle-usage",
    title: "Principle usage",
    caption: "Critique rounds that drew each principle.",
    svg: render("principle-usage", {
      marginLeft: labelMargin(data.map((d) => d.principle)),
      height: 40 + data.length * 18,
      x: { label: "rounds", grid: true },
      y: { label: null },
      marks: [
        Plot.barX(data, { x: "uses", y: "principle", sort: { y: "-x" }, fill: "#3b7dd8" }),
        Plot.text(data, {
          x: "uses",
          y: "principle",
          text: (d: { uses: number }) => String(d.uses),
          dx: 4,
          textAnchor: "start",
        }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function roundOutcomes(report: RunReport): Chart | undefined {
  const rows = principleRows(report);
  if (rows.length === 0) return undefined;
  // Stacked by hand (x1, x2): the three shares of a principle's rounds, in a fixed order.
  const data = rows.flatMap((row) => {
    let start = 0;
    return (
      [
        ["revised", row.revised],
        ["no-change", row.noChange],
        ["rejected", row.rejected],
      ] as const
    ).map(([status, rounds]) => {
      const share = row.used === 0 ? 0 : rounds / row.used;
      const bar = { principle: row.principle, status, x1: start, x2: start + share };
      start += share;
      return bar;
    });
  });
  const noChange = report.quality?.run?.noChangeRate;
  return {
    id: "round-outcomes",
    title: "No-change rate per principle",
    caption: `Share of each principle's rounds that revised, found nothing to change, or were rejected by a rule${noChange === undefined ? "" : ` (no change overall: ${(noChange * 100).toFixed(1)}%)`}.`,
    svg: render("round-outcomes", {
      marginLeft: labelMargin(rows.map((row) => row.principle)),
      height: 60 + rows.length * 18,
      x: { label: "share of rounds", percent: true, grid: true, domain: [0, 100] },
      y: { label: null },
      color: {
        legend: true,
        domain: ["revised", "no-change", "rejected"],
        range: [COLORS.revised, COLORS["no-change"], COLORS.rejected],
      },
      marks: [
        Plot.barX(data, { x1: "x1", x2: "x2", y: "principle", fill: "status" }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function lengthChange(report: RunReport): Chart | undefined {
  const rows = principleRows(report).filter((row) => row.revised > 0);
  if (rows.length === 0) return undefined;
  return {
    id: "length-change",
    title: "Revision length change per principle",
    caption:
      "Mean words added (below zero: removed) by each principle's revisions, against the reply before them.",
    svg: render("length-change", {
      marginLeft: labelMargin(rows.map((row) => row.principle)),
      height: 40 + rows.length * 18,
      x: { label: "mean words added by a revision", grid: true },
      y: { label: null },
      marks: [
        Plot.barX(rows, {
          x: "meanWordChange",
          y: "principle",
          fill: (d: PrincipleUsage) => (d.meanWordChange < 0 ? "#d8593b" : "#3b7dd8"),
          sort: { y: "-x" },
        }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function probabilityHistogram(report: RunReport): Chart | undefined {
  const preference = report.quality?.preference;
  const histogram = preference?.probabilityHistogram;
  if (histogram === undefined || histogram === null || histogram.every((count) => count === 0))
    return undefined;
  const data = histogram.map((count, bin) => ({ from: bin / 10, to: (bin + 1) / 10, count }));
  const ties = preference?.ties;
  return {
    id: "judge-probability",
    title: "Judge probability",
    caption: `How sure the judge was: P(chosen) of the labelled pairs${ties === null || ties === undefined ? "" : `; ${ties} tie${ties === 1 ? " was" : "s were"} left unlabelled`}.`,
    svg: render("judge-probability", {
      height: 220,
      x: { label: "P(chosen)", domain: [0, 1] },
      y: { label: "pairs", grid: true },
      marks: [
        Plot.rectY(data, { x1: "from", x2: "to", y: "count", fill: "#3b7dd8", inset: 1 }),
        Plot.ruleY([0]),
      ],
    }),
  };
}

function positionConsistency(report: RunReport): Chart | undefined {
  const verdicts = report.values.verdicts;
  if (verdicts.length === 0) return undefined;
  const data = verdicts.map((verdict) => ({
    principle: verdict.principle,
    orders: verdict.consistent ? "agree" : "disagree",
  }));
  const principles = [...new Set(data.map((d) => d.principle))];
  const overall = report.quality?.preference?.positionConsistency;
  return {
    id: "position-consistency",
    title: "Position consistency",
    caption: `Per principle: verdicts whose two orders (A/B swapped) chose the same reply${overall === null || overall === undefined ? "" : ` (overall: ${(overall * 100).toFixed(1)}%)`}.`,
    svg: render("position-consistency", {
      marginLeft: labelMargin(principles),
      height: 60 + principles.length * 18,
      x: { label: "share of verdicts", percent: true, grid: true },
      y: { label: null },
      color: { legend: true, domain: ["agree", "disagree"], range: ["#3b7dd8", "#d8593b"] },
      marks: [
        Plot.barX(
          data,
          Plot.groupY({ x: "proportion-facet" }, {
            y: "principle",
            fill: "orders",
            offset: "normalize",
          } as Plot.BarXOptions),
        ),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function lengthBias(report: RunReport): Chart | undefined {
  const pairs = report.values.pairs.filter((pair) => pair.probability !== undefined);
  if (pairs.length === 0) return undefined;
  const longer = report.quality?.preference?.chosenLongerRate;
  const rate =
    longer === undefined
      ? ""
      : `: the chosen reply was the longer one in ${(longer * 100).toFixed(1)}% of pairs`;
  return {
    id: "length-bias",
    title: "Length bias",
    caption: `P(chosen) against chosen − rejected length in words${rate}. Points right of zero chose the longer reply; the line is a least-squares fit.`,
    svg: render("length-bias", {
      height: 240,
      x: { label: "chosen − rejected (words)", grid: true },
      y: { label: "P(chosen)", domain: [0.5, 1], grid: true },
      marks: [
        Plot.ruleX([0], { stroke: "#888" }),
        Plot.dot(thinned(pairs), {
          x: "lengthDelta",
          y: "probability",
          r: 3,
          fill: "#3b7dd8",
          fillOpacity: 0.6,
        }),
        Plot.linearRegressionY(pairs, { x: "lengthDelta", y: "probability", stroke: "#d8593b" }),
      ],
    }),
  };
}

/** `charter score`'s own aggregates in stats.json (`scores`), read as they are. */
function scoreStats(report: RunReport): Record<string, unknown> | undefined {
  const scores = report.overview.sections.scores;
  return typeof scores === "object" && scores !== null
    ? (scores as Record<string, unknown>)
    : undefined;
}

function scoreDistribution(report: RunReport): Chart | undefined {
  const histogram = scoreStats(report)?.histogram;
  if (typeof histogram !== "object" || histogram === null) return undefined;
  const data = Object.entries(histogram as Record<string, unknown>).flatMap(([bin, count]) => {
    const [from, to] = bin.split("-").map(Number);
    return typeof count === "number" &&
      from !== undefined &&
      to !== undefined &&
      Number.isFinite(from) &&
      Number.isFinite(to)
      ? [{ from, to, count }]
      : [];
  });
  if (data.every((bin) => bin.count === 0)) return undefined;
  const mean = scoreStats(report)?.meanScore;
  return {
    id: "score-distribution",
    title: "Score distribution",
    caption: `Scores of every reply${typeof mean === "number" ? ` (mean ${mean.toFixed(3)})` : ""}, from the run's stats.json.`,
    svg: render("score-distribution", {
      height: 220,
      x: { label: "score", domain: [0, 1] },
      y: { label: "replies", grid: true },
      marks: [
        Plot.rectY(data, { x1: "from", x2: "to", y: "count", fill: "#3b7dd8", inset: 1 }),
        Plot.ruleY([0]),
      ],
    }),
  };
}

function criterionPassRates(report: RunReport): Chart | undefined {
  const criteria = scoreStats(report)?.criteria;
  if (typeof criteria !== "object" || criteria === null) return undefined;
  const data = Object.entries(criteria as Record<string, unknown>).flatMap(([key, value]) => {
    const rate = (value as { passRate?: unknown } | null)?.passRate;
    if (typeof rate !== "number") return [];
    const name = report.values.criterionNames.get(key);
    return [
      {
        criterion:
          name === undefined ? key : `${key} ${name.length > 40 ? `${name.slice(0, 39)}…` : name}`,
        rate,
      },
    ];
  });
  if (data.length === 0) return undefined;
  return {
    id: "criterion-pass-rates",
    title: "Pass rate per criterion",
    caption:
      "Share of scored replies that passed each criterion (rubric#n), from the run's stats.json.",
    svg: render("criterion-pass-rates", {
      marginLeft: labelMargin(data.map((d) => d.criterion)),
      height: 40 + data.length * 18,
      x: { label: "pass rate", percent: true, grid: true, domain: [0, 100] },
      y: { label: null },
      marks: [
        Plot.barX(data, { x: "rate", y: "criterion", fill: "#3b7dd8" }),
        Plot.text(data, {
          x: "rate",
          y: "criterion",
          text: (d: { rate: number }) => `${(d.rate * 100).toFixed(0)}%`,
          dx: 4,
          textAnchor: "start",
        }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

const DIVERSITY_METRICS = [
  ["distinct-1", (d: DiversityReport) => d.distinct1],
  ["distinct-2", (d: DiversityReport) => d.distinct2],
  ["top bigram share", (d: DiversityReport) => d.topBigram?.share],
  ["template share", (d: DiversityReport) => d.template?.share],
  ["gzip ratio", (d: DiversityReport) => d.gzipRatio],
] as const;

function diversity(report: RunReport): Chart | undefined {
  const sets = report.quality?.sets ?? [];
  const data = sets.flatMap((set) =>
    DIVERSITY_METRICS.flatMap(([metric, read]) => {
      const value = read(set.diversity);
      return value === undefined ? [] : [{ set: set.name, metric, value }];
    }),
  );
  if (data.length === 0) return undefined;
  return {
    id: "diversity",
    title: "Diversity",
    caption:
      "Per response set, from charter inspect: distinct words and bigrams (higher is more varied), the share of the most common bigram and opening five words, gzip ratio (lower is more repetitive). Side by side across runs, falling values are a sign of collapse.",
    svg: render("diversity", {
      marginLeft: 110,
      height: 60 + DIVERSITY_METRICS.length * sets.length * 14,
      x: { label: "value", domain: [0, 1], grid: true },
      y: { label: null, domain: DIVERSITY_METRICS.map(([metric]) => metric) },
      fy: { label: null },
      color: { legend: true, domain: sets.map((set) => set.name) },
      marks: [
        Plot.barX(data, { x: "value", y: "metric", fill: "set", fy: "set" }),
        Plot.text(data, {
          x: "value",
          y: "metric",
          fy: "set",
          text: (d: { value: number }) => d.value.toFixed(3),
          dx: 4,
          textAnchor: "start",
        }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

const CHARTS = [
  principleUsage,
  roundOutcomes,
  lengthChange,
  probabilityHistogram,
  positionConsistency,
  lengthBias,
  scoreDistribution,
  criterionPassRates,
  diversity,
] as const;

/** Every chart the run has data for, in a fixed order. */
export function chartsOf(report: RunReport): Chart[] {
  return CHARTS.map((chart) => chart(report)).filter(
    (chart): chart is Chart => chart !== undefined,
  );
}
