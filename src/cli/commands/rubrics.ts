// `charter rubrics`: a model writes a rubric per prompt; the rows come out ready for `charter score`.

import { resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { createModel } from "../../providers/index.js";
import { readRubricPrompts, RUBRICS_FILE, runRubrics } from "../../score/index.js";
import type { CliIO, Command } from "../command.js";
import {
  itemConcurrency,
  MODEL_OPTIONS_HELP,
  modelOptionsFromSettings,
  tierInfo,
} from "../model-options.js";
import { RunSettings } from "../run-config.js";
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
  runProgress,
} from "../run-support.js";

const HELP = `usage: charter rubrics --prompts FILE --model MODEL --out DIR [options]

A model writes a weighted rubric (essential / important / optional / pitfall criteria) for each
prompt, checked like a hand-written one; an invalid rubric is sent back with the problem and
retried, then reported. Writes DIR/rubrics.jsonl: each input row plus \`rubric\`, which
\`charter score\` reads (add the replies to score, or give rows that already have them).

  --prompts FILE        JSON Lines rows {id?, prompt | messages, ...} (or .txt, one prompt per line)
  --model MODEL         provider:model of the rubric writer
  --out DIR             the run folder
  --reference FIELD     a row field holding a reference answer the rubric is written from
  --min N               fewest criteria (default 7) ...
  --max N               ... most criteria (default 20)
  --retries N           re-asks after an invalid rubric (default 2), then the row fails
  --constitution FILE   optional: a constitution whose \`template rubric-request\` replaces the default
  --temperature T       (default 0)
  --max-tokens N        (default 2048)
  --seed N              run seed (default 1)
${RUN_OPTIONS_HELP}

${MODEL_OPTIONS_HELP}`;

export const RUBRICS_CONFIG_KEYS: readonly string[] = [
  ...RUN_CONFIG_KEYS,
  "prompts",
  "reference",
  "min",
  "max",
  "retries",
];

const FLAGS = {
  ...RUN_FLAG_OPTIONS,
  prompts: { type: "string" },
  reference: { type: "string" },
  min: { type: "string" },
  max: { type: "string" },
  retries: { type: "string" },
} as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const read = readRunFlags(argv, io, {
      command: "rubrics",
      options: FLAGS,
      help: HELP,
      knownKeys: RUBRICS_CONFIG_KEYS,
      otherSections: ["revise", "judge", "score"],
    });
    if (read === undefined) return 0;
    const { flags, config } = read;
    const early = new RunSettings(flags, config);
    const constitutionFile = early.string("constitution");
    const constitution =
      constitutionFile === undefined ? undefined : await loadConstitution(constitutionFile, io);
    if (constitutionFile !== undefined && constitution === undefined) return 1;
    const settings = new RunSettings(flags, config, constitution?.defaults);
    const out = resolve(io.cwd, requiredSetting(settings, "out", HELP));
    const given = requiredSetting(settings, "prompts", HELP);
    const prompts = checkInputFile("--prompts", given, io.cwd);
    const concurrency = itemConcurrency(settings);
    const modelOptions = modelOptionsFromSettings(settings, io, { runFolder: out });
    const model = createModel(requiredSetting(settings, "model", HELP), {
      concurrency,
      ...modelOptions,
    });
    const min = settings.number("min", 7, { integer: true, min: 1 });
    const max = settings.number("max", 20, { integer: true, min: 1 });
    if (min > max) throw new UsageError(`--min (${min}) is above --max (${max})`);
    const reference = settings.string("reference");
    const controls = runControls(settings, flags, io, modelOptions);
    const rows = await checkInputRows(
      "--prompts",
      given,
      (onInvalid) =>
        readRubricPrompts(prompts, reference, true, (row) => onInvalid(row.line, row.message)),
      controls.skipInvalid,
    );
    const progress = runProgress(settings, io, "rubrics", rows, {
      unit: "prompts",
      models: [model],
    });
    const { summary, invalid } = await runRubrics({
      dir: out,
      prompts,
      model,
      count: { min, max },
      ...(reference === undefined ? {} : { reference }),
      temperature: settings.number("temperature", 0, { min: 0 }),
      maxTokens: settings.number("max-tokens", 2048, { integer: true, min: 1 }),
      retries: settings.number("retries", 2, { integer: true, min: 0 }),
      ...(constitution === undefined ? {} : { constitution }),
      seed: settings.number("seed", 1, { integer: true }),
      concurrency,
      ...controls,
      manifestInfo: {
        ...controls.manifestInfo,
        sdk: sdkVersions(),
        node: process.versions.node,
        ...tierInfo(modelOptions),
      },
      ...progress.options,
    });
    progress.finish();
    const lines = [
      headline(
        summary,
        out,
        `wrote rubrics for ${formatCount(summary.done)} of ${formatCount(summary.items)} prompts`,
      ),
      `  criteria ${formatCount(summary.counters["criteria"] ?? 0)} · invalid rubrics re-asked ${formatCount(summary.counters["invalid-rubrics"] ?? 0)}`,
      usageLine(summary),
      filesLine(out, [RUBRICS_FILE]),
      ...problemLines(summary, invalid),
    ];
    io.stdout.write(`${lines.join("\n")}\n`);
    io.stdout.write(rehearsalNote([model.id], "rubrics"));
    return runExitCode(summary);
  },
};
export default command;
