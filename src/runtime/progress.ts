// The progress display of a run: one updating line on a terminal, plain periodic lines otherwise,
// nothing when quiet. Reads the counters the phases agree on (see COUNTER_NAMES), and the calls,
// retries, 429s and failures of calls still under way from a live source (the models' meters).

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
  /** Requests that failed for good (after their retries). */
  failed: "calls-failed",
} as const;

/** Call counts of this process so far, counted as each call, retry or 429 happens. */
export interface LiveCallCounts {
  readonly calls: number;
  readonly retries: number;
  readonly rateLimited: number;
  readonly failed: number;
  /**
   * What the calls wait on now, shown after the counts (the batch tier's batch states and expected
   * wait); a change shows as soon as a retry does.
   */
  readonly activity?: string;
}

/** Where live call counts come from (the CLI passes the run's usage meters). */
export interface LiveCalls {
  read(): LiveCallCounts;
  /** Calls `listener` after each change; returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface ProgressReporterOptions {
  readonly stream: { write(chunk: string): unknown };
  /** A terminal gets one line rewritten in place; anything else gets a new line now and then. */
  readonly isTTY: boolean;
  readonly quiet?: boolean;
  /** Words before the numbers, e.g. the command name. */
  readonly label?: string;
  /** What the run counts (`pairs`, `prompts`, `rows`); default `items`. */
  readonly unit?: string;
  /** The judging method(s), e.g. `logprobs` or `vote`, shown after the label. */
  readonly method?: string;
  /** Calls, retries, 429s and failures as they happen, rather than when an item settles. */
  readonly live?: LiveCalls;
  readonly clock?: Clock;
  /** Least time between two updates; default 100 ms on a terminal, 10 s otherwise. */
  readonly intervalMs?: number;
  /** Least time between two lines off a terminal when a retry, 429 or failure came; default 1 s. */
  readonly troubleIntervalMs?: number;
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
  const troubleInterval = Math.min(interval, options.troubleIntervalMs ?? 1000);
  const started = clock.now();
  const live = options.live;
  let baseline: number | undefined;
  // Counters of the items settled before this process started: the live counts add to them.
  let resumedCounters: Readonly<Record<string, number>> | undefined;
  let latest: RunProgress | undefined;
  let lastShown = -Infinity;
  let lastLine: string | undefined;
  let lastTrouble = 0;
  let lastActivity: string | undefined;
  const activityNow = (): string | undefined => live?.read().activity;
  let shownOnTerminal = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finished = false;

  const current = (): RunProgress | undefined => {
    if (latest === undefined || live === undefined) return latest;
    const now = live.read();
    const base = resumedCounters ?? {};
    const plus = (name: string, value: number): number => (base[name] ?? 0) + value;
    return {
      ...latest,
      counters: {
        ...latest.counters,
        [COUNTER_NAMES.calls]: plus(COUNTER_NAMES.calls, now.calls),
        [COUNTER_NAMES.retries]: plus(COUNTER_NAMES.retries, now.retries),
        [COUNTER_NAMES.failed]: plus(COUNTER_NAMES.failed, now.failed),
        rateLimited: now.rateLimited,
      },
    };
  };
  const troubleOf = (progress: RunProgress): number =>
    (progress.counters[COUNTER_NAMES.retries] ?? 0) +
    (progress.counters.rateLimited ?? 0) +
    (progress.counters[COUNTER_NAMES.failed] ?? 0);

  const show = (): void => {
    const progress = current();
    if (!progress || options.quiet) return;
    const now = clock.now();
    lastShown = now;
    lastTrouble = troubleOf(progress);
    lastActivity = activityNow();
    const counts = formatProgress(progress, now - started, baseline ?? 0, options);
    const line = lastActivity === undefined ? counts : `${counts} · ${lastActivity}`;
    // The same line again says nothing (and off a terminal would print the final line twice).
    if (line === lastLine) return;
    lastLine = line;
    if (options.isTTY) {
      options.stream.write(`\r${line}\u001b[K`);
      shownOnTerminal = true;
    } else options.stream.write(`${line}\n`);
  };

