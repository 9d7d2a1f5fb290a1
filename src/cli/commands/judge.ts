// `charter judge`: Phase 2 from the command line. Reads flags, the config file and the
// constitution's defaults (in that precedence), builds the judge panel, runs runJudge, reports.

import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import {
  JUDGE_METHODS,
  OUTPUT_FORMATS,
  PAIRINGS,
  PREFERENCES_FILE,
  readPairItems,
  readPromptItems,
  TIES_FILE,
  runJudge,
  type JudgeMethod,
  type JudgeSource,
  type MethodSettings,
  type PanelJudge,
  type PreferenceStats,
} from "../../phase2-preference/index.js";
import { createModel, type CreateModelOptions } from "../../providers/index.js";
import type { RunSummary } from "../../runtime/index.js";
import type { CliIO, Command } from "../command.js";
import { usageError } from "../parse-flags.js";
import {
  endpointOptions,
  MODEL_OPTIONS_HELP,
  modelOptionsFromSettings,
  itemConcurrency,
  tierInfo,
} from "../model-options.js";
import { checkInputFile, constitutionPath as findConstitution } from "../input-file.js";
import { checkInputRows } from "../input-rows.js";
import {
  purposeConfigKeys,
  purposeFlagOptions,
  purposeHelp,
  purposeSettings,
} from "../purpose-options.js";
import { RunSettings, type FlagValue } from "../run-config.js";
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
  judgeNames,
  formatRate,
  runProgress,
} from "../run-support.js";

const HELP = `usage: charter judge --constitution FILE --pairs FILE --judge MODEL --out DIR [options]
       charter judge --constitution FILE --prompts FILE --generate N --model MODEL --judge MODEL --out DIR

Phase 2 of Constitutional AI: a judge model compares two replies under sampled principles; the
averaged verdicts become preference labels in DIR (preferences.jsonl, ties.jsonl, trace.jsonl,
manifest.json, stats.json). Running the same command on the same DIR resumes.

  --constitution FILE   .charter, .yaml or .json constitution
  --pairs FILE          JSON Lines rows {id?, prompt, responses: [a, b, ...]} or {id?, prompt, chosen, rejected},
                        prompt a string or a message list; Phase 1's pairs.jsonl and Phase 2's preferences
                        (any --format, HH-RLHF transcripts included) as they are
  --prompts FILE        instead of --pairs: prompts ({id?, prompt} or {id?, messages} JSON Lines, such as
                        Phase 1's sft.jsonl; or .txt, one per line) ...
  --generate N          ... with N replies each sampled from --model, then judged (N >= 2)
  --model MODEL         the policy model that writes the replies for --generate
  --judge MODEL         provider:model; repeat for a panel (verdicts averaged, agreement reported)
  --out DIR             the run folder
  --seed N              run seed (default: constitution, else 1)
  --principles K        principles sampled per pair (default: constitution judge-principles, else 1)
  --both-orders         ask (A,B) and (B,A) and average (the default) ...
  --no-both-orders      ... or ask one order, chosen by a seeded coin per question
  --method M            logprobs (default where the judge gives log-probabilities) | vote | cot
  --samples N           answers sampled per question for vote (default 5) and cot (default 1)
  --top-logprobs N      alternatives read per token for logprobs (default 20, capped by the judge)
  --cot-clamp-low X     cot verdicts are clamped into [low, high] (default 0.4) ...
  --cot-clamp-high X    ... (default 0.6), as the paper did: chain-of-thought answers are overconfident
  --cot-max-tokens N    reasoning budget for cot (default 1024; --judge-max-tokens wins)
${purposeHelp(
  ["judge", "generate"],
  "judge: temperature of vote and cot (default 1; 0 for one cot sample; logprobs reads the\n                        greedy token), max tokens 3 logprobs, 8 vote, --cot-max-tokens cot;\n                        generate: temperature 1, max tokens 512",
)}
  --parse-retries N     re-asks when an answer names neither (A) nor (B) (default 2), then a failure
  --tie-margin X        |P - 0.5| <= X is a tie, written to ties.jsonl (default: constitution, else 0.05)
  --format F            trl (default: prompt/chosen/rejected strings) | trl-chat (message lists) | openai-dpo | hh
  --pairing P           all (default): every pair of a row's replies | reference: each against the first
${RUN_OPTIONS_HELP}

${MODEL_OPTIONS_HELP}`;

