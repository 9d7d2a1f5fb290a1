// `charter score`: rubric scoring from the command line. Reads flags, the config file and the
// constitution's defaults (in that precedence), builds the judge panel, runs runScore, reports.

import { resolve } from "node:path";
import { OUTPUT_FORMATS } from "../../phase2-preference/index.js";
import { createModel } from "../../providers/index.js";
import type { RunSummary } from "../../runtime/index.js";
import {
  PAIRS_FROM,
  readScoreItems,
  runScore,
  SCORE_METHODS,
  type ScoreJudge,
  type ScoreMethod,
  type ScoreMethodSettings,
  type ScoreStats,
} from "../../score/index.js";
import type { CliIO, Command } from "../command.js";
import {
  itemConcurrency,
  MODEL_OPTIONS_HELP,
  modelOptionsFromSettings,
  tierInfo,
} from "../model-options.js";
import { RunSettings, type FlagValue } from "../run-config.js";
import { checkInputFile } from "../input-file.js";
import { checkInputRows } from "../input-rows.js";
import {
  filesLine,
  formatCount,
  headline,
  loadConstitution,
  problemLines,
  readRunFlags,
  rehearsalNote,
  requiredSetting,
  RUN_CONFIG_KEYS,
  RUN_FLAG_OPTIONS,
  RUN_OPTIONS_HELP,
  runExitCode,
  sdkVersions,
  usageLine,
  runControls,
  judgeNames,
  formatRate,
  runProgress,
} from "../run-support.js";

const HELP = `usage: charter score --constitution FILE --input FILE --judge MODEL --out DIR [options]

Scores replies against a weighted rubric: each criterion is one question to the judge about one
reply (or a rule, with no call); the score is the weighted sum over met criteria minus pitfalls,
normalised to [0, 1]. Writes DIR/scores.jsonl (and kept/dropped.jsonl, preferences/ties.jsonl),
trace.jsonl, manifest.json, stats.json. Running the same command on the same DIR resumes.

  --constitution FILE   .charter, .yaml or .json constitution (its rubrics)
  --input FILE          JSON Lines rows {id?, prompt | messages, response | responses, tags?, rubric?};
                        Phase 1's sft.jsonl / pairs.jsonl and Phase 2's pair files as they are
  --judge MODEL         provider:model; repeat for a panel (averaged per criterion, agreement reported)
  --out DIR             the run folder
  --rubric NAME         the constitution rubric for rows without their own (default: the first
                        rubric whose \`when\` holds; a row none applies to is reported)
  --method M            logprobs (default where the judge gives log-probabilities) | vote | scale (0-10)
  --samples N           answers sampled per criterion for vote and scale (default 5)
  --temperature T       sampling temperature for vote and scale (default 1)
  --top-logprobs N      alternatives read at the answer token for logprobs (default 20)
  --parse-retries N     re-asks when an answer is neither Yes/No nor a 0-10 score (default 2)
  --essential-threshold X  an essential criterion with P below X is missed (default 0.5) ...
  --essential-cap X     ... and caps the reply's score at X (default 1: no cap)
  --threshold X         keep rows scoring >= X in kept.jsonl (as read), the rest in dropped.jsonl with the reason
  --pairs-from P        best-worst | all: preference pairs from rows with several replies
  --tie-margin X        replies whose scores differ by <= X are a tie, in ties.jsonl (default 0.05)
  --format F            layout of preferences.jsonl: trl (default) | trl-chat | openai-dpo | hh
  --seed N              run seed (default: constitution, else 1)
${RUN_OPTIONS_HELP}

${MODEL_OPTIONS_HELP}`;

/** Keys a config file may set for `score` (the long flag names). */
export const SCORE_CONFIG_KEYS: readonly string[] = [
  ...RUN_CONFIG_KEYS,
  "input",
  "judge",
  "rubric",
  "score-method",
  "samples",
  "top-logprobs",
  "parse-retries",
  "essential-threshold",
  "essential-cap",
  "threshold",
  "pairs-from",
  "tie-margin",
];

const FLAGS = {
  ...RUN_FLAG_OPTIONS,
  input: { type: "string" },
  judge: { type: "string", multiple: true },
  rubric: { type: "string" },
  method: { type: "string" },
  samples: { type: "string" },
  "top-logprobs": { type: "string" },
  "parse-retries": { type: "string" },
  "essential-threshold": { type: "string" },
  "essential-cap": { type: "string" },
  threshold: { type: "string" },
  "pairs-from": { type: "string" },
  "tie-margin": { type: "string" },
} as const;

const required = (settings: RunSettings, key: string): string =>
  requiredSetting(settings, key, HELP);

/** Flags under the names the config file and the constitution's `defaults` use. */
function settingFlags(values: Record<string, FlagValue>): Record<string, FlagValue> {
  const { method, judge: _judge, ...rest } = values;
  return { ...rest, ...(method === undefined ? {} : { "score-method": method }) };
}

/** Each judge's method: the one asked for, or logprobs where the judge gives them, else vote. */
function methodFor(
  asked: ScoreMethod | undefined,
  model: ScoreJudge["model"],
  settings: RunSettings,
): ScoreMethodSettings {
  const method = asked ?? (model.capabilities.logprobs ? "logprobs" : "vote");
  return {
    method,
    samples: settings.number("samples", method === "logprobs" ? 1 : 5, { integer: true, min: 1 }),
    temperature: settings.number("temperature", 1, { min: 0 }),
    topLogprobs: settings.number("top-logprobs", 20, { integer: true, min: 1 }),
    parseRetries: settings.number("parse-retries", 2, { integer: true, min: 0 }),
  };
}

