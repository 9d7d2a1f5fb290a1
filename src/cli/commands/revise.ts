// `charter revise`: Phase 1 from the command line. Reads flags, the config file and the
// constitution's defaults (in that precedence), then hands a run to runRevise and reports it.

import { createReadStream, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "../../errors.js";
import { COMPILED_SCHEMA, type CompiledConstitution } from "../../dsl/index.js";
// TODO(lead): switch to the dsl front door once it exports evaluateCondition.
import { evaluateCondition } from "../../dsl/evaluate.js";
import {
  DEFAULT_NO_CHANGE_MARKER,
  EMIT_MODES,
  PAIRS_FILE,
  SAMPLING_MODES,
  SFT_FILE,
  SFT_FORMATS,
  runRevise,
  type LoopOptions,
  type SamplingMode,
} from "../../phase1-revise/index.js";
import { createModel } from "../../providers/index.js";
import {
  COUNTER_NAMES,
  createProgressReporter,
  parseShard,
  STATS_FILE,
  TRACE_FILE,
  type RunSummary,
} from "../../runtime/index.js";
import type { CliIO, Command } from "../command.js";
import { compileForCli, constitutionOrReport } from "./compile-shared.js";
import {
  MODEL_CONFIG_KEYS,
  MODEL_FLAG_OPTIONS,
  MODEL_OPTIONS_HELP,
  modelOptionsFromSettings,
} from "../model-options.js";
import { loadRunConfig, RunSettings, type FlagValue } from "../run-config.js";

const HELP = `usage: charter revise --constitution FILE --prompts FILE --model MODEL --out DIR [options]

Phase 1 of Constitutional AI: each prompt's reply is critiqued against sampled principles and
revised, R times; the final revisions become SFT data in DIR (sft.jsonl, pairs.jsonl, trace.jsonl,
manifest.json, stats.json). Running the same command on the same DIR resumes.

  --constitution FILE   .charter, .yaml or .json constitution
  --prompts FILE        JSON Lines rows {id?, prompt | messages, response?, tags?}, or .txt (one per line)
  --model MODEL         provider:model, e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, offline:rehearsal
  --out DIR             the run folder
  --seed N              run seed (default: constitution, else 1)
  --revisions N         critique/revise rounds per prompt (default: constitution, else 1)
  --sampling MODE       with-replacement (default, as in the paper) | without-replacement
  --recheck             after the last round, re-ask every used principle's critique of the final reply
  --format F            trl (default) | openai | hf-cai
  --emit E              final (default) | all-rounds (one record per revision, as the paper trained)
  --temperature T       sampling temperature (default: constitution, else the provider's)
  --max-tokens N        reply length limit (default: constitution, else the provider's)
  --no-change-marker S  what a critique answers when nothing needs changing (default NO_CHANGES)
  --skip-invalid        count and list malformed input rows instead of stopping at the first
  --shard i/n           process only shard i of n (by item id); merge the shard folders afterwards
  --config FILE         settings file (JSON or YAML; default ./charter.config.json|yaml if present)
  --quiet               no progress display

${MODEL_OPTIONS_HELP}`;

/** Keys a config file may set for `revise` (the long flag names). */
export const REVISE_CONFIG_KEYS: readonly string[] = [
  "constitution",
  "prompts",
  "model",
  "out",
  "seed",
  "revisions",
  "sampling",
  "recheck",
  "format",
  "emit",
  "temperature",
  "max-tokens",
  "no-change-marker",
  "skip-invalid",
  "quiet",
  ...MODEL_CONFIG_KEYS,
];

const FLAGS = {
  ...MODEL_FLAG_OPTIONS,
  constitution: { type: "string" },
  prompts: { type: "string" },
  model: { type: "string" },
  out: { type: "string" },
  seed: { type: "string" },
  revisions: { type: "string" },
  sampling: { type: "string" },
  recheck: { type: "boolean" },
  format: { type: "string" },
  emit: { type: "string" },
  temperature: { type: "string" },
  "max-tokens": { type: "string" },
  "no-change-marker": { type: "string" },
  "skip-invalid": { type: "boolean" },
  shard: { type: "string" },
  config: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The constitution may say `sampling "weighted"`: weighted draws with replacement, our default. */
function samplingMode(settings: RunSettings): SamplingMode {
  const value = settings.string("sampling", "with-replacement", [...SAMPLING_MODES, "weighted"]);
  return value === "weighted" ? "with-replacement" : (value as SamplingMode);
}

function required(settings: RunSettings, key: string): string {
  const value = settings.string(key);
  if (value === undefined || value === "") throw new UsageError(`--${key} is required\n\n${HELP}`);
  return value;
}

/** Versions of the SDKs that talk to the models (for the manifest). */
function sdkVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of ["openai", "@anthropic-ai/sdk"]) {
    try {
      // src/cli/commands and dist/cli/commands are both three levels below the package root.
      const url = new URL(`../../../node_modules/${name}/package.json`, import.meta.url);
      versions[name] = (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
    } catch {
      versions[name] = "unknown";
    }
  }
  return versions;
}

/**
 * The compiled constitution, or undefined after its diagnostics went to stderr. A compiled JSON
 * file (`charter compile` output, schema charter/1) is taken as is; anything else is compiled.
 */
async function loadConstitution(
  file: string,
  io: CliIO,
): Promise<CompiledConstitution | undefined> {
  if (file.endsWith(".json")) {
    let value: { schema?: unknown } | undefined;
    try {
      value = JSON.parse(readFileSync(resolve(io.cwd, file), "utf8")) as { schema?: unknown };
    } catch {
      value = undefined; // not readable as JSON here: the compiler reports it properly
    }
    if (value?.schema === COMPILED_SCHEMA) return value as CompiledConstitution;
  }
  return constitutionOrReport(await compileForCli(file, io), file, io);
}

/** Lines in a file (a quick byte scan), for the progress display's total and ETA. */
async function countLines(path: string): Promise<number | undefined> {
  try {
    let lines = 0;
    let last = 10;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      last = chunk.at(-1) ?? last;
    }
    return last === 10 ? lines : lines + 1;
  } catch {
    return undefined;
  }
}

