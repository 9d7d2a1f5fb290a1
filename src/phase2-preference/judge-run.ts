// A whole judging run: checks the panel can do what was asked (before any call), then hands the
// items to the shared run engine with judgeGroup as the per-item step.

import { resolve } from "node:path";
import type { CompiledConstitution } from "../constitution/index.js";
import { CharterError } from "../errors.js";
import {
  DEFAULT_TRUNCATION_RETRY,
  splitServedModels,
  type CallLedgerOptions,
  promptCacheSection,
} from "../providers/index.js";
import { runItems, type RunnerControls, type RunSummary } from "../runtime/index.js";
import {
  judgeGroup,
  PREFERENCES_FILE,
  TIES_FILE,
  type GenerationSettings,
  type JudgeRunContext,
} from "./judge-group.js";
import type { PairSettings, PanelJudge } from "./judge-pair.js";
import { JudgeCapabilityError, judgeParams } from "./methods.js";
import type { OutputFormat } from "../datasets/index.js";
import { readPairItems, readPromptItems } from "./pair-items.js";
import type { Pairing } from "../datasets/index.js";
import { preferenceStats, type PreferenceStats } from "./preference-stats.js";
import { DEFAULT_TRACE_MODE, runTraceSetup } from "../io/index.js";

export type JudgeSource =
  | { readonly kind: "pairs"; readonly file: string }
  | { readonly kind: "generate"; readonly file: string; readonly generation: GenerationSettings };

export interface JudgeRunOptions
  extends RunnerControls, Pick<CallLedgerOptions, "prices" | "truncationRetry" | "trace"> {
  readonly dir: string;
  readonly constitution: CompiledConstitution;
  readonly panel: readonly PanelJudge[];
  readonly source: JudgeSource;
  readonly pair: PairSettings;
  readonly pairing: Pairing;
  readonly tieMargin: number;
  readonly format: OutputFormat;
  readonly onInvalid?: (file: string, line: number, message: string) => void;
}

export interface JudgeRunResult {
  readonly summary: RunSummary;
  readonly stats: PreferenceStats;
  /** Input rows skipped with `skipInvalid`. */
  readonly invalid: readonly InvalidRow[];
}

