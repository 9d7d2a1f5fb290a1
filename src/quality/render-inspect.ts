// The human-readable `charter inspect`: one aligned table per dataset, and with --compare one
// table of the compared metrics with a column per dataset and the change from the first.

import type {
  DatasetReport,
  DuplicateCount,
  FlagCount,
  InspectReport,
  PhraseCount,
} from "./inspect-schema.js";
import type { Distribution } from "./sketches.js";

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;
const fixed = (value: number, digits = 3): string => value.toFixed(digits);

function distribution(d: Distribution): string {
  return `mean ${d.mean.toFixed(1)} · std ${d.std.toFixed(1)} · p5 ${d.p5} · p50 ${d.p50} · p95 ${d.p95}`;
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

function phrase(name: string, count: PhraseCount): string[] {
  const example = count.examples[0];
  return [
    name,
    `${count.count} (${percent(count.rate)})${example === undefined ? "" : ` e.g. ${example.id}: "${example.phrase}"`}`,
  ];
}

function flag(name: string, count: FlagCount): string[] {
  if (count.source === "unavailable") return [name, "unknown (no trace or first reply)"];
  return [
    name,
    `${count.count} (${percent(count.rate)})${count.examples.length > 0 ? ` e.g. ${count.examples.slice(0, 3).join(", ")}` : ""}`,
  ];
}

function duplicates(name: string, count: DuplicateCount): string[][] {
  const rows = [
    [name, `${count.duplicateRows} rows (${percent(count.rate)}) in ${count.clusters} clusters`],
  ];
  for (const cluster of count.examples.slice(0, 3))
    rows.push([
      "",
      `${cluster.size} × ${cluster.ids.join(", ")}${cluster.size > cluster.ids.length ? ", ..." : ""}`,
    ]);
  return rows;
}

/** The dataset's layout, or each layout its rows mixed with their counts. */
function layoutsText(report: DatasetReport): string {
  const layouts = report.source.layouts;
  if (layouts === undefined) return report.source.format;
  return layouts
    .map((layout) => `${layout.format}: ${layout.rows} ${layout.rows === 1 ? "row" : "rows"}`)
    .join(", ");
}

/** One dataset as an aligned two-column table. */
export function renderDataset(report: DatasetReport): string {
  const rows: string[][] = [
    [
      "dataset",
      `${report.source.path} (${layoutsText(report)}${report.source.runCommand === null ? "" : `, ${report.source.runCommand} run`})`,
    ],
    [
      "rows",
      `${report.rows}${report.invalid.count > 0 ? ` (+${report.invalid.count} invalid skipped)` : ""}`,
    ],
    ["turns", distribution(report.shape.turns)],
    ["empty replies", `${report.shape.emptyReplies} (${percent(report.shape.emptyReplyRate)})`],
  ];
  for (const set of report.sets) {
    const d = set.diversity;
    rows.push(
      [`[${set.name}]`, `${set.replies} replies`],
      ["  words", distribution(set.words)],
      ["  tokens (est.)", distribution(set.tokens)],
      [
        "  distinct-1 / -2",
        `${fixed(d.distinct1)} / ${fixed(d.distinct2)}${d.distinctEstimated ? " (estimated)" : ""}`,
      ],
      ["  vocabulary/reply", d.vocabularyPerReply.toFixed(1)],
      [
        "  top bigram",
        d.topBigram === null ? "-" : `"${d.topBigram.text}" ${percent(d.topBigram.share)}`,
      ],
      ["  gzip ratio", `${fixed(d.gzipRatio)}${d.gzipSampled ? " (sampled)" : ""}`],
      [
        "  top opening",
        d.template === null ? "-" : `"${d.template.text}" ${percent(d.template.share)}`,
      ],
    );
  }
  rows.push(...duplicates("exact duplicates", report.duplicates.exact));
  const near = report.duplicates.near;
  if (near !== null)
    rows.push(...duplicates(`near duplicates`, near), [
      "",
      `(${near.shingleWords}-word shingles, ${near.bands} × ${near.rows} bands, threshold ≈ ${near.threshold.toFixed(2)}, seed ${near.seed})`,
    ]);
  const bad = report.badTargets;
  rows.push(
    phrase("refusals", bad.refusal),
    phrase("hedges", bad.hedge),
    phrase("identity", bad.identity),
    phrase("knowledge cutoff", bad.cutoff),
    flag("truncated", bad.truncated),
    flag("unchanged", bad.unchanged),
  );
  const preference = report.preference;
  if (preference !== null) {
    rows.push(
      [
        "chosen longer",
        `${percent(preference.chosenLongerRate)} (mean +${preference.meanLengthDifference.toFixed(1)} words)`,
      ],
      ["ties", preference.ties === null ? "-" : String(preference.ties)],
      ["decided by rule", String(preference.decidedByRule)],
      [
        "position consistency",
        preference.positionConsistency === null ? "-" : percent(preference.positionConsistency),
      ],
      ["identical pairs", String(preference.identicalPairs.count)],
      ["near-identical pairs", String(preference.nearIdenticalPairs.count)],
    );
    const unjudgeable = preference.unjudgeableRows;
    if (unjudgeable !== undefined) {
      rows.push(["judge --pairs refuses", `${unjudgeable.count} rows`]);
      for (const example of unjudgeable.examples)
        rows.push(["", `line ${example.line}: ${example.message}`]);
    }
    if (preference.probabilityHistogram !== null)
      rows.push(["P(chosen) by tenths", preference.probabilityHistogram.join(" ")]);
    for (const principle of preference.principles)
      rows.push([
        `  ${principle.principle}`,
        `${principle.verdicts} verdicts, ${percent(principle.agreesWithLabel)} agree with the label`,
      ]);
  }
  const run = report.run;
  if (run !== null) {
    rows.push([
      "rounds",
      `${run.rounds} (no change ${percent(run.noChangeRate)}, rejected ${percent(run.rejectedRate)})`,
    ]);
    for (const principle of run.principles)
      rows.push([
        `  ${principle.principle}`,
        `used ${principle.used}, revised ${principle.revised}, no change ${percent(principle.noChangeRate)}, ${principle.meanWordChange >= 0 ? "+" : ""}${principle.meanWordChange.toFixed(1)} words`,
      ]);
  }
  return table(rows);
}

function number(value: number | null): string {
  if (value === null) return "-";
  return Number.isInteger(value) ? String(value) : value.toFixed(4);
}

/** The whole report: each dataset, then the comparison when there is one. */
export function renderInspect(report: InspectReport): string {
  const parts = report.datasets.map(renderDataset);
  if (report.comparison !== null) {
    const { datasets, metrics } = report.comparison;
    const header = ["metric", ...datasets, ...datasets.slice(1).map((name) => `Δ ${name}`)];
    const rows = metrics.map((metric) => [
      metric.metric,
      ...metric.values.map(number),
      ...metric.deltas
        .slice(1)
        .map((delta) => (delta === null ? "-" : `${delta >= 0 ? "+" : ""}${number(delta)}`)),
    ]);
    parts.push(table([header, ...rows]));
  }
  return `${parts.join("\n\n")}\n`;
}
