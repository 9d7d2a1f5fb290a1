// `charter revise`: Phase 1 from the command line. Reads flags, the config file and the
// constitution's defaults (in that precedence), then hands a run to runRevise and reports it.

import { resolve } from "node:path";
import {
  EMIT_MODES,
  PAIRS_FILE,
  PHASE1_PURPOSES,
  SAMPLING_MODES,
  SFT_FILE,
  SFT_FORMATS,
  readPrompts,
  runRevise,
  type LoopOptions,
  type SamplingMode,
} from "../../phase1-revise/index.js";
import { createModel, DEFAULT_NO_CHANGE_MARKER } from "../../providers/index.js";
import type { RunSummary } from "../../runtime/index.js";
import type { CliIO, Command } from "../command.js";
import {
  endpointOptions,
  MODEL_OPTIONS_HELP,
  modelOptionsFromSettings,
  itemConcurrency,
  tierInfo,
} from "../model-options.js";
import { checkInputFile, constitutionPath } from "../input-file.js";
import { checkInputRows } from "../input-rows.js";
import {
  purposeConfigKeys,
  purposeFlagOptions,
  purposeHelp,
  purposeSettings,
} from "../purpose-options.js";
import { RunSettings } from "../run-config.js";
import {
  endpointProblem,
  rehearsalNote,
  formatCount,
  loadConstitution,
  filesLine,
  headline,
  problemLines,
  runExitCode,
  RUN_OPTIONS_HELP,
  usageLine,
  readRunFlags,
  requiredSetting,
  RUN_CONFIG_KEYS,
  RUN_FLAG_OPTIONS,
  sdkVersions,
  runControls,
  runProgress,
} from "../run-support.js";

const HELP = `usage: charter revise --constitution FILE --prompts FILE --model MODEL --out DIR [options]

Phase 1 of Constitutional AI: each prompt's reply is critiqued against sampled principles and
revised, R times; the final revisions become SFT data in DIR (sft.jsonl, pairs.jsonl, trace.jsonl,
manifest.json, stats.json). Running the same command on the same DIR resumes.

  --constitution FILE   .charter, .yaml or .json constitution
  --prompts FILE        JSON Lines rows {id?, prompt | messages, response?, tags?}, or .txt (one per line)
  --model MODEL         provider:model, e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5, offline:rehearsal
  --out DIR             the run folder
  --seed N              run seed (default: constitution, else 1)
  --revisions N         critique/revise rounds per prompt (default: constitution, else 4 as in the paper)
  --sampling MODE       with-replacement (default, as in the paper) | without-replacement
  --recheck             after the last round, re-ask every used principle's critique of the final
                        reply; one that passed at an earlier round and fails now is a regression
  --format F            trl (default) | openai | hf-cai
  --emit E              final (default) | all-rounds (one record per revision, as the paper trained)
  --temperature T       sampling temperature of the reply, critique and revision calls
                        (default: constitution, else the provider's)
  --max-tokens N        token budget of those calls (default: constitution, else the provider's)
${purposeHelp(PHASE1_PURPOSES, "each over --temperature / --max-tokens")}
  --no-change-marker S  what a critique answers when nothing needs changing (default NO_CHANGES)
${RUN_OPTIONS_HELP}

${MODEL_OPTIONS_HELP}`;

/** Keys a config file may set for `revise` (the long flag names). */
export const REVISE_CONFIG_KEYS: readonly string[] = [
  ...RUN_CONFIG_KEYS,
  "prompts",
  "revisions",
  "sampling",
  "recheck",
  "emit",
  "no-change-marker",
  ...purposeConfigKeys(PHASE1_PURPOSES),
];

const FLAGS = {
  ...RUN_FLAG_OPTIONS,
  prompts: { type: "string" },
  revisions: { type: "string" },
  sampling: { type: "string" },
  recheck: { type: "boolean" },
  emit: { type: "string" },
  "no-change-marker": { type: "string" },
  ...purposeFlagOptions(PHASE1_PURPOSES),
} as const;

/** Weighted draws; with replacement by default, as in the paper. */
function samplingMode(settings: RunSettings): SamplingMode {
  return settings.string("sampling", "with-replacement", SAMPLING_MODES) as SamplingMode;
}

