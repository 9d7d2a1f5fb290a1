// The report's charts, drawn once at build time to static SVG with Observable Plot (given a
// linkedom document, so no browser is needed and the page carries no charting code). Each chart
// has a stable id so the page can put the same chart of several runs side by side.

import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";
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

function principleUsage(report: RunReport): Chart | undefined {
  // The phase counts each use; fall back to the rounds read from the trace.
  const counts = new Map<string, number>();
  for (const [name, value] of Object.entries(report.overview.counters)) {
    if (name.startsWith("principle:") && !name.includes(":", "principle:".length))
      counts.set(name.slice(10), value);
  }
  if (counts.size === 0)
    for (const round of report.values.rounds)
      counts.set(round.principle, (counts.get(round.principle) ?? 0) + 1);
  if (counts.size === 0) return undefined;
  const data = [...counts].map(([principle, uses]) => ({ principle, uses }));
  return {
    id: "principle-usage",
    title: "Principle usage",
    caption: "Rounds that sampled each principle.",
    svg: render("principle-usage", {
      marginLeft: labelMargin([...counts.keys()]),
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
  const rounds = report.values.rounds;
  if (rounds.length === 0) return undefined;
  const principles = [...new Set(rounds.map((round) => round.principle))];
  return {
    id: "round-outcomes",
    title: "Round outcomes per principle",
    caption:
      "Share of each principle's rounds that revised, found no change, or were rejected by a rule: the grey part is the no-change rate.",
    svg: render("round-outcomes", {
      marginLeft: labelMargin(principles),
      height: 60 + principles.length * 18,
      x: { label: "share of rounds", percent: true, grid: true },
      y: { label: null },
      color: { legend: true, domain: Object.keys(COLORS), range: Object.values(COLORS) },
      marks: [
        Plot.barX(
          rounds,
          Plot.groupY({ x: "proportion-facet" }, {
            y: "principle",
            fill: "status",
            offset: "normalize",
            sort: { y: "x" },
          } as Plot.BarXOptions),
        ),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function lengthChange(report: RunReport): Chart | undefined {
  const revised = report.values.rounds.filter((round) => round.wordDelta !== undefined);
  if (revised.length === 0) return undefined;
  const principles = [...new Set(revised.map((round) => round.principle))];
  return {
    id: "length-change",
    title: "Revision length change per principle",
    caption:
      "Words added (or removed, below zero) by each revision against the reply before it: the mean, and a tick per revision.",
    svg: render("length-change", {
      marginLeft: labelMargin(principles),
      height: 40 + principles.length * 18,
      x: { label: "words added by the revision", grid: true },
      y: { label: null },
      marks: [
        Plot.barX(
          revised,
          Plot.groupY(
            { x: "mean" },
            { x: "wordDelta", y: "principle", fill: "#b9cdf0", sort: { y: "-x" } },
          ),
        ),
        Plot.tickX(thinned(revised), {
          x: "wordDelta",
          y: "principle",
          stroke: "#3b7dd8",
          strokeOpacity: 0.5,
        }),
        Plot.ruleX([0]),
      ],
    }),
  };
}

function probabilityHistogram(report: RunReport): Chart | undefined {
  const data = [
    ...report.values.pairs.flatMap((pair) =>
      pair.probability === undefined ? [] : [{ p: pair.probability, kind: "labelled: P(chosen)" }],
    ),
    ...report.values.tieProbability.map((p) => ({ p, kind: "tie: P(A)" })),
  ];
  if (data.length === 0) return undefined;
  return {
    id: "judge-probability",
    title: "Judge probability",
    caption: "How sure the judge was: P(chosen) of each labelled pair and P(A) of each tie.",
    svg: render("judge-probability", {
      height: 220,
      x: { label: "probability", domain: [0, 1] },
      y: { label: "pairs", grid: true },
      color: {
        legend: true,
        domain: ["labelled: P(chosen)", "tie: P(A)"],
        range: ["#3b7dd8", "#9aa5b1"],
      },
      marks: [
        Plot.rectY(
          data,
          Plot.binX({ y: "count" }, {
            x: "p",
            thresholds: 20,
            domain: [0, 1],
            fill: "kind",
          } as Plot.BinXInputs<Plot.RectYOptions>),
        ),
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
  return {
    id: "position-consistency",
    title: "Position consistency",
    caption: "Per principle: verdicts whose two orders (A/B swapped) chose the same reply.",
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
  const differing = report.values.pairs.filter((pair) => pair.lengthDelta !== 0);
  const longer = differing.filter((pair) => pair.lengthDelta > 0).length;
  const rate =
    differing.length === 0
      ? "no pair differs in length"
      : `the longer reply was chosen in ${((100 * longer) / differing.length).toFixed(1)}% of ${differing.length} pairs that differ in length`;
  return {
    id: "length-bias",
    title: "Length bias",
    caption: `P(chosen) against chosen − rejected length in words: ${rate}. Points right of zero chose the longer reply.`,
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

function scoreDistribution(report: RunReport): Chart | undefined {
  const totals = report.values.scoreTotals;
  if (totals.length === 0) return undefined;
  return {
    id: "score-distribution",
    title: "Score distribution",
    caption: "The overall score of each scored item.",
    svg: render("score-distribution", {
      height: 220,
      x: { label: "score" },
      y: { label: "items", grid: true },
      marks: [
        Plot.rectY(
          totals,
          Plot.binX({ y: "count" }, {
            x: (d: number) => d,
            thresholds: 20,
            fill: "#3b7dd8",
          } as Plot.BinXInputs<Plot.RectYOptions>),
        ),
        Plot.ruleY([0]),
      ],
    }),
  };
}

function criterionPassRates(report: RunReport): Chart | undefined {
  const results = report.values.criterionResults;
  if (results.length === 0) return undefined;
  const data = results.map((result) => ({
    criterion: result.criterion,
    result: result.pass ? "pass" : "fail",
  }));
  const criteria = [...new Set(data.map((d) => d.criterion))];
  return {
    id: "criterion-pass-rates",
    title: "Pass rate per criterion",
    caption: "Share of scored items that passed each criterion.",
    svg: render("criterion-pass-rates", {
      marginLeft: labelMargin(criteria),
      height: 60 + criteria.length * 18,
      x: { label: "share of items", percent: true, grid: true },
      y: { label: null },
      color: { legend: true, domain: ["pass", "fail"], range: ["#3b7dd8", "#d8593b"] },
      marks: [
        Plot.barX(
          data,
          Plot.groupY({ x: "proportion-facet" }, {
            y: "criterion",
            fill: "result",
            offset: "normalize",
          } as Plot.BarXOptions),
        ),
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
] as const;

/** Every chart the run has data for, in a fixed order. */
export function chartsOf(report: RunReport): Chart[] {
  return CHARTS.map((chart) => chart(report)).filter(
    (chart): chart is Chart => chart !== undefined,
  );
}
