// The shape of `charter inspect --json` (schema `charter-inspect/1`), documented field by field in
// inspect-schema.md. The report reads this: change it only by adding fields.

import type { DatasetFormat, DatasetKind } from "../datasets/index.js";
import type { LayoutRows } from "./read-dataset.js";
import type { Distribution } from "./sketches.js";

export const INSPECT_SCHEMA = "charter-inspect/1";

export interface InspectReport {
  readonly schema: typeof INSPECT_SCHEMA;
  readonly charterVersion: string;
  readonly datasets: readonly DatasetReport[];
  /** Present when `--compare` was given: the first dataset against each of the others. */
  readonly comparison: Comparison | null;
}

export interface DatasetReport {
  readonly source: SourceReport;
  /** Rows read (valid ones). */
  readonly rows: number;
  readonly invalid: InvalidReport;
  readonly shape: ShapeReport;
  /** Diversity of each response set: `reply`, or `chosen` and `rejected`, and `first-reply`. */
  readonly sets: readonly ResponseSetReport[];
  readonly duplicates: DuplicatesReport;
  readonly badTargets: BadTargetsReport;
  readonly preference: PreferenceReport | null;
  readonly run: RunReport | null;
}

export interface SourceReport {
  readonly path: string;
  readonly file: string;
  readonly format: DatasetFormat;
  readonly kind: DatasetKind;
  /** The command that wrote the run folder (`revise`, `judge`), or null for a plain file. */
  readonly runCommand: string | null;
  /**
   * Rows read per layout, present only when the file mixed layouts of its kind (`format` is then
   * its first row's); absent when every row is in `format`.
   */
  readonly layouts?: readonly LayoutRows[];
}

export interface InvalidReport {
  readonly count: number;
  /** The first 20, in file order. */
  readonly examples: readonly {
    readonly file: string;
    readonly line: number;
    readonly message: string;
  }[];
}

export interface ShapeReport {
  /** Messages per row, the reply included. */
  readonly turns: Distribution;
  readonly emptyReplies: number;
  readonly emptyReplyRate: number;
}

export type ResponseSetName = "reply" | "chosen" | "rejected" | "first-reply";

export interface ResponseSetReport {
  readonly name: ResponseSetName;
  readonly replies: number;
  readonly empty: number;
  readonly words: Distribution;
  readonly tokens: Distribution;
  readonly diversity: DiversityReport;
}

export interface DiversityReport {
  /** Distinct words ÷ words. */
  readonly distinct1: number;
  /** Distinct word bigrams (within a reply) ÷ bigrams. */
  readonly distinct2: number;
  /** Whether distinct counts passed 65,536 and are HyperLogLog estimates (±0.8%). */
  readonly distinctEstimated: boolean;
  /** Mean number of distinct words per reply. */
  readonly vocabularyPerReply: number;
  /** Standard deviation of reply length in words. */
  readonly lengthStd: number;
  /** The most frequent bigram and its share of all bigrams (count-min estimate), or null. */
  readonly topBigram: {
    readonly text: string;
    readonly share: number;
    readonly errorBound: number;
  } | null;
  /** gzip-compressed bytes ÷ UTF-8 bytes of the replies (lower = more repetitive). */
  readonly gzipRatio: number;
  /** Whether gzipRatio was measured on a sample (past 512 Ki characters: every k-th 32 Ki block). */
  readonly gzipSampled: boolean;
  /** The most common first five words and the share of replies starting with them, or null. */
  readonly template: {
    readonly text: string;
    readonly share: number;
    readonly count: number;
  } | null;
}

export interface ClusterExample {
  /** Rows in the cluster. */
  readonly size: number;
  /** Ids of up to five of them, in file order; the first is the one `filter --keep first` keeps. */
  readonly ids: readonly string[];
}

export interface DuplicatesReport {
  /** What two rows must share: the prompt and reply texts of the row (and the rejected reply). */
  readonly key: "example";
  readonly exact: DuplicateCount;
  /** Null when near-duplicate detection was turned off (`--no-near`). */
  readonly near: (DuplicateCount & NearParams) | null;
}

export interface DuplicateCount {
  /** Rows that repeat an earlier row (what `filter --dedup` would remove). */
  readonly duplicateRows: number;
  readonly rate: number;
  /** Groups of two or more rows. */
  readonly clusters: number;
  /** The largest clusters (up to 5). */
  readonly examples: readonly ClusterExample[];
}

