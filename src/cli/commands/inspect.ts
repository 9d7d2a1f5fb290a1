// `charter inspect FILE|RUN... [--json] [--compare OTHER...]`: dataset metrics before training.

import { UsageError } from "../../errors.js";
import {
  DATASET_FORMATS,
  DEFAULT_MINHASH,
  PHRASE_CATEGORIES,
  inspect,
  renderInspect,
  type DatasetFormat,
  type MinHashParams,
  type PhraseLists,
} from "../../quality/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { loadRunConfig } from "../run-config.js";

const HELP = `usage: charter inspect FILE|RUN... [--json] [--compare OTHER...] [options]

Measures a dataset before anyone trains on it: size and shape, diversity (distinct-1/2,
vocabulary, dominant bigram and opening, gzip ratio), exact and near duplicates (MinHash + LSH),
refusals, hedges, identity and cutoff phrases, truncated and unchanged revisions, preference
metrics and, for a Phase 1 run folder, per-principle revision statistics. Streams the input.

  --json                 the report as JSON (schema charter-inspect/1, src/quality/inspect-schema.md)
  --compare OTHER        also inspect OTHER and compare every dataset with the first (repeatable)
  --format FORMAT        read every row as FORMAT (default: each row in its own layout
                         of the first row's kind): ${DATASET_FORMATS.join(", ")}
  --no-near              skip near duplicates (faster)
  --shingle N            words per shingle (default ${DEFAULT_MINHASH.shingleWords})
  --bands N              LSH bands (default ${DEFAULT_MINHASH.bands})
  --rows N               signature values per band (default ${DEFAULT_MINHASH.rows})
  --seed N               seed of the MinHash family (default ${DEFAULT_MINHASH.seed})
  --skip-invalid         count and list malformed rows instead of stopping at the first
  --workers N            worker threads that parse and measure rows beside the main one (0: none);
                         default with --no-near: one per core beside the main one that other
                         processes leave free (at most 3) for files of 24 MiB or more (4 MiB
                         once workers run in the process), else none; the report is the same
                         whatever N
  --config FILE          settings file; its quality.phrases.{refusal,hedge,identity,cutoff} lists
                         add to the built-in phrases
`;

export const NEAR_FLAGS = {
  "no-near": { type: "boolean" },
  shingle: { type: "string" },
  bands: { type: "string" },
  rows: { type: "string" },
  seed: { type: "string" },
} as const;

const FLAGS = {
  json: { type: "boolean" },
  compare: { type: "string", multiple: true },
  format: { type: "string" },
  "skip-invalid": { type: "boolean" },
  workers: { type: "string" },
  config: { type: "string" },
  ...NEAR_FLAGS,
} as const;

/** A flag's whole number written in decimal digits, from `min` up to `max`; `fallback` if absent. */
function wholeNumber(
  value: string | undefined,
  name: string,
  fallback: number,
  { min = 1, max = Number.MAX_SAFE_INTEGER } = {},
): number {
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(parsed >= min && parsed <= max))
    throw new UsageError(
      `--${name} takes a whole number ${max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`}, got '${value}'`,
    );
  return parsed;
}

/** Worker threads one may ask for: a few per core is already more than helps. */
const MOST_WORKERS = 64;

/** MinHash settings from the shared near-duplicate flags (null with --no-near). */
export function nearParams(values: {
  readonly "no-near"?: boolean;
  readonly shingle?: string;
  readonly bands?: string;
  readonly rows?: string;
  readonly seed?: string;
}): MinHashParams | null {
  if (values["no-near"] === true) return null;
  const seed = values.seed === undefined ? DEFAULT_MINHASH.seed : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new UsageError(`--seed takes an integer, got '${values.seed}'`);
  return {
    shingleWords: wholeNumber(values.shingle, "shingle", DEFAULT_MINHASH.shingleWords),
    bands: wholeNumber(values.bands, "bands", DEFAULT_MINHASH.bands),
    rows: wholeNumber(values.rows, "rows", DEFAULT_MINHASH.rows),
    seed,
  };
}

export function datasetFormat(value: string | undefined): DatasetFormat | undefined {
  if (value === undefined) return undefined;
  const format = DATASET_FORMATS.find((name) => name === value);
  if (format === undefined)
    throw new UsageError(`unknown --format '${value}': use one of ${DATASET_FORMATS.join(", ")}`);
  return format;
}

/** Extra bad-target phrases from the config file's `quality.phrases`. */
export function configPhrases(cwd: string, file: string | undefined): PhraseLists {
  const config = loadRunConfig({
    command: "quality",
    knownKeys: ["phrases"],
    cwd,
    ...(file === undefined ? {} : { file }),
  });
  const phrases = config.values.phrases;
  if (phrases === undefined) return {};
  if (typeof phrases !== "object" || phrases === null || Array.isArray(phrases))
    throw new UsageError(`${config.path ?? "config"}: quality.phrases must be an object of lists`);
  const lists: Record<string, readonly string[]> = {};
  for (const [category, list] of Object.entries(phrases)) {
    if (!PHRASE_CATEGORIES.some((known) => known === category))
      throw new UsageError(
        `${config.path ?? "config"}: unknown phrase list '${category}' (use ${PHRASE_CATEGORIES.join(", ")})`,
      );
    if (!Array.isArray(list) || list.some((phrase) => typeof phrase !== "string"))
      throw new UsageError(
        `${config.path ?? "config"}: quality.phrases.${category} must be a list of strings`,
      );
    lists[category] = list as string[];
  }
  return lists as PhraseLists;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length === 0)
      throw new UsageError(`name a dataset file or run folder\n\n${HELP}`);
    const format = datasetFormat(values.format);
    const workers =
      values.workers === undefined
        ? undefined
        : wholeNumber(values.workers, "workers", 0, { min: 0, max: MOST_WORKERS });
    const report = await inspect(positionals, {
      cwd: io.cwd,
      near: nearParams(values),
      phrases: configPhrases(io.cwd, values.config),
      skipInvalid: values["skip-invalid"] === true,
      ...(format === undefined ? {} : { format }),
      ...(workers === undefined ? {} : { workers }),
      ...(values.compare === undefined ? {} : { compare: values.compare }),
    });
    io.stdout.write(
      values.json === true ? `${JSON.stringify(report, null, 2)}\n` : renderInspect(report),
    );
    return 0;
  },
};

export default command;