/** The purposes of Phase 2's calls, each with its own sampling settings. */
const JUDGE_PURPOSES = ["judge", "generate"] as const;

/** Keys a config file may set for `judge` (the long flag names; `judge-principles` = --principles). */
export const JUDGE_CONFIG_KEYS: readonly string[] = [
  // Phase 1's --temperature / --max-tokens are not the judge's: it has its own per purpose.
  ...RUN_CONFIG_KEYS.filter((key) => key !== "temperature" && key !== "max-tokens"),
  ...purposeConfigKeys(JUDGE_PURPOSES),
  "pairs",
  "prompts",
  "generate",
  "judge",
  "judge-principles",
  "both-orders",
  "method",
  "samples",
  "top-logprobs",
  "cot-clamp-low",
  "cot-clamp-high",
  "cot-max-tokens",
  "parse-retries",
  "tie-margin",
  "pairing",
];

const {
  temperature: _phase1Temperature,
  "max-tokens": _phase1MaxTokens,
  ...JUDGE_RUN_FLAGS
} = RUN_FLAG_OPTIONS;

const FLAGS = {
  ...JUDGE_RUN_FLAGS,
  ...purposeFlagOptions(JUDGE_PURPOSES),
  pairs: { type: "string" },
  prompts: { type: "string" },
  generate: { type: "string" },
  judge: { type: "string", multiple: true },
  principles: { type: "string" },
  "both-orders": { type: "boolean" },
  "no-both-orders": { type: "boolean" },
  method: { type: "string" },
  samples: { type: "string" },
  "top-logprobs": { type: "string" },
  "cot-clamp-low": { type: "string" },
  "cot-clamp-high": { type: "string" },
  "cot-max-tokens": { type: "string" },
  "parse-retries": { type: "string" },
  "tie-margin": { type: "string" },
  pairing: { type: "string" },
} as const;

const required = (settings: RunSettings, key: string): string =>
  requiredSetting(settings, key, HELP);

/** Flags under the names the config file and the constitution's `defaults` use. */
function settingFlags(values: Record<string, FlagValue>): Record<string, FlagValue> {
  const { principles, "no-both-orders": noBothOrders, judge: _judge, ...rest } = values;
  if (values["both-orders"] === true && noBothOrders === true)
    throw new UsageError("give --both-orders or --no-both-orders, not both");
  return {
    ...rest,
    ...(principles === undefined ? {} : { "judge-principles": principles }),
    ...(noBothOrders === true ? { "both-orders": false } : {}),
  };
}

/**
 * Each judge's method: the one asked for, or logprobs where the judge gives log-probabilities
 * and vote where it does not. An explicit logprobs for a judge without them is refused later by
 * runJudge, before any call.
 */
function methodFor(
  asked: JudgeMethod | undefined,
  model: PanelJudge["model"],
  settings: RunSettings,
): MethodSettings {
  const method = asked ?? (model.capabilities.logprobs ? "logprobs" : "vote");
  const judge = purposeSettings(settings, "judge");
  const low = settings.number("cot-clamp-low", 0.4, { min: 0, max: 1 });
  const high = settings.number("cot-clamp-high", 0.6, { min: 0, max: 1 });
  if (low > high)
    throw new UsageError(`--cot-clamp-low (${low}) is above --cot-clamp-high (${high})`);
  return {
    method,
    samples: settings.number("samples", method === "vote" ? 5 : 1, { integer: true, min: 1 }),
    topLogprobs: settings.number("top-logprobs", 20, { integer: true, min: 1 }),
    parseRetries: settings.number("parse-retries", 2, { integer: true, min: 0 }),
    cotMaxTokens: settings.number("cot-max-tokens", 1024, { integer: true, min: 1 }),
    cotClamp: [low, high],
    // The judge's own sampling settings; unset ones take the method's defaults (judgeParams).
    ...(judge.params.temperature === undefined ? {} : { temperature: judge.params.temperature }),
    ...(judge.params.maxTokens === undefined ? {} : { maxTokens: judge.params.maxTokens }),
    ...(judge.system === undefined ? {} : { system: judge.system }),
  };
}

