// What the run commands (`revise`, `judge`, `score`, `rubrics`) share: common flags, reading flags
// and config, loading the constitution (compiled JSON or source), runner controls, summary lines.

import { readFileSync } from "node:fs";
import type { ParseArgsConfig } from "node:util";
import { resolve } from "node:path";
import { COMPILED_SCHEMA, type CompiledConstitution } from "../constitution/index.js";
export { sdkVersions } from "../version.js";
import { CALL_COUNTERS, describeBatches, promptCacheStats } from "../providers/index.js";
import { CharterError, UsageError } from "../errors.js";
import { DEFAULT_TRACE_MODE, TRACE_MODES, type TraceMode } from "../io/index.js";
import {
  createProgressReporter,
  describeSchedulerShard,
  formatCount,
  parseShard,
  shardFromScheduler,
  type SchedulerShard,
  STATS_FILE,
  TRACE_FILE,
  type RunProgress,
  type RunSummary,
  type Shard,
} from "../runtime/index.js";
import { UsageMeter, type TruncationRetry } from "../providers/index.js";
import type { LiveCalls } from "../runtime/index.js";
import type { CliIO } from "./command.js";
import { compileForCli, constitutionOrReport } from "./commands/compile-shared.js";
import {
  MODEL_CONFIG_KEYS,
  MODEL_FLAG_OPTIONS,
  truncationRetryFromSettings,
} from "./model-options.js";
import { notFoundHint, type CreateModelOptions } from "../providers/index.js";
import { checkInputFile, constitutionPath } from "./input-file.js";
import { flagHelpLine, parseFlags, usageError } from "./parse-flags.js";
import {
  loadRunConfig,
  type FlagValue,
  type LoadedConfig,
  type RunSettings,
} from "./run-config.js";

export { formatCount };

/**
 * The compiled constitution, or undefined after its diagnostics went to stderr (with code frames).
 * A compiled JSON file (`charter compile` output, schema charter/1) is taken as is; anything else
 * is compiled.
 */
export async function loadConstitution(
  given: string,
  io: CliIO,
): Promise<CompiledConstitution | undefined> {
  const file = constitutionPath(given, io.cwd);
  checkInputFile("--constitution", file, io.cwd);
  if (file.endsWith(".json")) {
    let value: { schema?: unknown } | undefined;
    try {
      value = JSON.parse(readFileSync(resolve(io.cwd, file), "utf8")) as { schema?: unknown };
    } catch {
      value = undefined; // not readable as JSON here: the compiler reports it properly
    }
    if (value?.schema === COMPILED_SCHEMA) return value as CompiledConstitution;
  }
  return constitutionOrReport(await compileForCli(file, io, "--constitution"), file, io);
}

/**
 * The flags every run command takes (with the model flags): spread them into the command's own
 * parseArgs options. `help`, `shard` and `config` are flags only; the rest may be config keys too.
 */
