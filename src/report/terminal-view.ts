// `charter show`: the report's content as terminal text. Without an id, each run's overview table;
// with one, that item's rounds (critique, then the revision as a word diff marked in colour on a
// terminal and as [-removed-]{+added+} otherwise) or that pair's verdicts per principle and order.

import { formatNumber, overviewRows } from "./html-page.js";
import type {
  DiffSpan,
  ItemDetail,
  ItemSummary,
  PairDetail,
  ReviseDetail,
  RunReport,
  ScoreDetail,
  Turn,
} from "./run-data.js";

export interface TerminalStyle {
  /** ANSI colours (a terminal) or plain markers (a pipe or file). */
  readonly color: boolean;
}

const ANSI = {
  red: "\u001b[31;9m",
  green: "\u001b[32m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  reset: "\u001b[0m",
};

function bold(text: string, style: TerminalStyle): string {
  return style.color ? `${ANSI.bold}${text}${ANSI.reset}` : text;
}

/** A word diff as text: colours on a terminal, wdiff's [-…-]{+…+} markers elsewhere. */
export function markDiff(spans: readonly DiffSpan[], style: TerminalStyle): string {
  return spans
    .map(([op, text]) => {
      if (op === 0) return text;
      if (style.color) return `${op === 1 ? ANSI.green : ANSI.red}${text}${ANSI.reset}`;
      return op === 1 ? `{+${text}+}` : `[-${text}-]`;
    })
    .join("");
}

function indent(text: string, prefix = "    "): string {
  return text
    .split("\n")
    .map((line) => prefix + line)
    .join("\n");
}

function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows)
    row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