function source(
  settings: RunSettings,
  io: CliIO,
  modelOptions: (name: string) => CreateModelOptions,
): { source: JudgeSource; input: string; given: string } {
  const pairs = settings.string("pairs");
  const prompts = settings.string("prompts");
  if ((pairs === undefined) === (prompts === undefined))
    throw usageError(`give either --pairs FILE or --prompts FILE with --generate N`, HELP);
  if (pairs !== undefined) {
    const file = checkInputFile("--pairs", pairs, io.cwd);
    return { source: { kind: "pairs", file }, input: file, given: pairs };
  }
  const file = checkInputFile("--prompts", prompts as string, io.cwd);
  const count = settings.number("generate", undefined, { integer: true, min: 2 });
  if (count === undefined) throw new UsageError("--prompts needs --generate N (N >= 2)");
  const policy = required(settings, "model");
  const generate = purposeSettings(settings, "generate");
  const generation = {
    model: createModel(policy, modelOptions(policy)),
    count,
    temperature: generate.params.temperature ?? 1,
    maxTokens: generate.params.maxTokens ?? 512,
    ...(generate.system === undefined ? {} : { system: generate.system }),
  };
  return { source: { kind: "generate", file, generation }, input: file, given: prompts as string };
}

function summaryText(
  summary: RunSummary,
  stats: PreferenceStats,
  out: string,
  invalid: readonly { file: string; line: number; message: string }[],
): string {
  const lines = [
    headline(
      summary,
      out,
      `judged ${formatCount(stats.pairs)} pairs in ${formatCount(summary.items)} items`,
    ),
    `  labels ${stats.preferences} (${stats.decidedByModel} by the judges, ${stats.decidedByRule} by rules) · ties ${stats.ties} · mean confidence of the judges' labels ${stats.meanConfidence ?? "n/a"} · position consistency ${formatRate(stats.positionConsistency)} · longer reply won ${formatRate(stats.longerWon)}` +
      (stats.agreementWithGiven === null
        ? ""
        : ` · agreement with given labels ${formatRate(stats.agreementWithGiven)} (judges ${formatRate(stats.agreementWithGivenByModel)}, rules ${formatRate(stats.agreementWithGivenByRule)})`),
    usageLine(summary),
  ];
  lines.push(...agreementLines(stats));
  lines.push(filesLine(out, [PREFERENCES_FILE, TIES_FILE]));
  lines.push(...problemLines(summary, invalid));
  return `${lines.join("\n")}\n`;
}

const kappa = (value: number | null): string => (value === null ? "n/a" : value.toFixed(2));