function summaryText(
  summary: RunSummary,
  stats: ScoreStats,
  out: string,
  files: readonly string[],
  invalid: readonly { file: string; line: number; message: string }[],
): string {
  const lines = [
    headline(
      summary,
      out,
      `scored ${formatCount(stats.replies)} replies in ${formatCount(summary.items)} rows`,
    ),
    `  mean score ${stats.meanScore ?? "n/a"} · capped ${stats.capped} · rubrics ${
      Object.entries(stats.rubrics)
        .map(([id, rows]) => `${id} ${rows}`)
        .join(", ") || "none"
    }` +
      (stats.noRubric > 0 ? ` · rows no rubric applies to ${stats.noRubric}` : "") +
      (stats.agreementWithGiven === null
        ? ""
        : ` · chosen scored higher ${formatRate(stats.agreementWithGiven)}`),
  ];
  if (stats.filter !== undefined)
    lines.push(`  kept ${stats.filter.kept} · dropped ${stats.filter.dropped}`);
  if (stats.pairs !== undefined)
    lines.push(
      `  pairs ${stats.pairs.pairs}: preferences ${stats.pairs.preferences} · ties ${stats.pairs.ties}`,
    );
  const agreed = Object.entries(stats.criteria).filter(
    ([, criterion]) => criterion.agreement !== undefined,
  );
  if (agreed.length > 0)
    lines.push(
      `  judge agreement (Fleiss' kappa): ${agreed.map(([key, criterion]) => `${key} ${criterion.agreement?.fleissKappa ?? "n/a"}`).join(" · ")}`,
    );
  lines.push(usageLine(summary));
  lines.push(filesLine(out, files));
  lines.push(...problemLines(summary, invalid));
  return `${lines.join("\n")}\n`;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const read = readRunFlags(argv, io, {
      command: "score",
      options: FLAGS,
      help: HELP,
      knownKeys: SCORE_CONFIG_KEYS,
      otherSections: ["revise", "judge", "rubrics"],
    });
    if (read === undefined) return 0;
    const { flags: rawFlags, config } = read;
    const flags = settingFlags(rawFlags);
    const early = new RunSettings(flags, config);
    const constitutionFile = required(early, "constitution");
    const constitution = await loadConstitution(constitutionFile, io);
    if (constitution === undefined) return 1;
    const settings = new RunSettings(flags, config, constitution.defaults);

    const out = resolve(io.cwd, required(settings, "out"));
    const given = required(settings, "input");
    const input = checkInputFile("--input", given, io.cwd);
    const seed = settings.number("seed", 1, { integer: true });
    const concurrency = itemConcurrency(settings);
    const modelOptions = modelOptionsFromSettings(settings, io, { runFolder: out });
    const asked =
      settings.lookup("score-method") === undefined
        ? undefined
        : settings.string("score-method", "logprobs", SCORE_METHODS);
    const panel: ScoreJudge[] = judgeNames(rawFlags, settings, HELP).map((name) => {
      const model = createModel(name, { concurrency, ...modelOptions });
      return { model, settings: methodFor(asked, model, settings) };
    });
    const threshold = settings.number("threshold", undefined, { min: 0, max: 1 });
    const pairsFrom =
      settings.lookup("pairs-from") === undefined
        ? undefined
        : settings.string("pairs-from", "best-worst", PAIRS_FROM);
    const rubric = settings.string("rubric");
    const controls = runControls(settings, rawFlags, io, modelOptions);
    // Every row is read once before the run: bad rows (a bad rubric too) stop it, listed by line.
    const rows = await checkInputRows(
      "--input",
      given,
      (onInvalid) =>
        readScoreItems(input, {
          skipInvalid: true,
          onInvalid: (_file, line, message) => onInvalid(line, message),
        }),
      controls.skipInvalid,
    );
    const progress = runProgress(settings, io, "score", rows, {
      unit: "rows",
      methods: panel.map((judge) => judge.settings.method),
      models: panel.map((judge) => judge.model),
    });
    const { summary, stats, invalid, files } = await runScore({
      dir: out,
      constitution,
      input,
      panel,
      ...(rubric === undefined ? {} : { rubric }),
      cap: {
        threshold: settings.number("essential-threshold", 0.5, { min: 0, max: 1 }),
        cap: settings.number("essential-cap", 1, { min: 0, max: 1 }),
      },
      ...(threshold === undefined ? {} : { threshold }),
      ...(pairsFrom === undefined ? {} : { pairsFrom }),
      tieMargin: settings.number("tie-margin", 0.05, { min: 0, max: 1 }),
      format: settings.string("format", "trl", OUTPUT_FORMATS),
      seed,
      concurrency,
      ...controls,
      manifestInfo: {
        ...controls.manifestInfo,
        sdk: sdkVersions(),
        node: process.versions.node,
        constitutionFile: resolve(io.cwd, constitutionFile),
        ...tierInfo(modelOptions),
      },
      ...progress.options,
    });
    progress.finish();
    io.stdout.write(summaryText(summary, stats, out, files, invalid));
    io.stdout.write(
      rehearsalNote(
        panel.map((judge) => judge.model.id),
        "score",
      ),
    );
    return runExitCode(summary);
  },
};
export default command;