export interface InvalidRow {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Refuses, before any call, a panel that cannot answer the way it was asked: log-probabilities
 * from a model without them (Anthropic's API returns none), or more top alternatives than zero.
 */
export function checkPanel(panel: readonly PanelJudge[]): void {
  if (panel.length === 0) throw new JudgeCapabilityError("no judge given (use --judge MODEL)");
  for (const { model, settings } of panel) {
    if (settings.method !== "logprobs") continue;
    if (!model.capabilities.logprobs || model.capabilities.maxTopLogprobs < 1)
      throw new JudgeCapabilityError(
        `${model.id} gives no token log-probabilities, so --method logprobs cannot work with it; ` +
          `use --method vote or --method cot for this judge`,
      );
  }
}

/**
 * Every setting that changes the labels: a resume with any of them different is refused. The
 * input's path is not one (a shard may run from another folder); it goes in the manifest.
 */
export function judgeSettings(options: JudgeRunOptions): Record<string, unknown> {
  const { source } = options;
  return {
    constitution: options.constitution.hash,
    // What each judge's questions are actually sent with, beside the method settings.
    judges: options.panel.map(({ model, settings }) => ({
      model: model.id,
      ...settings,
      sent: judgeParams(settings, model),
    })),
    principles: options.pair.principles,
    bothOrders: options.pair.bothOrders,
    pairing: options.pairing,
    tieMargin: options.tieMargin,
    format: options.format,
    truncationRetry: options.truncationRetry ?? DEFAULT_TRUNCATION_RETRY,
    trace: options.trace ?? DEFAULT_TRACE_MODE,
    ...(source.kind === "generate"
      ? {
          generate: {
            model: source.generation.model.id,
            count: source.generation.count,
            temperature: source.generation.temperature,
            maxTokens: source.generation.maxTokens,
            ...(source.generation.system === undefined ? {} : { system: source.generation.system }),
          },
        }
      : {}),
  };
}

/**
 * Phase 2 stats of a merged sharded run: the rates derived again from the summed counters, and
 * the skipped rows (every shard read the whole input: the first shard's stand for all).
 */
export function mergedJudgeStats(
  counters: Readonly<Record<string, number>>,
  shards: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown> {
  const invalidRows = shards[0]?.["invalidRows"];
  const served = new Set<string>();
  for (const shard of shards) {
    const list = shard["servedModels"];
    if (Array.isArray(list)) for (const id of list) if (typeof id === "string") served.add(id);
  }
  return {
    ...splitServedModels(counters),
    servedModels: [...served].sort(),
    preferences: preferenceStats(counters),
    ...(invalidRows === undefined ? {} : { invalidRows }),
  };
}

/**
 * Judges every pair of the input into `dir` (preferences.jsonl, ties.jsonl, trace.jsonl,
 * manifest.json, stats.json). Running it again on the same folder resumes.
 *
 * @example
 * const { stats } = await runJudge({ dir: "runs/p2", constitution, panel, source: { kind: "pairs", file: "examples/pairs.jsonl" }, ... });
 */
/**
 * Refuses, before any call, a constitution that can decide no pair: no principle has a `compare`
 * question and no `on pair` rule exists (a Phase 1 import, say), instead of failing every item.
 */
export function assertSomethingToJudge(constitution: CompiledConstitution): void {
  const questions = constitution.principles.some((principle) => principle.compare.length > 0);
  const rules = constitution.rules.some((rule) => rule.stage === "pair");
  if (!questions && !rules)
    throw new CharterError(
      "nothing-to-judge",
      `nothing to judge with: no principle of "${constitution.name}" has a \`compare\` question and no rule acts \`on pair\`. Add \`compare "Which reply ...?"\` to the principles Phase 2 should ask`,
    );
}

export async function runJudge(options: JudgeRunOptions): Promise<JudgeRunResult> {
  assertSomethingToJudge(options.constitution);
  checkPanel(options.panel);
  const { source } = options;
  const traceSetup = runTraceSetup(options.trace ?? DEFAULT_TRACE_MODE, options.constitution);
  const run: JudgeRunContext = {
    constitution: options.constitution,
    panel: options.panel,
    pair: options.pair,
    pairing: options.pairing,
    tieMargin: options.tieMargin,
    format: options.format,
    ...(source.kind === "generate" ? { generation: source.generation } : {}),
    calls: {
      ...(options.prices === undefined ? {} : { prices: options.prices }),
      ...(options.truncationRetry === undefined
        ? {}
        : { truncationRetry: options.truncationRetry }),
      ...traceSetup.ledger,
    },
  };
  const invalid: InvalidRow[] = [];
  const read = {
    skipInvalid: options.skipInvalid === true,
    onInvalid: (file: string, line: number, message: string) => {
      invalid.push({ file, line, message });
      options.onInvalid?.(file, line, message);
    },
  };
  const items =
    source.kind === "pairs" ? readPairItems(source.file, read) : readPromptItems(source.file, read);
  const summary = await runItems({
    dir: options.dir,
    command: "judge",
    settings: judgeSettings(options),
    manifestInfo: {
      input: resolve(source.file),
      constitution: {
        name: options.constitution.name,
        version: options.constitution.version,
        hash: options.constitution.hash,
      },
      ...options.manifestInfo,
      ...traceSetup.manifestInfo,
    },
    seed: options.seed,
    outputFiles: [PREFERENCES_FILE, TIES_FILE],
    items,
    inputs: [source.file],
    ...(options.extend === true ? { extend: true } : {}),
    // A JudgeCapabilityError is a RunStoppingError: the engine stops the run at the first one.
    process: (item, context) => judgeGroup(item.id, item.input, run, context),
    concurrency: options.concurrency,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.total === undefined ? {} : { total: options.total }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.activity === undefined ? {} : { activity: options.activity }),
    // Rates are not sums, so they are derived once from the totals, in the engine's one write of
    // stats.json (with the skipped rows).
    extraStats: (done) => ({
      ...splitServedModels(done.counters),
      ...promptCacheSection(done.counters),
      preferences: preferenceStats(done.counters),
      ...(invalid.length === 0 ? {} : { invalidRows: { count: invalid.length, rows: invalid } }),
    }),
  });
  return { summary, stats: preferenceStats(summary.counters), invalid };
}