/** Agreement that can disagree: leave-one-out per principle and judge, kappa, calibration. */
function agreementLines(stats: PreferenceStats): string[] {
  const leaveOneOut = (rates: PreferenceStats["principles"]): string =>
    Object.entries(rates)
      .filter(([, { leaveOneOut: loo }]) => loo.compared > 0)
      .map(([name, { leaveOneOut: loo }]) => `${name} ${formatRate(loo.agreement)}`)
      .join(" · ");
  const lines: string[] = [];
  const principles = leaveOneOut(stats.principles);
  const judges = leaveOneOut(stats.judges);
  if (principles !== "")
    lines.push(
      `  principles agree with the others (leave-one-out): ${principles} · Fleiss' kappa ${kappa(stats.kappa.principles.kappa)}`,
    );
  if (judges !== "") {
    const cohen = stats.kappa.cohen
      .map(({ judges: [a, b], kappa: value }) => `${a} vs ${b} ${kappa(value)}`)
      .join(" · ");
    lines.push(
      `  judges agree with the others (leave-one-out): ${judges} · Cohen's kappa ${cohen} · Fleiss' kappa ${kappa(stats.kappa.judges.kappa)}`,
    );
  }
  const { calibration } = stats;
  if (calibration !== null && calibration.expectedCalibrationError !== null)
    lines.push(
      `  calibration against the given labels: expected calibration error ${calibration.expectedCalibrationError.toFixed(3)} over ${calibration.pairs} pairs (reliability table in stats.json)`,
    );
  return lines;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const read = readRunFlags(argv, io, {
      command: "judge",
      options: FLAGS,
      help: HELP,
      knownKeys: JUDGE_CONFIG_KEYS,
      otherSections: ["revise"],
    });
    if (read === undefined) return 0;
    const { flags: rawFlags, config } = read;
    const flags = settingFlags(rawFlags);
    const early = new RunSettings(flags, config);
    const constitutionFile = findConstitution(required(early, "constitution"), io.cwd);
    const constitutionPath = resolve(io.cwd, constitutionFile);
    const constitution = await loadConstitution(constitutionFile, io);
    if (constitution === undefined) return 1;
    const settings = new RunSettings(flags, config, constitution.defaults);

    const out = resolve(io.cwd, required(settings, "out"));
    const seed = settings.number("seed", 1, { integer: true });
    const concurrency = itemConcurrency(settings);
    const modelOptions = modelOptionsFromSettings(settings, io, { runFolder: out });
    const asked =
      settings.lookup("method") === undefined
        ? undefined
        : settings.string("method", "logprobs", JUDGE_METHODS);
    const judges = judgeNames(rawFlags, settings, HELP);
    const policy = settings.string("prompts") === undefined ? undefined : settings.string("model");
    // The pool gets at least as many slots as items in flight.
    const optionsFor = endpointOptions(policy === undefined ? judges : [...judges, policy], {
      concurrency,
      ...modelOptions,
    });
    const panel: PanelJudge[] = judges.map((name) => {
      const model = createModel(name, optionsFor(name));
      return { model, settings: methodFor(asked, model, settings) };
    });
    const { source: input, input: inputFile, given } = source(settings, io, optionsFor);
    const controls = runControls(settings, rawFlags, io, modelOptions);
    const readRows = input.kind === "pairs" ? readPairItems : readPromptItems;
    const rows = await checkInputRows(
      input.kind === "pairs" ? "--pairs" : "--prompts",
      given,
      (onInvalid) =>
        readRows(inputFile, {
          skipInvalid: true,
          onInvalid: (_file, line, message) => onInvalid(line, message),
        }),
      controls.skipInvalid,
    );
    const progress = runProgress(settings, io, "judge", rows, {
      // An item is a pair when pairs are given, a prompt whose replies make pairs otherwise.
      unit: input.kind === "pairs" ? "pairs" : "prompts",
      methods: panel.map((judge) => judge.settings.method),
      models: [
        ...panel.map((judge) => judge.model),
        ...(input.kind === "generate" ? [input.generation.model] : []),
      ],
    });
    const { summary, stats, invalid } = await runJudge({
      dir: out,
      constitution,
      panel,
      source: input,
      pair: {
        principles: settings.number("judge-principles", 1, { integer: true, min: 1 }),
        bothOrders: settings.boolean("both-orders", true),
      },
      pairing: settings.string("pairing", "all", PAIRINGS),
      tieMargin: settings.number("tie-margin", 0.05, { min: 0, max: 0.5 }),
      format: settings.string("format", "trl", OUTPUT_FORMATS),
      seed,
      concurrency,
      ...controls,
      manifestInfo: {
        ...controls.manifestInfo,
        sdk: sdkVersions(),
        node: process.versions.node,
        constitutionFile: constitutionPath,
        ...(modelOptions.baseUrl === undefined ? {} : { baseUrl: modelOptions.baseUrl }),
        ...tierInfo(modelOptions),
      },
      ...progress.options,
    });
    progress.finish();
    io.stdout.write(summaryText(summary, stats, out, invalid));
    const models = [...panel.map((judge) => judge.model.id), settings.string("model") ?? ""];
    io.stdout.write(rehearsalNote(models, "judge"));
    const problem = await endpointProblem(summary, models, modelOptions);
    if (problem !== undefined) {
      io.stderr.write(`charter judge: ${problem}\n`);
      return 2;
    }
    return runExitCode(summary);
  },
};
export default command;
