// The progress display of a run: one updating line on a terminal, plain periodic lines otherwise,
// nothing when quiet. Reads the counters the phases agree on (see COUNTER_NAMES).

import { systemClock, type Clock } from "./clock.js";
import type { RunProgress } from "./engine-types.js";

/** The counter names the engine's progress and stats understand; phases may add their own. */
export const COUNTER_NAMES = {
  /** Model requests sent (cache hits excluded). */
  calls: "calls",
  inputTokens: "inputTokens",
  outputTokens: "outputTokens",
  cachedTokens: "cachedTokens",
  /** Estimated cost in US dollars. */
  cost: "cost",
  retries: "retries",
} as const;

export interface ProgressReporterOptions {
  readonly stream: { write(chunk: string): unknown };
  /** A terminal gets one line rewritten in place; anything else gets a new line now and then. */
  readonly isTTY: boolean;
  readonly quiet?: boolean;
  /** Words before the numbers, e.g. the command name. */
  readonly label?: string;
  readonly clock?: Clock;
  /** Least time between two updates; default 100 ms on a terminal, 10 s otherwise. */
  readonly intervalMs?: number;
}

export interface ProgressReporter {
  /** Pass as RunOptions.onProgress. */
  readonly update: (progress: RunProgress) => void;
  /** Print the last state (and end the terminal line). */
  finish(): void;
}

/**
 * @example
 * const progress = createProgressReporter({ stream: process.stderr, isTTY: process.stderr.isTTY });
 * await runItems({ ...options, onProgress: progress.update });
 * progress.finish();
 */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  const clock = options.clock ?? systemClock;
  const interval = options.intervalMs ?? (options.isTTY ? 100 : 10_000);
  const started = clock.now();
  let baseline: number | undefined;
  let latest: RunProgress | undefined;
  let lastShown = -Infinity;
  let shownOnTerminal = false;

  const show = (): void => {
    if (!latest || options.quiet) return;
    const now = clock.now();
    lastShown = now;
    const line = formatProgress(latest, now - started, baseline ?? 0, options.label);
    if (options.isTTY) {
      options.stream.write(`\r${line}\u001b[K`);
      shownOnTerminal = true;
    } else options.stream.write(`${line}\n`);
  };

  return {
    update(progress) {
      // Items settled before this run started (resumed) do not count towards the rate.
      baseline ??= progress.done + progress.failed;
      latest = progress;
      if (clock.now() - lastShown >= interval) show();
    },
    finish() {
      show();
      if (shownOnTerminal) options.stream.write("\n");
    },
  };
}

/**
 * One progress line: `revise 120/1,000 items (2 failed) · 480 calls · 96.0k tokens · $0.12 ·
 * 4.0 items/s · ETA 3m 40s`. Parts without data are left out.
 */
export function formatProgress(
  progress: RunProgress,
  elapsedMs: number,
  settledAtStart = 0,
  label?: string,
): string {
  const settled = progress.done + progress.failed;
  const parts: string[] = [];
  const items =
    progress.total !== undefined ? `${count(settled)}/${count(progress.total)}` : count(settled);
  parts.push(
    `${label ? `${label} ` : ""}${items} items${progress.failed > 0 ? ` (${count(progress.failed)} failed)` : ""}`,
  );
  const counters = progress.counters;
  const calls = counters[COUNTER_NAMES.calls];
  if (calls !== undefined) {
    // Retries and failed calls are shown as they are counted, not only in the final summary.
    const retries = counters[COUNTER_NAMES.retries] ?? 0;
    const failedCalls = counters["calls-failed"] ?? 0;
    const trouble = [
      ...(retries > 0 ? [`${count(retries)} retries`] : []),
      ...(failedCalls > 0 ? [`${count(failedCalls)} failed`] : []),
    ];
    parts.push(`${count(calls)} calls${trouble.length > 0 ? ` (${trouble.join(", ")})` : ""}`);
  }
  const tokens =
    (counters[COUNTER_NAMES.inputTokens] ?? 0) + (counters[COUNTER_NAMES.outputTokens] ?? 0);
  if (tokens > 0) parts.push(`${compact(tokens)} tokens`);
  const cost = counters[COUNTER_NAMES.cost];
  if (cost !== undefined) parts.push(`$${cost.toFixed(cost < 10 ? 2 : 0)}`);
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? (settled - settledAtStart) / seconds : 0;
  if (rate > 0) {
    parts.push(`${rate.toFixed(rate < 10 ? 1 : 0)} items/s`);
    if (progress.total !== undefined && progress.total > settled)
      parts.push(`ETA ${duration((progress.total - settled) / rate)}`);
  }
  return parts.join(" · ");
}

function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function compact(value: number): string {
  if (value >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

function duration(seconds: number): string {
  const total = Math.ceil(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h ${String(minutes).padStart(2, "0")}m`;
  if (minutes > 0) return `${minutes}m ${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}