function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

function summaryText(
  summary: RunSummary,
  out: string,
  invalid: readonly { file: string; line: number; message: string }[],
): string {
  const counter = (name: string): number => summary.counters[name] ?? 0;
  const cost = summary.counters[COUNTER_NAMES.cost];
  const lines = [
    summary.status === "already-complete"
      ? `${out} is already complete: nothing was sent (${formatCount(summary.items)} items; totals of the finished run below)`
      : `revised ${formatCount(summary.items)} items (${summary.failed} failed, ${summary.resumed} resumed from earlier runs) → ${out}`,
    `  calls ${formatCount(counter(COUNTER_NAMES.calls))} sent (+${formatCount(counter("cache-hits"))} answered from the cache, ${formatCount(counter(COUNTER_NAMES.retries))} retries) · tokens ${formatCount(counter(COUNTER_NAMES.inputTokens))} in / ${formatCount(counter(COUNTER_NAMES.outputTokens))} out · cost ${cost === undefined ? "unknown (no price for this model)" : `$${cost.toFixed(4)} (estimate)`}`,
    `  rounds: ${counter("revised")} revised, ${counter("no-change")} no change, ${counter("rejected")} rejected by rules, ${counter("rounds-skipped")} skipped (no eligible principle)` +
      (counter("recheck-flagged-items") > 0
        ? ` · recheck flagged ${counter("recheck-flagged-items")} items`
        : ""),
    `  files: ${[SFT_FILE, PAIRS_FILE, TRACE_FILE, STATS_FILE, "manifest.json"].map((file) => resolve(out, file)).join(", ")}`,
  ];
  if (summary.failures.length > 0) {
    lines.push(`failed items (${summary.failures.length}):`);
    for (const failure of summary.failures)
      lines.push(`  ${failure.id}: ${failure.code}: ${failure.message}`);
  }
  if (invalid.length > 0) {
    lines.push(`skipped invalid rows (${invalid.length}):`);
    for (const row of invalid) lines.push(`  ${row.file}:${row.line}: ${row.message}`);
  }
  return `${lines.join("\n")}\n`;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: FLAGS,
        allowPositionals: false,
        strict: true,
      });
    } catch (error) {
      throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    }
    const flags: Record<string, FlagValue> = parsed.values;
    if (flags.help === true) {
      io.stdout.write(HELP);
      return 0;
    }
    const config = loadRunConfig({
      command: "revise",
      knownKeys: REVISE_CONFIG_KEYS,
      cwd: io.cwd,
      otherSections: ["judge"],
      ...(typeof flags.config === "string" ? { file: flags.config } : {}),
    });
    for (const key of config.ignored)
      io.stderr.write(
        `charter revise: ignoring '${key}' in ${config.path ?? "config"} (not a revise setting)\n`,
      );
    const early = new RunSettings(flags, config);
    const constitutionFile = required(early, "constitution");
    const constitution = await loadConstitution(constitutionFile, io);
    if (constitution === undefined) return 1;
    const settings = new RunSettings(flags, config, constitution.defaults);

    const prompts = resolve(io.cwd, required(settings, "prompts"));
    const modelName = required(settings, "model");
    const out = resolve(io.cwd, required(settings, "out"));
    const seed = settings.number("seed", 1, { integer: true });
    const concurrency = settings.number("concurrency", 8, { integer: true, min: 1 });
    const temperature = settings.number("temperature", undefined, { min: 0 });
    const maxTokens = settings.number("max-tokens", undefined, { integer: true, min: 1 });
    const noChangeMarker = settings.string("no-change-marker", DEFAULT_NO_CHANGE_MARKER);
    const loop: LoopOptions = {
      revisions: settings.number("revisions", 1, { integer: true, min: 0 }),
      sampling: samplingMode(settings),
      recheck: settings.boolean("recheck", false),
      noChangeMarker,
      params: {
        ...(temperature === undefined ? {} : { temperature }),
        ...(maxTokens === undefined ? {} : { maxTokens }),
      },
    };
    const format = settings.string("format", "trl", SFT_FORMATS);
    const emit = settings.string("emit", "final", EMIT_MODES);
    const quiet = settings.boolean("quiet", false);
    const shard = typeof flags.shard === "string" ? parseShard(flags.shard) : undefined;
    const baseUrl = settings.string("base-url");
    const modelOptions = modelOptionsFromSettings(settings, io);
    const prices = modelOptions.prices;
    // The model pool gets at least as many slots as items in flight, each making one call at a time.
    const model = createModel(modelName, { concurrency, ...modelOptions, noChangeMarker });
    const total = quiet ? undefined : await countLines(prompts);
    const progress = quiet
      ? undefined
      : createProgressReporter({ stream: io.stderr, isTTY: io.isTTY, label: "revise" });
    const { summary, invalid } = await runRevise({
      constitution,
      prompts,
      model,
      out,
      seed,
      loop,
      format,
      emit,
      concurrency,
      evaluate: evaluateCondition,
      skipInvalid: settings.boolean("skip-invalid", false),
      ...(shard === undefined ? {} : { shard }),
      ...(prices === undefined ? {} : { prices }),
      manifestInfo: {
        sdk: sdkVersions(),
        node: process.versions.node,
        constitutionFile: resolve(io.cwd, constitutionFile),
        prompts,
        ...(baseUrl === undefined ? {} : { baseUrl }),
      },
      ...(progress === undefined ? {} : { onProgress: progress.update }),
      ...(total === undefined ? {} : { total }),
      ...(io.signal === undefined ? {} : { signal: io.signal }),
    });
    progress?.finish();
    io.stdout.write(summaryText(summary, out, invalid));
    return summary.failed > 0 || summary.status === "interrupted" ? 1 : 0;
  },
};
export default command;
