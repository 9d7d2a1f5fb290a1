// `charter filter FILE|RUN --out DIR [...]`: removes duplicates, bad targets, low scores and
// evaluation leaks, writing kept.jsonl, removed.jsonl (with reasons) and stats.json.

import { UsageError } from "../../errors.js";
import {
  DROP_RULES,
  FILTER_ORDER,
  runFilter,
  type DedupMode,
  type DropRule,
} from "../../quality/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { NEAR_FLAGS, configPhrases, datasetFormat, nearParams } from "./inspect.js";

const HELP = `usage: charter filter FILE|RUN --out DIR [--dedup exact,near] [--drop RULES]
                      [--min-score X] [--decontaminate EVAL...] [--keep first|best] [options]

Writes DIR/kept.jsonl (the input lines kept, byte for byte), DIR/removed.jsonl (each removed row
with its rule, and for a duplicate the id it duplicates) and DIR/stats.json (each filter's count).
Never modifies the input; the same input and settings give the same bytes.

Filters apply in this order, a row going to the first that matches:
  ${FILTER_ORDER.join(" → ")}

  --out DIR              output folder (not the input's own folder)
  --dedup exact,near     remove duplicates (exact: normalised text; near: MinHash + LSH)
  --drop RULES           comma-separated: ${DROP_RULES.join(", ")} (plurals accepted:
                         refusals, hedges); unjudgeable (preference rows judge --pairs would
                         refuse, as inspect's unjudgeableRows) needs preference data, truncated a
                         Phase 1 run folder, unchanged a run folder or sft-hf-cai rows
                         (rows without a first reply are kept and counted)
  --min-score X          remove rows whose score in scores.jsonl (from 'charter score', beside the
                         input or in the run folder) is below X; unscored rows are kept and counted
  --decontaminate EVAL   remove rows whose prompt shares an n-gram with a prompt or answer of EVAL
                         (any dataset format; repeatable)
  --ngram N              n-gram length for --decontaminate (default 13)
  --keep first|best      which row of a duplicate cluster stays (best: highest score, needs
                         scores.jsonl; ties keep the first) (default first)
  --format FORMAT        read every row as FORMAT (as inspect)
  --skip-invalid         malformed rows go to removed.jsonl (rule invalid) instead of stopping
  --shingle N, --bands N, --rows N, --seed N    near-duplicate settings (as for inspect)
  --config FILE          settings file (quality.phrases extends the phrase lists)
`;

const FLAGS = {
  out: { type: "string" },
  dedup: { type: "string" },
  drop: { type: "string" },
  "min-score": { type: "string" },
  decontaminate: { type: "string", multiple: true },
  ngram: { type: "string" },
  keep: { type: "string" },
  format: { type: "string" },
  "skip-invalid": { type: "boolean" },
  config: { type: "string" },
  ...NEAR_FLAGS,
} as const;

const DROP_ALIASES: Readonly<Record<string, DropRule>> = {
  refusals: "refusal",
  hedges: "hedge",
  empties: "empty",
};

function list(value: string | undefined): string[] {
  return value === undefined
    ? []
    : value
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part !== "");
}

function dropRules(value: string | undefined): DropRule[] {
  return list(value).map((name) => {
    const rule = DROP_ALIASES[name] ?? DROP_RULES.find((known) => known === name);
    if (rule === undefined)
      throw new UsageError(`--drop: unknown rule '${name}' (use ${DROP_RULES.join(", ")})`);
    return rule;
  });
}

function dedupModes(value: string | undefined): DedupMode[] {
  return list(value).map((name) => {
    if (name !== "exact" && name !== "near")
      throw new UsageError(`--dedup: unknown mode '${name}' (use exact, near)`);
    return name;
  });
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === "" || !Number.isFinite(parsed))
    throw new UsageError(`--${flag} takes a number, got '${value}'`);
  return parsed;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length !== 1)
      throw new UsageError(`name one dataset file or run folder\n\n${HELP}`);
    if (values.out === undefined) throw new UsageError(`--out DIR is required\n\n${HELP}`);
    const keep = values.keep ?? "first";
    if (keep !== "first" && keep !== "best")
      throw new UsageError(`--keep takes first or best, got '${keep}'`);
    const ngram = number(values.ngram, "ngram");
    if (ngram !== undefined && (!Number.isInteger(ngram) || ngram < 1))
      throw new UsageError(`--ngram takes a positive integer, got '${values.ngram}'`);
    const near = nearParams(values);
    const minScore = number(values["min-score"], "min-score");
    const format = datasetFormat(values.format);
    const stats = await runFilter({
      input: positionals[0]!,
      out: values.out,
      cwd: io.cwd,
      dedup: dedupModes(values.dedup),
      drop: dropRules(values.drop),
      keep,
      skipInvalid: values["skip-invalid"] === true,
      phrases: configPhrases(io.cwd, values.config),
      ...(near === null ? {} : { near }),
      ...(minScore === undefined ? {} : { minScore }),
      ...(values.decontaminate === undefined ? {} : { decontaminate: values.decontaminate }),
      ...(ngram === undefined ? {} : { ngram }),
      ...(format === undefined ? {} : { format }),
    });
    const steps = stats.steps.map((step) => `  ${step.rule.padEnd(16)} ${step.removed}`).join("\n");
    const unknown = stats.settings.noFirstReply ?? 0;
    io.stdout.write(
      `kept ${stats.kept} of ${stats.rows} rows, removed ${stats.removed} → ${values.out}\n${steps}${steps === "" ? "" : "\n"}` +
        (unknown > 0
          ? `  (unchanged: ${unknown} row${unknown === 1 ? "" : "s"} without a first reply, kept)\n`
          : ""),
    );
    return 0;
  },
};

export default command;
