// The report's data model: what one run folder contributes (overview, item summaries, a sampled
// set of full item details, the quality metrics of `charter inspect`), shared by the HTML page,
// the terminal view and the dataset card.

import type { DatasetReport } from "../quality/index.js";

/** The run types the report knows in depth; anything else still gets its overview and rows. */
export type RunKind = "revise" | "judge" | "score" | "other";

/** One failed item as stats.json lists it. */
export interface FailureNote {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

/** What ran and what it cost: read from manifest.json and stats.json, every field optional. */
export interface RunOverview {
  readonly folder: string;
  /** The folder's base name, how the page names the run. */
  readonly name: string;
  readonly kind: RunKind;
  readonly command?: string;
  readonly status?: string;
  readonly constitution?: {
    readonly name?: string;
    readonly version?: string;
    readonly hash?: string;
  };
  /** Models as configured (`provider:model`). */
  readonly models: readonly string[];
  /** Model ids the servers said they served. */
  readonly servedModels: readonly string[];
  readonly seed?: number;
  readonly charterVersion?: string;
  readonly settings: Readonly<Record<string, unknown>>;
  /** The constitution file the run compiled, as the manifest records it. */
  readonly constitutionFile?: string;
  /** The input file the run read, as the manifest records it. */
  readonly inputFile?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly elapsedMs?: number;
  readonly items?: number;
  readonly done?: number;
  readonly failed?: number;
  readonly failures: readonly FailureNote[];
  /** stats.json's counters, as written (calls, tokens, cost, phase counters). */
  readonly counters: Readonly<Record<string, number>>;
  /** Other top-level stats.json sections (e.g. `preferences`), shown as they are. */
  readonly sections: Readonly<Record<string, unknown>>;
  /** The dataset files the manifest lists, in its order. */
  readonly outputFiles: readonly string[];
  /** Files in the folder with their sizes. */
  readonly files: readonly { readonly name: string; readonly bytes: number }[];
  /** Things the reader noticed: a missing manifest, an unfinished run, unreadable lines. */
  readonly notes: readonly string[];
}

/**
 * One item in the browser. `facets` are `category:value` strings the page filters on
 * (`principle:harm.general`, `tag:x`, `failure:timeout`, `flag:rule`, `rule:rule=verdict`, `tie:yes`).
 */
export interface ItemSummary {
  readonly run: number;
  readonly id: string;
  /** The prompt (shortened), searched and shown in the list. */
  text: string;
  /** A one-line outcome: "2 revised, 1 no change", "chosen A · P 0.91", "failed: timeout". */
  readonly outcome: string;
  readonly facets: readonly string[];
  /** Whether the page holds this item's full detail. */
  detailed: boolean;
}

/** One span of a word diff: kept, added or removed text. */
export type DiffSpan = readonly [op: 0 | 1 | -1, text: string];

export interface RoundDetail {
  readonly round: number;
  readonly principle?: string;
  /** revised | no-change | rejected | skipped | failed. */
  readonly status: string;
  readonly critiqueRequest?: string;
  readonly critique?: string;
  readonly revision?: string;
  /** The revision against the reply before it, word by word. */
  diff?: readonly DiffSpan[];
  readonly before?: string;
  readonly rules: readonly RuleCheckNote[];
  readonly rejectedBy: readonly string[];
  readonly reason?: string;
  /** A finish reason other than `stop` (e.g. `length`: the reply was cut). */
  readonly finishReasons: readonly string[];
}

export interface RuleCheckNote {
  readonly rule: string;
  readonly kind: string;
  readonly source?: string;
  readonly holds: boolean;
  readonly stage?: string;
}

/** One turn of a conversation as the page and the terminal show it: its role, then its text. */
export interface Turn {
  readonly role: string;
  readonly content: string;
}

export interface ReviseDetail {
  readonly kind: "revise";
  /** The item's conversation: from the run's sft.jsonl where a row names the item, else the trace. */
  prompt: readonly Turn[];
  readonly tags: readonly string[];
  readonly firstReply?: string;
  readonly given: boolean;
  readonly rounds: readonly RoundDetail[];
  readonly finalReply?: string;
  readonly recheck: readonly { readonly principle: string; readonly clean: boolean }[];
  readonly failure?: { readonly code: string; readonly message: string };
}

export interface VerdictOrder {
  readonly order: string;
  readonly probabilityFirst?: number;
}

export interface PrincipleVerdict {
  readonly judge?: string;
  readonly principle?: string;
  readonly question?: string;
  readonly probabilityFirst?: number;
  readonly consistent?: boolean;
  readonly orders: readonly VerdictOrder[];
}

export interface PairDetail {
  readonly kind: "pair";
  /** The conversation the replies answer, every turn in order (assistant turns included). */
  readonly prompt: readonly Turn[];
  /** The two replies as the file holds them: chosen and rejected, or A and B for a tie. */
  readonly replies: readonly [PairReply, PairReply];
  /** The probability that the first of `replies` is the better one. */
  readonly probability?: number;
  readonly tie: boolean;
  readonly decidedBy?: string;
  readonly rule?: string;
  /** Per principle (and judge): P(the pair's first reply in input order), per order asked. */
  readonly verdicts: readonly PrincipleVerdict[];
  readonly agreesWithGiven?: boolean;
}

export interface PairReply {
  readonly label: string;
  readonly text: string;
  readonly words: number;
}

/** A record of a run type the report does not know in depth, shown as JSON. */
export interface RecordDetail {
  readonly kind: "record";
  readonly file: string;
  readonly json: string;
}

export type ItemDetail = ReviseDetail | PairDetail | RecordDetail | ScoreDetail;

/** One criterion's result for one reply, as `charter score` writes it in scores.jsonl. */
export interface CriterionResult {
  readonly criterion: string;
  readonly kind?: string;
  readonly weight?: number;
  /** P(the criterion holds), the panel's mean (a rule's is 1 or 0). */
  readonly probability?: number;
  readonly method?: string;
  readonly check?: string;
  readonly judges: readonly { readonly judge: string; readonly probability?: number }[];
}

export interface ScoredReplyDetail {
  readonly index: number;
  /** The reply's text, from the run's input where it is at hand. */
  text?: string;
  readonly score?: number;
  readonly criteria: readonly CriterionResult[];
}

export interface ScoreDetail {
  readonly kind: "score";
  /** The conversation the replies answer, from the run's input where it is at hand. */
  prompt?: readonly Turn[];
  readonly rubric?: string;
  readonly rubricFrom?: string;
  readonly replies: readonly ScoredReplyDetail[];
  readonly failure?: string;
}

/**
 * Per-item points the plots draw where no aggregate exists in `charter inspect` (rates and
 * per-principle aggregates come from its report, never recomputed here).
 */
export interface ItemValues {
  /** Judge runs: P(chosen) of each labelled pair, and chosen − rejected length in words. */
  readonly pairs: { probability?: number; lengthDelta: number }[];
  /** Judge runs: whether each principle's two orders agreed, per verdict. */
  readonly verdicts: { principle: string; consistent: boolean }[];
  /** Score runs: the criterion's text by its stats key (`rubric#n`, 1-based). */
  readonly criterionNames: Map<string, string>;
}

/** Everything the report knows about one run folder. */
export interface RunReport {
  readonly overview: RunOverview;
  readonly items: readonly ItemSummary[];
  readonly details: ReadonlyMap<string, ItemDetail>;
  readonly values: ItemValues;
  /** `charter inspect`'s metrics of the run's dataset (schema charter-inspect/1), when it reads it. */
  readonly quality?: DatasetReport;
  /** The bounded sample: how many items have full detail, of how many, drawn with which seed. */
  readonly sample: {
    readonly size: number;
    readonly of: number;
    readonly seed: number;
    readonly limit: number;
  };
}