/** Counters worth a line of their own, by run type, beyond calls/tokens/cost. */
function phaseLines(report: RunReport): string[] {
  const c = report.overview.counters;
  const lines: string[] = [];
  const roundParts = ["revised", "no-change", "rejected", "rounds-skipped", "flagged"]
    .filter((name) => c[name] !== undefined)
    .map((name) => `${formatNumber(c[name] ?? 0)} ${name}`);
  if (roundParts.length > 0) lines.push(`rounds: ${roundParts.join(", ")}`);
  const principles = Object.entries(c)
    .filter(([name]) => name.startsWith("principle:") && name.split(":").length === 2)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name.slice(10)} ${count}`);
  if (principles.length > 0) lines.push(`principles used: ${principles.join(", ")}`);
  const preferences = report.overview.sections.preferences;
  if (typeof preferences === "object" && preferences !== null) {
    const p = preferences as Record<string, unknown>;
    const parts = [
      "pairs",
      "preferences",
      "ties",
      "decidedByRule",
      "meanConfidence",
      "positionConsistency",
      "longerWon",
      "agreementWithGiven",
    ]
      .filter((key) => typeof p[key] === "number")
      .map((key) => `${key} ${formatNumber(p[key] as number)}`);
    if (parts.length > 0) lines.push(`preferences: ${parts.join(", ")}`);
  }
  return lines;
}

/** The overview of one run as aligned text. */
export function overviewText(report: RunReport, style: TerminalStyle): string {
  const { overview } = report;
  const lines = [
    bold(`${overview.name} (${overview.kind})`, style),
    table(overviewRows(overview).map(([label, value]) => [`  ${label}`, value])),
  ];
  for (const line of phaseLines(report)) lines.push(`  ${line}`);
  for (const note of overview.notes) lines.push(`  note: ${note}`);
  if (report.items.length === 0) lines.push("  this run has no items to show");
  if (overview.failures.length > 0) {
    lines.push(`  failures (${overview.failures.length}):`);
    for (const failure of overview.failures.slice(0, 20))
      lines.push(`    ${failure.id}  ${failure.code}  ${failure.message}`);
    if (overview.failures.length > 20)
      lines.push(`    … and ${overview.failures.length - 20} more`);
  }
  if (report.items.length > 0) {
    lines.push(
      `  items (first ${Math.min(10, report.items.length)} of ${report.items.length}; 'charter show RUN ID' for one):`,
    );
    lines.push(
      indent(table(report.items.slice(0, 10).map((item) => [item.id, item.outcome])), "    "),
    );
  }
  return lines.join("\n") + "\n";
}

/** A prompt is a conversation: every turn in order, its role, then its text indented. */
function conversationLines(turns: readonly Turn[], style: TerminalStyle): string[] {
  return turns.flatMap((turn) => [`${bold(turn.role, style)}:`, indent(turn.content)]);
}

function reviseText(detail: ReviseDetail, round: number | undefined, style: TerminalStyle): string {
  const lines: string[] = [];
  if (round === undefined) {
    lines.push(...conversationLines(detail.prompt, style));
    if (detail.tags.length > 0) lines.push(`tags: ${detail.tags.join(", ")}`);
    if (detail.firstReply !== undefined)
      lines.push(
        bold(detail.given ? "given reply:" : "first reply:", style),
        indent(detail.firstReply),
      );
  }
  const rounds =
    round === undefined
      ? detail.rounds
      : detail.rounds.filter((candidate) => candidate.round === round);
  for (const r of rounds) {
    lines.push(
      "",
      bold(
        `round ${r.round}${r.principle === undefined ? "" : ` · ${r.principle}`} · ${r.status}`,
        style,
      ),
    );
    if (r.reason !== undefined) lines.push(`  ${r.reason}`);
    for (const finish of r.finishReasons) lines.push(`  finish: ${finish}`);
    if (r.critique !== undefined) lines.push("  critique:", indent(r.critique));
    if (r.diff !== undefined)
      lines.push(
        "  revision (changes against the reply before it):",
        indent(markDiff(r.diff, style)),
      );
    else if (r.revision !== undefined) lines.push("  revision:", indent(r.revision));
    if (r.rejectedBy.length > 0) lines.push(`  rejected by: ${r.rejectedBy.join(", ")}`);
    for (const check of r.rules)
      lines.push(
        `  rule ${check.rule} (${check.kind}${check.stage === undefined ? "" : ` on ${check.stage}`}): ${check.holds ? "holds" : "does not hold"}`,
      );
  }
  if (round === undefined) {
    if (detail.finalReply !== undefined)
      lines.push("", bold("final reply:", style), indent(detail.finalReply));
    for (const check of detail.recheck)
      lines.push(`recheck ${check.principle}: ${check.clean ? "clean" : "flagged"}`);
    if (detail.failure !== undefined)
      lines.push(`failed: ${detail.failure.code} ${detail.failure.message}`);
  }
  return lines.join("\n");
}

function probability(value: number | undefined): string {
  return value === undefined ? "–" : value.toFixed(3);
}

function pairText(detail: PairDetail, style: TerminalStyle): string {
  const lines = conversationLines(detail.prompt, style);
  for (const reply of detail.replies)
    lines.push(bold(`${reply.label} (${reply.words} words):`, style), indent(reply.text));
  const by =
    detail.decidedBy === undefined
      ? ""
      : ` · decided by ${detail.decidedBy}${detail.rule === undefined ? "" : ` ${detail.rule}`}`;
  lines.push(
    "",
    `${detail.tie ? "tie · P(A)" : "P(chosen)"} ${probability(detail.probability)}${by}`,
  );
  if (detail.verdicts.length > 0) {
    lines.push("verdicts (P that the input's first reply is better):");
    const rows = detail.verdicts.map((verdict) => [
      `  ${verdict.judge ?? ""}`,
      verdict.principle ?? "",
      verdict.orders
        .map((order) => `${order.order} ${probability(order.probabilityFirst)}`)
        .join("  "),
      `P ${probability(verdict.probabilityFirst)}`,
      verdict.consistent === undefined
        ? ""
        : verdict.consistent
          ? "orders agree"
          : "orders disagree",
    ]);
    lines.push(table(rows));
  }
  return lines.join("\n");
}

function scoreText(detail: ScoreDetail, style: TerminalStyle): string {
  const lines: string[] = [];
  if (detail.prompt !== undefined) lines.push(...conversationLines(detail.prompt, style));
  if (detail.rubric !== undefined)
    lines.push(
      `rubric ${detail.rubric}${detail.rubricFrom === undefined ? "" : ` (chosen by ${detail.rubricFrom})`}`,
    );
  if (detail.failure !== undefined) lines.push(`not scored: ${detail.failure}`);
  for (const reply of detail.replies) {
    lines.push(
      "",
      bold(
        `reply ${reply.index}${reply.score === undefined ? "" : ` · score ${reply.score.toFixed(3)}`}`,
        style,
      ),
    );
    if (reply.text !== undefined) lines.push(indent(reply.text));
    const rows = reply.criteria.map((c) => [
      `  ${c.kind ?? ""}`,
      c.weight === undefined ? "" : `w ${c.weight}`,
      c.probability === undefined ? "–" : `P ${c.probability.toFixed(3)}`,
      c.method ?? "",
      c.criterion,
    ]);
    if (rows.length > 0) lines.push(table(rows));
  }
  return lines.join("\n");
}

/** One item in full. */
export function itemText(
  summary: ItemSummary,
  detail: ItemDetail | undefined,
  round: number | undefined,
  style: TerminalStyle,
): string {
  const head = `${bold(summary.id, style)} · ${summary.outcome}`;
  if (detail === undefined) return `${head}\n${summary.text}\n`;
  switch (detail.kind) {
    case "revise":
      return `${head}\n${reviseText(detail, round, style)}\n`;
    case "pair":
      return `${head}\n${pairText(detail, style)}\n`;
    case "score":
      return `${head}\n${scoreText(detail, style)}\n`;
    case "record":
      return `${head}\n${detail.json}\n`;
  }
}
