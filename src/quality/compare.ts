// `inspect --compare`: the headline metrics of several datasets side by side, each as a
// difference from the first (generation k against k + 1: is the teacher collapsing?).

import type { ComparedMetric, Comparison, DatasetReport } from "./inspect-schema.js";
import { round } from "./sketches.js";

/** The metrics compared, as paths into DatasetReport (`sets.NAME` picks a response set). */
export const COMPARED_METRICS: readonly string[] = [
  "rows",
  "shape.emptyReplyRate",
  ...["reply", "chosen", "rejected"].flatMap((set) => [
    `sets.${set}.words.mean`,
    `sets.${set}.words.std`,
    `sets.${set}.diversity.distinct1`,
    `sets.${set}.diversity.distinct2`,
    `sets.${set}.diversity.vocabularyPerReply`,
    `sets.${set}.diversity.topBigram.share`,
    `sets.${set}.diversity.gzipRatio`,
    `sets.${set}.diversity.template.share`,
  ]),
  "duplicates.exact.rate",
  "duplicates.near.rate",
  "badTargets.refusal.rate",
  "badTargets.hedge.rate",
  "badTargets.identity.rate",
  "badTargets.cutoff.rate",
  "badTargets.truncated.rate",
  "badTargets.unchanged.rate",
  "preference.chosenLongerRate",
  "preference.positionConsistency",
  "run.noChangeRate",
];

/** The number at `path` in a report, or null where it has none. */
export function metricAt(report: DatasetReport, path: string): number | null {
  let value: unknown = report;
  const parts = path.split(".");
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (value === null || typeof value !== "object") return null;
    if (part === "sets" && i === 0) {
      const name = parts[++i];
      value = report.sets.find((set) => set.name === name) ?? null;
      continue;
    }
    value = (value as Record<string, unknown>)[part];
  }
  return typeof value === "number" ? value : null;
}

export function compareReports(reports: readonly DatasetReport[]): Comparison {
  const metrics: ComparedMetric[] = [];
  for (const metric of COMPARED_METRICS) {
    const values = reports.map((report) => metricAt(report, metric));
    if (values.every((value) => value === null)) continue;
    const baseline = values[0] ?? null;
    metrics.push({
      metric,
      values,
      deltas: values.map((value) =>
        value === null || baseline === null ? null : round(value - baseline),
      ),
    });
  }
  return { datasets: reports.map((report) => report.source.path), metrics };
}