  /** Shows now if enough time passed, else once it has (a retry must not wait for the next item). */
  const request = (): void => {
    if (finished || latest === undefined) return;
    const progress = current();
    const urgent =
      progress !== undefined &&
      (troubleOf(progress) > lastTrouble || activityNow() !== lastActivity);
    const wait = (urgent ? troubleInterval : interval) - (clock.now() - lastShown);
    if (wait <= 0) {
      show();
      return;
    }
    if (timer !== undefined || (!urgent && !options.isTTY)) return;
    timer = setTimeout(() => {
      timer = undefined;
      if (!finished) show();
    }, wait);
    timer.unref();
  };
  const unsubscribe = live?.subscribe(request);

  return {
    update(progress) {
      // Items settled before this run started (resumed) do not count towards the rate.
      baseline ??= progress.done + progress.failed;
      resumedCounters ??= progress.counters;
      latest = progress;
      request();
    },
    finish() {
      if (finished) return;
      finished = true;
      if (timer !== undefined) clearTimeout(timer);
      unsubscribe?.();
      show();
      if (shownOnTerminal) options.stream.write("\n");
    },
  };
}

/** What a progress line names besides the numbers. */
export interface ProgressWords {
  readonly label?: string;
  readonly unit?: string;
  readonly method?: string;
}

/**
 * One progress line: `judge vote 120/1,000 pairs (2 failed) · 480 calls (3 retries, 2 rate-limited,
 * 1 failed) · 96.0k tokens · $0.12 · 4.0 pairs/s · ETA 3m 40s`. Parts without data are left out.
 */
export function formatProgress(
  progress: RunProgress,
  elapsedMs: number,
  settledAtStart = 0,
  words: ProgressWords = {},
): string {
  const settled = progress.done + progress.failed;
  const unit = words.unit ?? "items";
  const parts: string[] = [];
  const items =
    progress.total !== undefined ? `${count(settled)}/${count(progress.total)}` : count(settled);
  const head = [words.label, words.method].filter((word) => word !== undefined && word !== "");
  parts.push(
    `${head.map((word) => `${word} `).join("")}${items} ${unit}${progress.failed > 0 ? ` (${count(progress.failed)} failed)` : ""}`,
  );
  const counters = progress.counters;
  const calls = counters[COUNTER_NAMES.calls];
  if (calls !== undefined) {
    // Retries and failed calls are shown as they are counted, not only in the final summary.
    const retries = counters[COUNTER_NAMES.retries] ?? 0;
    const rateLimited = counters.rateLimited ?? 0;
    const failedCalls = counters[COUNTER_NAMES.failed] ?? 0;
    const trouble = [
      ...(retries > 0 ? [`${count(retries)} retries`] : []),
      ...(rateLimited > 0 ? [`${count(rateLimited)} rate-limited (429)`] : []),
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
    parts.push(`${rate.toFixed(rate < 10 ? 1 : 0)} ${unit}/s`);
    if (progress.total !== undefined && progress.total > settled)
      parts.push(`ETA ${duration((progress.total - settled) / rate)}`);
  }
  return parts.join(" · ");
}

function count(value: number): string {
  return formatCount(Math.round(value));
}

/**
 * A count as people read it: 12,345. Written out rather than `toLocaleString("en-US")`, whose
 * first call loads ICU's locale data: ~30 ms (~100 ms on a busy machine) at the end of every run.
 */
export function formatCount(value: number): string {
  if (!Number.isSafeInteger(value)) return value.toLocaleString("en-US");
  const digits = String(Math.abs(value));
  let grouped = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = grouped.length; i < digits.length; i += 3) grouped += `,${digits.slice(i, i + 3)}`;
  return value < 0 ? `-${grouped}` : grouped;
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