function summaryText(
  summary: RunSummary,
  out: string,
  invalid: readonly { file: string; line: number; message: string }[],
): string {
  const counter = (name: string): number => summary.counters[name] ?? 0;
  const lines = [
    headline(summary, out, `revised ${formatCount(summary.items)} items`),
    usageLine(summary),
    `  rounds: ${counter("revised")} revised, ${counter("no-change")} no change, ${counter("rejected")} rejected by rules, ${counter("rounds-skipped")} skipped (no eligible principle)` +
      (counter("recheck-flagged-items") > 0
        ? ` · recheck flagged ${counter("recheck-flagged-items")} items, ${counter("recheck-regressed-items")} with regressions`
        : ""),
    filesLine(out, [SFT_FILE, PAIRS_FILE]),
  ];
  return `${[...lines, ...problemLines(summary, invalid)].join("\n")}\n`;
}

/** Rounds per prompt when neither the constitution, the config nor a flag says. */
export const DEFAULT_REVISIONS = 4;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const read = readRunFlags(argv, io, {
      command: "revise",
      options: FLAGS,
      help: HELP,
      knownKeys: REVISE_CONFIG_KEYS,
      otherSections: ["judge"],
    });
    if (read === undefined) return 0;
    const { flags, config } = read;
    const required = (settings: RunSettings, key: string): string =>
      requiredSetting(settings, key, HELP);
    const early = new RunSettings(flags, config);
    const constitutionFile = constitutionPath(required(early, "constitution"), io.cwd);
    const constitution = await loadConstitution(constitutionFile, io);
    if (constitution === undefined) return 1;
    const settings = new RunSettings(flags, config, constitution.defaults);

    const promptsGiven = required(settings, "prompts");
    const prompts = checkInputFile("--prompts", promptsGiven, io.cwd);
    const modelName = required(settings, "model");
    const out = resolve(io.cwd, required(settings, "out"));
    const seed = settings.number("seed", 1, { integer: true });
    const concurrency = itemConcurrency(settings);
    const temperature = settings.number("temperature", undefined, { min: 0 });
    const maxTokens = settings.number("max-tokens", undefined, { integer: true, min: 1 });
    const noChangeMarker = settings.string("no-change-marker", DEFAULT_NO_CHANGE_MARKER);
    const loop: LoopOptions = {
      // The Constitutional AI paper revised each reply four times (Bai et al. 2022, section 3).
      revisions: settings.number("revisions", DEFAULT_REVISIONS, { integer: true, min: 0 }),
      sampling: samplingMode(settings),
      recheck: settings.boolean("recheck", false),
      noChangeMarker,
      // --temperature and --max-tokens stand for every purpose that does not set its own.
      calls: Object.fromEntries(
        PHASE1_PURPOSES.map((purpose) => [
          purpose,
          purposeSettings(settings, purpose, {
            ...(temperature === undefined ? {} : { temperature }),
            ...(maxTokens === undefined ? {} : { maxTokens }),
          }),
        ]),
      ) as LoopOptions["calls"],
    };
    const format = settings.string("format", "trl", SFT_FORMATS);
    const emit = settings.string("emit", "final", EMIT_MODES);
    const modelOptions = modelOptionsFromSettings(settings, io, { runFolder: out });
    const controls = runControls(settings, flags, io, modelOptions);
    const rows = await checkInputRows(
      "--prompts",
      promptsGiven,
      (onInvalid) =>
        readPrompts(prompts, {
          skipInvalid: true,
          onInvalid: (row) => onInvalid(row.line, row.message),
        }),
      controls.skipInvalid,
    );
    // The model pool gets at least as many slots as items in flight, each making one call at a time.
    const optionsFor = endpointOptions([modelName], modelOptions);
    const model = createModel(modelName, { concurrency, ...optionsFor(modelName), noChangeMarker });
    const progress = runProgress(settings, io, "revise", rows, {
      unit: "prompts",
      models: [model],
    });
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
      ...controls,
      manifestInfo: {
        ...controls.manifestInfo,
        sdk: sdkVersions(),
        node: process.versions.node,
        constitutionFile: resolve(io.cwd, constitutionFile),
        prompts,
        ...(modelOptions.baseUrl === undefined ? {} : { baseUrl: modelOptions.baseUrl }),
        ...tierInfo(modelOptions),
      },
      ...progress.options,
    });
    progress.finish();
    io.stdout.write(summaryText(summary, out, invalid));
    io.stdout.write(rehearsalNote([modelName], "revise"));
    const problem = await endpointProblem(summary, [modelName], modelOptions);
    if (problem !== undefined) {
      io.stderr.write(`charter revise: ${problem}\n`);
      return 2;
    }
    return runExitCode(summary);
  },
};
export default command;