export const RUN_FLAG_OPTIONS = {
  ...MODEL_FLAG_OPTIONS,
  constitution: { type: "string" },
  model: { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  format: { type: "string" },
  temperature: { type: "string" },
  "max-tokens": { type: "string" },
  "skip-invalid": { type: "boolean" },
  quiet: { type: "boolean" },
  shard: { type: "string" },
  shards: { type: "string" },
  trace: { type: "string" },
  extend: { type: "boolean" },
  config: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Help lines of the flags every run command shares (after each command's own). */
export const RUN_OPTIONS_HELP = `  --skip-invalid        count and list malformed input rows instead of stopping at the first
  --shard i/n           process only shard i of n (by item id); merge the shard folders afterwards
  --shard auto          take i and n from the scheduler that started the process (Slurm array,
                        Kubernetes Indexed Job with --shards N, AWS Batch array, Cloud Run job)
  --shards N            the shard count for --shard auto under Kubernetes (the Job's completions)
  --trace MODE          what trace.jsonl keeps of each call: compact (default: every call, each
                        message text once per item, deflated), full (one plain JSON line per
                        event) or off (no call events: \`charter trace\` and \`show\` lose the calls)
  --extend              resume a folder whose input grew by rows at the end: run the new rows
  --config FILE         settings file (JSON or YAML; default ./charter.config.json|yaml if present)
  --quiet               no progress display`;

/** Config-file keys of RUN_FLAG_OPTIONS (everything but the flag-only ones). */
export const RUN_CONFIG_KEYS: readonly string[] = [
  ...Object.keys(RUN_FLAG_OPTIONS).filter(
    (key) =>
      !["help", "shard", "shards", "extend", "config", ...Object.keys(MODEL_FLAG_OPTIONS)].includes(
        key,
      ),
  ),
  ...MODEL_CONFIG_KEYS,
];

/** What a run command needs to read its flags and config file. */
export interface RunCommandSpec {
  readonly command: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  readonly help: string;
  readonly knownKeys: readonly string[];
  /** The other commands' config sections, skipped rather than reported. */
  readonly otherSections: readonly string[];
}

/**
 * Parses a run command's flags and loads its config file, warning about config keys it does not
 * know. Undefined when `--help` was asked for (the help is printed).
 */
export function readRunFlags(
  argv: readonly string[],
  io: CliIO,
  spec: RunCommandSpec,
): { flags: Record<string, FlagValue>; config: LoadedConfig } | undefined {
  const parsed = parseFlags(argv, spec.options, spec.help);
  if (parsed.positionals.length > 0)
    throw usageError(`unexpected argument '${parsed.positionals[0]}'`, spec.help);
  const flags: Record<string, FlagValue> = parsed.values;
  if (flags.help === true) {
    io.stdout.write(spec.help);
    return undefined;
  }
  const config = loadRunConfig({
    command: spec.command,
    knownKeys: spec.knownKeys,
    cwd: io.cwd,
    otherSections: spec.otherSections,
    ...(typeof flags.config === "string" ? { file: flags.config } : {}),
  });
  for (const key of config.ignored)
    io.stderr.write(
      `charter ${spec.command}: ignoring '${key}' in ${config.path ?? "config"} (not a ${spec.command} setting)\n`,
    );
  return { flags, config };
}

/** The runner options every run command reads alike from the shared flags. */
export interface RunControls {
  readonly skipInvalid: boolean;
  readonly truncationRetry: TruncationRetry;
  readonly extend?: true;
  readonly shard?: Shard;
  readonly trace: TraceMode;
  /** Where the shard came from under `--shard auto` (the manifest's `shardFrom`), else empty. */
  readonly manifestInfo: Readonly<Record<string, unknown>>;
  readonly prices?: NonNullable<CreateModelOptions["prices"]>;
  readonly signal?: AbortSignal;
  /** The run's models' CallActivity, which the engine reports to (the batch tier's counting). */
  readonly activity?: NonNullable<CreateModelOptions["activity"]>;
}

/**
 * `--skip-invalid`, `--shard`, `--extend`, `--truncation-retry`, the configured prices and the
 * interrupt signal, as runner options. Read before the input, so a bad flag stops the command
 * before any row is read.
 */
export function runControls(
  settings: RunSettings,
  flags: Record<string, FlagValue>,
  io: CliIO,
  models: Pick<CreateModelOptions, "prices" | "activity">,
): RunControls {
  const { prices, activity } = models;
  const shard = shardControl(flags, io);
  return {
    skipInvalid: settings.boolean("skip-invalid", false),
    truncationRetry: truncationRetryFromSettings(settings),
    trace: traceModeFromSettings(settings),
    ...(flags.extend === true ? { extend: true } : {}),
    ...(shard === undefined ? {} : { shard: shard.shard }),
    manifestInfo: shard?.from === undefined ? {} : { shardFrom: shard.from },
    ...(prices === undefined ? {} : { prices }),
    ...(io.signal === undefined ? {} : { signal: io.signal }),
    ...(activity === undefined ? {} : { activity }),
  };
}

/** `trace`: compact (the default), full or off. */
function traceModeFromSettings(settings: RunSettings): TraceMode {
  const text = settings.string("trace");
  if (text === undefined) return DEFAULT_TRACE_MODE;
  const mode = TRACE_MODES.find((known) => known === text.trim().toLowerCase());
  if (mode === undefined)
    throw new UsageError(`--trace must be ${TRACE_MODES.join(", ")} (got '${text}')`);
  return mode;
}

/**
 * `--shard i/n`, or `--shard auto` read from the scheduler's variables (said on stderr, and kept
 * for the manifest); `--shards N` only goes with `auto`. A scheduler that cannot be read is a
 * usage error (exit 2) naming the variables.
 */
function shardControl(
  flags: Record<string, FlagValue>,
  io: CliIO,
): { shard: Shard; from?: Record<string, unknown> } | undefined {
  const given = flags.shard;
  const shards = flags.shards;
  if (typeof shards === "string" && given !== "auto")
    throw new UsageError(`--shards N goes with --shard auto (with --shard i/n, n is the count)`);
  if (typeof given !== "string") return undefined;
  if (given.trim() !== "auto") return { shard: parseShard(given) };
  let count: number | undefined;
  if (typeof shards === "string") {
    count = /^\d+$/.test(shards.trim()) ? Number(shards) : NaN;
    if (!(count >= 1)) throw new UsageError(`--shards wants a count of 1 or more, got '${shards}'`);
  }
  let found: SchedulerShard;
  try {
    found = shardFromScheduler(io.env, count);
  } catch (error) {
    if (error instanceof CharterError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  io.stderr.write(`${describeSchedulerShard(found)}\n`);
  return {
    shard: found.shard,
    from: { scheduler: found.scheduler, variables: found.from },
  };
}

/** What the progress line says besides the counts, and whose calls it watches as they happen. */
export interface ProgressSubject {
  /** What the run counts: `pairs`, `prompts`, `rows`. */
  readonly unit: string;
  /** The method(s) of the judges (`logprobs`, `vote`, `cot`, `scale`), when the command judges. */
  readonly methods?: readonly string[];
  /** The run's models: their usage meters (where they have one) count calls, retries, 429s and failures live. */
  readonly models: readonly object[];
}

/**
 * The progress display on stderr (none with `--quiet`) for an input of `rows` units, as runner
 * options (`onProgress`, `total`); call `finish` when the run returns.
 */
export function runProgress(
  settings: RunSettings,
  io: CliIO,
  label: string,
  rows: number,
  subject: ProgressSubject,
): {
  readonly options: { onProgress?: (progress: RunProgress) => void; total?: number };
  finish(): void;
} {
  if (settings.boolean("quiet", false)) return { options: {}, finish: () => undefined };
  const methods = [...new Set(subject.methods ?? [])];
  const reporter = createProgressReporter({
    stream: io.stderr,
    isTTY: io.isTTY,
    label,
    unit: subject.unit,
    ...(methods.length > 0 ? { method: methods.join("+") } : {}),
    live: liveCalls([...new Set(subject.models.flatMap(meterOf))]),
  });
  return { options: { onProgress: reporter.update, total: rows }, finish: () => reporter.finish() };
}

/**
 * The judge panel's model names: the `--judge` flags, else `judge` in the config file (a name or
 * a list of names); a usage error naming the flag when there are none.
 */
export function judgeNames(
  flags: Record<string, FlagValue>,
  settings: RunSettings,
  help: string,
): string[] {
  const fromFlags = flags.judge;
  if (Array.isArray(fromFlags) && fromFlags.length > 0) return fromFlags.map(String);
  const configured = settings.lookup("judge")?.value;
  if (typeof configured === "string" && configured !== "") return [configured];
  if (Array.isArray(configured) && configured.every((name) => typeof name === "string"))
    if (configured.length > 0) return configured as string[];
  throw usageError(`missing --judge MODEL (repeat it for a panel)`, help);
}

/** A rate as a percentage with one decimal ("87.5%"), or "n/a" when nothing was compared. */
export const formatRate = (value: number | null): string =>
  value === null ? "n/a" : `${(value * 100).toFixed(1)}%`;

function meterOf(model: object): UsageMeter[] {
  return "usage" in model && model.usage instanceof UsageMeter ? [model.usage] : [];
}

/** The meters' totals as the progress line's live counts: the same counts stats.json ends with. */
function liveCalls(meters: readonly UsageMeter[]): LiveCalls {
  return {
    read() {
      const sum = { calls: 0, retries: 0, rateLimited: 0, failed: 0 };
      for (const meter of meters) {
        const { total } = meter.snapshot();
        sum.calls += total.calls;
        sum.retries += total.retries;
        sum.rateLimited += total.rateLimited;
        sum.failed += total.failures;
      }
      const batches = describeBatches(meters.flatMap((meter) => meter.batches()));
      return batches === undefined ? sum : { ...sum, activity: batches };
    },
    subscribe(listener) {
      const stops = meters.map((meter) => meter.subscribe(listener));
      return () => stops.forEach((stop) => stop());
    },
  };
}

/** A setting that must be given, as a UsageError with the command's help when it is not. */
export function requiredSetting(settings: RunSettings, key: string, help: string): string {
  const value = settings.string(key);
  if (value === undefined || value === "") {
    const line = flagHelpLine(help, key);
    throw usageError(`missing --${key}${line === undefined ? "" : `\n  ${line}`}`, help);
  }
  return value;
}

/** The closing lines of a run summary: failed items and skipped input rows, when there are any. */
export function problemLines(
  summary: RunSummary,
  invalid: readonly { readonly file: string; readonly line: number; readonly message: string }[],
): string[] {
  const lines: string[] = [];
  if (summary.status === "interrupted")
    lines.push(
      `interrupted: ${summary.done} of the items are done and kept; run the same command again to resume`,
    );
  if (summary.failures.length > 0) {
    lines.push(`failed items (${summary.failures.length}):`);
    // One cause failing many items (a wrong model name, a server down) is said once, not N times.
    const byCause = new Map<string, string[]>();
    for (const failure of summary.failures) {
      const cause = `${failure.code}: ${failure.message}`;
      byCause.set(cause, [...(byCause.get(cause) ?? []), failure.id]);
    }
    for (const [cause, ids] of byCause)
      lines.push(
        ids.length < 4
          ? ids.map((id) => `  ${id}: ${cause}`).join("\n")
          : `  ${ids.length} items (${ids.slice(0, 3).join(", ")}, ...): ${cause}`,
      );
  }
  if (invalid.length > 0) {
    lines.push(`skipped invalid rows (${invalid.length}):`);
    for (const row of invalid) lines.push(`  ${row.file}:${row.line}: ${row.message}`);
  }
  return lines;
}

/**
 * When items failed with 404s from an OpenAI-compatible server: what the server says is wrong
 * (no `/v1` in the base URL, a model it does not serve and the ones it does). Undefined otherwise.
 */
export async function endpointProblem(
  summary: RunSummary,
  models: readonly string[],
  options: CreateModelOptions,
): Promise<string | undefined> {
  if (!summary.failures.some((failure) => failure.code === "not-found")) return undefined;
  for (const name of new Set(models)) {
    const hint = await notFoundHint(name, options);
    if (hint !== undefined) return hint;
  }
  return undefined;
}

/**
 * The closing line of a run on the offline rehearsal model: its replies and verdicts are
 * stand-ins, so the figures show the pipeline works, not how good a model is.
 */
export function rehearsalNote(
  models: readonly string[],
  phase: "revise" | "judge" | "score" | "rubrics",
): string {
  const offline = models.filter((name) => name.startsWith("offline:"));
  if (offline.length === 0) return "";
  const what = {
    revise:
      "replies, critiques and revisions are stand-ins: the files show the data's shape, not training material; with a real --model they are the SFT data",
    judge:
      "verdicts are stand-ins: the labels and figures above only show the pipeline runs; with a real --judge, consistency and agreement measure how far its labels can be trusted",
    score:
      "answers are stand-ins: the scores, filters and pairs above only show the pipeline runs; with a real --judge they are rubric scores",
    rubrics:
      "rubrics are stand-ins (each criterion is marked [rehearsal]); with a real --model they are rubrics to score with",
  }[phase];
  return `rehearsal: ${[...new Set(offline)].join(", ")} ${what}\n`;
}

/** 0 all done, 1 some items failed, 130 interrupted (as shells report Ctrl-C). */
export function runExitCode(summary: RunSummary): number {
  if (summary.status === "interrupted") return 130;
  return summary.failed > 0 ? 1 : 0;
}

/**
 * The summary's first line: the phase's own account of what it did, or, when the folder had
 * already finished, that nothing was sent (the totals below are the finished run's).
 */
export function headline(summary: RunSummary, out: string, did: string): string {
  if (summary.status === "already-complete")
    return (
      `${out} is already complete: nothing was sent (${formatCount(summary.items)} items; totals of the finished run below)\n` +
      `  to start a fresh run, give --out a new folder (or delete this one); to extend it, add rows at the end of the input and run again with --extend`
    );
  return `${did} (${summary.failed} failed, ${summary.resumed} resumed from earlier runs) → ${out}`;
}

/** Calls (failed ones included), cache hits, retries, tokens and estimated cost of a run. */
export function usageLine(summary: RunSummary): string {
  const count = (name: string): number => summary.counters[name] ?? 0;
  const counter = (name: string): string => formatCount(count(name));
  const cost = summary.counters[CALL_COUNTERS.cost];
  const failed = count(CALL_COUNTERS.failed);
  const cut = count(CALL_COUNTERS.truncated);
  const unpriced = count(CALL_COUNTERS.unpriced);
  const costText =
    cost === undefined
      ? unpriced > 0
        ? "unknown (no price for this model at this endpoint: list prices apply at the official API only; give one under 'prices' in the config)"
        : "$0.0000"
      : `$${cost.toFixed(4)} (estimate${unpriced > 0 ? `; ${formatCount(unpriced)} calls of models without a price not included` : ""})`;
  return (
    `  calls ${counter(CALL_COUNTERS.calls)} sent` +
    (failed > 0 ? `, ${formatCount(failed)} failed` : "") +
    (cut > 0 ? `, ${formatCount(cut)} cut by the token limit` : "") +
    ` (+${counter(CALL_COUNTERS.cacheHits)} answered from the cache, ${counter(CALL_COUNTERS.retries)} retries)` +
    ` · tokens ${counter(CALL_COUNTERS.inputTokens)} in / ${counter(CALL_COUNTERS.outputTokens)} out` +
    ` · cost ${costText}` +
    promptCacheText(summary.counters)
  );
}

/** ` · prompt cache 43.1% of input tokens read (saved $0.0123)`, when a provider's cache was used. */
function promptCacheText(counters: Readonly<Record<string, number>>): string {
  const stats = promptCacheStats(counters);
  if (stats === undefined) return "";
  const written =
    stats.cacheWriteTokens > 0 ? `, ${formatCount(stats.cacheWriteTokens)} written` : "";
  const saved =
    stats.savingUsd === null
      ? ""
      : stats.savingUsd < 0
        ? ` (writes cost $${(-stats.savingUsd).toFixed(4)} more than reads saved)`
        : ` (saved $${stats.savingUsd.toFixed(4)})`;
  return ` · prompt cache ${(stats.share * 100).toFixed(1)}% of input tokens read${written}${saved}`;
}

/** Where the run's files are: its dataset files, then the trace, stats and manifest. */
export function filesLine(out: string, datasetFiles: readonly string[]): string {
  return `  files: ${[...datasetFiles, TRACE_FILE, STATS_FILE, "manifest.json"].map((file) => resolve(out, file)).join(", ")}`;
}