export interface NearParams {
  readonly shingleWords: number;
  readonly bands: number;
  readonly rows: number;
  readonly seed: number;
  /** (1/bands)^(1/rows): about where the chance of being found rises steepest (0.719). */
  readonly threshold: number;
  /** Bytes of the LSH index and union-find at the end, and per row. */
  readonly indexBytes: number;
  readonly indexBytesPerRow: number;
}

export interface PhraseCount {
  readonly count: number;
  readonly rate: number;
  /** Up to 5 rows: id and the phrase found. */
  readonly examples: readonly { readonly id: string; readonly phrase: string }[];
}

export interface FlagCount {
  readonly count: number;
  readonly rate: number;
  /** Where the flag comes from: `trace` (a run's trace.jsonl), `hf-cai` (the row's own first
   * reply) or `unavailable` (count and rate are then 0). */
  readonly source: "trace" | "hf-cai" | "unavailable";
  /** Ids of up to 5 rows. */
  readonly examples: readonly string[];
}

export interface BadTargetsReport {
  /** Checked on the reply taught: `reply`, or `chosen` for preference rows. */
  readonly refusal: PhraseCount;
  readonly hedge: PhraseCount;
  readonly identity: PhraseCount;
  readonly cutoff: PhraseCount;
  /** The call that wrote the final reply stopped at its token limit. */
  readonly truncated: FlagCount;
  /** The final reply equals the first reply: revision changed nothing. */
  readonly unchanged: FlagCount;
}

export interface PreferenceReport {
  readonly pairs: number;
  /** Share of pairs whose chosen reply has more words than the rejected one (length bias). */
  readonly chosenLongerRate: number;
  /** Mean of (chosen words − rejected words). */
  readonly meanLengthDifference: number;
  /** Counts of `probability` (P(chosen)) in ten bins [0, 0.1), ..., [0.9, 1.0]; null without it. */
  readonly probabilityHistogram: readonly number[] | null;
  /** Rows of the run's ties.jsonl (pairs left unlabelled), or null outside a judge run. */
  readonly ties: number | null;
  /** Pairs decided by a rule rather than the judge (`decided_by: "rule"`). */
  readonly decidedByRule: number;
  /** Share of judge verdicts whose two orders agreed, or null without verdicts. */
  readonly positionConsistency: number | null;
  /** Per principle: verdicts, and the share siding with the final label. */
  readonly principles: readonly {
    readonly principle: string;
    readonly verdicts: number;
    readonly agreesWithLabel: number;
  }[];
  /** Pairs whose chosen and rejected are equal after normalisation. */
  readonly identicalPairs: { readonly count: number; readonly examples: readonly string[] };
  /**
   * Rows `charter judge --pairs` would refuse though their layout reads them (a conversation that
   * ends with the assistant, replies that continue different conversations, fewer than two
   * replies): the first 5 with why. Present only when there are some.
   */
  readonly unjudgeableRows?: {
    readonly count: number;
    readonly examples: readonly { readonly line: number; readonly message: string }[];
  };
  /** Pairs whose chosen and rejected have estimated Jaccard ≥ the near threshold (not equal). */
  readonly nearIdenticalPairs: {
    readonly count: number;
    readonly threshold: number;
    readonly examples: readonly string[];
  };
}

export interface RunReport {
  readonly command: string;
  /** Revision rounds in the trace (revised, no change or rejected). */
  readonly rounds: number;
  readonly noChangeRate: number;
  readonly rejectedRate: number;
  readonly principles: readonly PrincipleUsage[];
}

export interface PrincipleUsage {
  readonly principle: string;
  /** Rounds that drew it. */
  readonly used: number;
  readonly revised: number;
  readonly noChange: number;
  readonly rejected: number;
  readonly noChangeRate: number;
  /** Mean of (words after − words before) over its revised rounds. */
  readonly meanWordChange: number;
}

export interface Comparison {
  /** Labels of the datasets (their paths), in order; the first is the baseline. */
  readonly datasets: readonly string[];
  readonly metrics: readonly ComparedMetric[];
}

export interface ComparedMetric {
  /** A path into DatasetReport, e.g. `sets.reply.diversity.distinct2`. */
  readonly metric: string;
  /** Its value per dataset (null where a dataset lacks it). */
  readonly values: readonly (number | null)[];
  /** value − baseline value, per dataset (0 for the baseline). */
  readonly deltas: readonly (number | null)[];
}
