// A whole scoring run: checks the panel can answer as asked (before any call), then hands the
// rows to the shared run engine with scoreItem as the per-item step.

import { resolve } from "node:path";
import type { CompiledConstitution } from "../constitution/index.js";
import type { OutputFormat } from "../datasets/index.js";
import { promptCacheSection, type CallLedgerOptions } from "../providers/index.js";
import { runItems, type RunnerControls, type RunSummary } from "../runtime/index.js";
import { checkScoreJudge, ScoreCapabilityError } from "./ask-criterion.js";
import { rubricsOf } from "./rubric-choice.js";
import { readScoreItems } from "./rows.js";
import type { EssentialCap } from "./score-formula.js";
import {
  DROPPED_FILE,
  KEPT_FILE,
  SCORES_FILE,
  scoreItem,
  type ScoreJudge,
  type ScoreRunContext,
} from "./score-item.js";
import { PREFERENCES_FILE, TIES_FILE, type PairsFrom } from "./score-pairs.js";
import { scoreStats, type ScoreStats } from "./score-stats.js";
import { DEFAULT_TRACE_MODE, runTraceSetup } from "../io/index.js";

export interface ScoreRunOptions
  extends RunnerControls, Pick<CallLedgerOptions, "prices" | "truncationRetry" | "trace"> {
  readonly dir: string;
  readonly constitution: CompiledConstitution;
  readonly input: string;
  readonly panel: readonly ScoreJudge[];
  /** `--rubric NAME`: the constitution rubric for rows that bring none. */
  readonly rubric?: string;
  readonly cap: EssentialCap;
  readonly threshold?: number;
  readonly pairsFrom?: PairsFrom;
  readonly tieMargin: number;
  readonly format: OutputFormat;
  readonly onInvalid?: (file: string, line: number, message: string) => void;
}

export interface ScoreRunResult {
  readonly summary: RunSummary;
  readonly stats: ScoreStats;
  readonly invalid: readonly {
    readonly file: string;
    readonly line: number;
    readonly message: string;
  }[];
  /** The dataset files this run writes. */
  readonly files: readonly string[];
}

/** The dataset files of a run with these options. */
export function scoreOutputFiles(
  options: Pick<ScoreRunOptions, "threshold" | "pairsFrom">,
): string[] {
  return [
    SCORES_FILE,
    ...(options.threshold === undefined ? [] : [KEPT_FILE, DROPPED_FILE]),
    ...(options.pairsFrom === undefined ? [] : [PREFERENCES_FILE, TIES_FILE]),
  ];
}

/** Every setting that changes the scores: a resume with any of them different is refused. */
export function scoreSettings(options: ScoreRunOptions): Record<string, unknown> {
  return {
    constitution: options.constitution.hash,
    judges: options.panel.map(({ model, settings }) => ({ model: model.id, ...settings })),
    rubric: options.rubric ?? null,
    essentialThreshold: options.cap.threshold,
    essentialCap: options.cap.cap,
    threshold: options.threshold ?? null,
    pairsFrom: options.pairsFrom ?? null,
    tieMargin: options.tieMargin,
    format: options.format,
    trace: options.trace ?? DEFAULT_TRACE_MODE,
  };
}

/**
 * Scores every row of `input` into `dir` (scores.jsonl; kept/dropped.jsonl with a threshold;
 * preferences/ties.jsonl with pairsFrom; trace.jsonl, manifest.json, stats.json). Running it
 * again on the same folder resumes.
 *
 * @example
 * const { stats } = await runScore({ dir: "runs/s", constitution, input: "rows.jsonl", panel, cap: NO_CAP, tieMargin: 0.05, format: "trl", seed: 1, concurrency: 8 });
 */
export async function runScore(options: ScoreRunOptions): Promise<ScoreRunResult> {
  if (options.panel.length === 0)
    throw new ScoreCapabilityError("no judge given (use --judge MODEL)");
  for (const judge of options.panel) checkScoreJudge(judge.model, judge.settings);
  const rubrics = rubricsOf(options.constitution);
  if (options.rubric !== undefined && !rubrics.has(options.rubric))
    throw new ScoreCapabilityError(
      `--rubric ${options.rubric}: the constitution has ${rubrics.size === 0 ? "no rubric" : `the rubrics ${[...rubrics.keys()].join(", ")}`}`,
    );
  const traceSetup = runTraceSetup(options.trace ?? DEFAULT_TRACE_MODE, options.constitution);
  const run: ScoreRunContext = {
    constitution: options.constitution,
    rubrics,
    ...(options.rubric === undefined ? {} : { rubric: options.rubric }),
    panel: options.panel,
    cap: options.cap,
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
    ...(options.pairsFrom === undefined
      ? {}
      : {
          pairs: { from: options.pairsFrom, tieMargin: options.tieMargin, format: options.format },
        }),
    calls: {
      ...(options.prices === undefined ? {} : { prices: options.prices }),
      ...(options.truncationRetry === undefined
        ? {}
        : { truncationRetry: options.truncationRetry }),
      ...traceSetup.ledger,
    },
  };
  const invalid: { file: string; line: number; message: string }[] = [];
  const items = readScoreItems(options.input, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: (file, line, message) => {
      invalid.push({ file, line, message });
      options.onInvalid?.(file, line, message);
    },
  });
  const files = scoreOutputFiles(options);
  const shape = {
    judges: options.panel.length,
    threshold: options.threshold !== undefined,
    pairs: options.pairsFrom !== undefined,
  };
  const summary = await runItems({
    dir: options.dir,
    command: "score",
    settings: scoreSettings(options),
    manifestInfo: {
      input: resolve(options.input),
      constitution: {
        name: options.constitution.name,
        version: options.constitution.version,
        hash: options.constitution.hash,
      },
      ...options.manifestInfo,
      ...traceSetup.manifestInfo,
    },
    seed: options.seed,
    outputFiles: files,
    // The input's identity is kept: a resume on a changed file is refused, one that grew extends.
    inputs: [options.input],
    ...(options.extend === true ? { extend: true } : {}),
    items,
    process: (item, context) => scoreItem(item.id, item.input, run, context),
    concurrency: options.concurrency,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.total === undefined ? {} : { total: options.total }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.activity === undefined ? {} : { activity: options.activity }),
    extraStats: (done) => ({
      scores: scoreStats(done.counters, shape),
      ...promptCacheSection(done.counters),
      ...(invalid.length === 0 ? {} : { invalidRows: { count: invalid.length, rows: invalid } }),
    }),
  });
  return { summary, stats: scoreStats(summary.counters, shape), invalid, files };
}

/**
 * Score stats of a merged sharded run: derived again from the summed counters (agreement sums
 * add up across shards), with the skipped rows (every shard read the whole input: the first's).
 */
export function mergedScoreStats(
  counters: Readonly<Record<string, number>>,
  shards: readonly Readonly<Record<string, unknown>>[],
  settings: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const invalidRows = shards[0]?.["invalidRows"];
  const judges = Array.isArray(settings["judges"]) ? settings["judges"].length : 1;
  return {
    scores: scoreStats(counters, {
      judges,
      threshold: settings["threshold"] !== null && settings["threshold"] !== undefined,
      pairs: settings["pairsFrom"] !== null && settings["pairsFrom"] !== undefined,
    }),
    ...(invalidRows === undefined ? {} : { invalidRows }),
  };
}
