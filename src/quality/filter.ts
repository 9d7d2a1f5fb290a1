// `charter filter` as a library: rules applied in one documented order, each removal recorded with
// its reason, deterministic output. Pass 1 reads the rows and decides; a short pass looks up the
// ids of the rows duplicates are kept in favour of; pass 2 copies each input line, byte for byte,
// to kept.jsonl or (with its reason) to removed.jsonl.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError, assertNever } from "../errors.js";
import { readTextLines, writeJsonAtomic } from "../io/index.js";
import { isTruncated, isUnchanged } from "./bad-targets.js";
import {
  idOf,
  layoutReader,
  pairProblem,
  type DatasetFormat,
  type LayoutReader,
} from "../datasets/index.js";
import { DEFAULT_NGRAM, EvalIndex, type EvalMatch } from "./decontaminate.js";
import { exactKey } from "./duplicates.js";
import { LineArray } from "./line-array.js";
import { LineFile } from "./line-file.js";
import {
  DEFAULT_MINHASH,
  FirstRowTable,
  LshIndex,
  MinHasher,
  RowComponents,
  type MinHashParams,
} from "./minhash.js";
import { PhraseMatcher, type PhraseCategory, type PhraseLists } from "./phrases.js";
import {
  estimateRowCount,
  idsAtLines,
  layoutsField,
  openDataset,
  readDatasetRows,
  type DatasetSource,
  type LayoutRows,
  type SourcedRow,
} from "./read-dataset.js";
import { ScoreTable, scoresFileFor } from "./scores.js";
import { TextScanner } from "./text.js";

/** Row checks `--drop` can ask for, in the order they apply. */
export type DropRule =
  "empty" | "unjudgeable" | "truncated" | "unchanged" | "refusal" | "identity" | "cutoff" | "hedge";
export const DROP_RULES: readonly DropRule[] = [
  "empty",
  "unjudgeable",
  "truncated",
  "unchanged",
  "refusal",
  "identity",
  "cutoff",
  "hedge",
];

export type DedupMode = "exact" | "near";

/** Why a row was removed. */
export type FilterRule =
  "invalid" | DropRule | "min-score" | "contaminated" | "duplicate-exact" | "duplicate-near";

/**
 * The order filters apply in; a row is removed by the first that matches. Row checks first, then
 * scores and contamination, and duplicates last, so a cluster's kept row is one that passed every
 * other filter (a refusal never stands in for its clean twin).
 */
export const FILTER_ORDER: readonly FilterRule[] = [
  "invalid",
  ...DROP_RULES,
  "min-score",
  "contaminated",
  "duplicate-exact",
  "duplicate-near",
];

export interface FilterOptions {
  /** A dataset file or run folder. */
  readonly input: string;
  /** Folder for kept.jsonl, removed.jsonl and stats.json. */
  readonly out: string;
  readonly cwd?: string;
  readonly format?: DatasetFormat;
  readonly skipInvalid?: boolean;
  readonly dedup?: readonly DedupMode[];
  readonly drop?: readonly DropRule[];
  /** Remove rows whose score in scores.jsonl (beside the input) is below this. */
  readonly minScore?: number;
  /** Evaluation files to decontaminate against. */
  readonly decontaminate?: readonly string[];
  readonly ngram?: number;
  /** Which row of a duplicate cluster stays: the first, or the best scored (ties: the first). */
  readonly keep?: "first" | "best";
  readonly near?: MinHashParams;
  readonly phrases?: PhraseLists;
}

export interface FilterStats {
  readonly schema: "charter-filter/1";
  readonly input: string;
  readonly format: DatasetFormat;
  /** Rows read per layout, present only when the input mixed layouts (see `charter inspect`). */
  readonly layouts?: readonly LayoutRows[];
  /** Rows read, invalid ones included. */
  readonly rows: number;
  readonly kept: number;
  readonly removed: number;
  /** Each enabled filter in order, with the rows it removed. */
  readonly steps: readonly { readonly rule: FilterRule; readonly removed: number }[];
  readonly settings: {
    readonly dedup: readonly DedupMode[];
    readonly drop: readonly DropRule[];
    readonly keep: "first" | "best";
    readonly minScore: number | null;
    readonly scores: string | null;
    /** Rows without a score (kept by --min-score; never chosen by --keep best over a scored one). */
    readonly unscored: number;
    /**
     * With --drop unchanged: rows that give no first reply (neither an sft-hf-cai row nor a row with
     * its trace), which that rule cannot judge and keeps; null without it.
     */
    readonly noFirstReply: number | null;
    readonly decontaminate: readonly string[];
    readonly ngram: number;
    readonly near: MinHashParams | null;
  };
}

const CODES: readonly FilterRule[] = FILTER_ORDER;
const code = (rule: FilterRule): number => CODES.indexOf(rule) + 1;

/** Why one row went: the rule and what it found. */
type Detail =
  | { readonly message: string }
  | { readonly phrase: string }
  | { readonly score: number }
  | { readonly eval: EvalMatch };

function phraseCategory(rule: DropRule): PhraseCategory | undefined {
  switch (rule) {
    case "refusal":
    case "identity":
    case "cutoff":
    case "hedge":
      return rule;
    case "empty":
    case "unjudgeable":
    case "truncated":
    case "unchanged":
      return undefined;
    default:
      return assertNever(rule, "drop rule");
  }
}

/** Refuses, before reading anything, a drop rule the input cannot answer. */
function checkDropRules(source: DatasetSource, drop: readonly DropRule[]): void {
  const hasTrace = source.run?.trace !== undefined;
  if (drop.includes("unjudgeable") && source.kind !== "preference")
    throw new UsageError(
      `--drop unjudgeable applies to preference data, the rows judge --pairs would refuse (${source.path} is ${source.format})`,
    );
  if (drop.includes("truncated") && !hasTrace)
    throw new UsageError(
      `--drop truncated needs a Phase 1 run folder: its trace says which replies hit the token limit (${source.path} has none)`,
    );
  // Rows of one kind may mix layouts, so whether an SFT file gives first replies is known only
  // once its rows are read (unchangedUndecidable); refused here is what no row could change: data
  // of another kind, or every row read as one layout (--format) that has no first reply.
  const firstReplyPossible =
    source.kind === "sft" && (!source.forced || source.format === "sft-hf-cai");
  if (drop.includes("unchanged") && !hasTrace && !firstReplyPossible)
    throw new UsageError(
      `--drop unchanged needs a Phase 1 run folder or sft-hf-cai rows, which give the first reply (${source.path} is ${source.format}${source.forced ? ", read as --format says" : ""})`,
    );
}

/**
 * After pass 1: `--drop unchanged` on rows none of which gives a first reply (nor a trace) could
 * remove nothing whatever the rows say, so it is refused rather than reported as zero.
 */
function unchangedUndecidable(
  source: DatasetSource,
  reader: LayoutReader,
  counts: { readonly known: number; readonly unknown: number },
): UsageError | undefined {
  if (counts.known > 0 || counts.unknown === 0) return undefined;
  const layouts = reader
    .layouts()
    .map(([format, rows]) => `${format}: ${rows} row${rows === 1 ? "" : "s"}`)
    .join(", ");
  return new UsageError(
    `--drop unchanged needs a Phase 1 run folder or sft-hf-cai rows, which give the first reply: no row of ${source.path} does (${layouts})`,
  );
}

/**
 * Filters a dataset into `out`: kept.jsonl, removed.jsonl and stats.json.
 *
 * @example
 * await runFilter({ input: "runs/demo", out: "runs/demo-clean", dedup: ["exact", "near"], drop: ["refusal"] });
 */
export async function runFilter(options: FilterOptions): Promise<FilterStats> {
  const cwd = options.cwd ?? ".";
  const opened = await openDataset(
    resolve(cwd, options.input),
    options.format === undefined ? {} : { format: options.format },
  );
  const source: DatasetSource = { ...opened, path: resolve(cwd, options.input) };
  const out = resolve(cwd, options.out);
  if (resolve(source.file, "..") === out)
    throw new UsageError(
      `--out ${options.out} is the input's own folder: choose another, the input is never modified`,
    );
  const drop = DROP_RULES.filter((rule) => options.drop?.includes(rule));
  checkDropRules(source, drop);
  const dedup = (["exact", "near"] as const).filter((mode) => options.dedup?.includes(mode));
  const keep = options.keep ?? "first";
  const near = dedup.includes("near") ? (options.near ?? DEFAULT_MINHASH) : null;
  const ngram = options.ngram ?? DEFAULT_NGRAM;
  const needScores = options.minScore !== undefined || keep === "best";
  const scoresFile = needScores ? scoresFileFor(source) : undefined;
  const scores = scoresFile === undefined ? undefined : await ScoreTable.load(scoresFile);
  const evals =
    options.decontaminate !== undefined && options.decontaminate.length > 0
      ? await EvalIndex.build(
          options.decontaminate.map((file) => resolve(cwd, file)),
          ngram,
        )
      : undefined;

  const decide = new Decider({
    drop,
    matcher: new PhraseMatcher(options.phrases),
    minScore: options.minScore,
    scores,
    evals,
    dedup,
    keep,
    near,
    expectedRows: await estimateRowCount(source.file),
  });
  // Preference rows are also checked against what `judge --pairs` takes (for --drop unjudgeable).
  const reader = layoutReader(source, source.kind === "preference" ? pairProblem : undefined);
  for await (const row of readDatasetRows(source, {
    reader,
    skipInvalid: options.skipInvalid === true,
    onInvalid: (invalid) => decide.invalid(invalid.line, invalid.message),
  }))
    decide.row(row);
  const undecidable = drop.includes("unchanged")
    ? unchangedUndecidable(source, reader, decide.firstReplies)
    : undefined;
  if (undecidable !== undefined) throw undecidable;
  const representatives = decide.resolveDuplicates();
  const ids = await idsAtLines(source, representatives);

  mkdirSync(out, { recursive: true });
  const kept = new LineFile(join(out, "kept.jsonl"));
  const removed = new LineFile(join(out, "removed.jsonl"));
  const counts = new Map<FilterRule, number>();
  let rows = 0;
  for await (const { line, text } of readTextLines(source.file, { skipBlank: true })) {
    rows++;
    const rule = decide.ruleAt(line);
    if (rule === undefined) {
      kept.write(text);
      continue;
    }
    counts.set(rule, (counts.get(rule) ?? 0) + 1);
    removed.write(JSON.stringify(decide.removalRecord(line, text, rule, ids)));
  }
  kept.finish();
  removed.finish();

  const enabled = FILTER_ORDER.filter((rule) => {
    if (rule === "invalid") return options.skipInvalid === true;
    if (rule === "min-score") return options.minScore !== undefined;
    if (rule === "contaminated") return evals !== undefined;
    if (rule === "duplicate-exact") return dedup.includes("exact");
    if (rule === "duplicate-near") return dedup.includes("near");
    return drop.includes(rule);
  });
  const stats: FilterStats = {
    schema: "charter-filter/1",
    input: options.input,
    format: source.format,
    ...layoutsField(reader),
    rows,
    kept: kept.lines,
    removed: removed.lines,
    steps: enabled.map((rule) => ({ rule, removed: counts.get(rule) ?? 0 })),
    settings: {
      dedup,
      drop,
      keep,
      minScore: options.minScore ?? null,
      scores: scoresFile === undefined ? null : "scores.jsonl",
      unscored: decide.unscored,
      noFirstReply: drop.includes("unchanged") ? decide.firstReplies.unknown : null,
      decontaminate: options.decontaminate ?? [],
      ngram,
      near,
    },
  };
  writeJsonAtomic(join(out, "stats.json"), stats);
  return stats;
}

interface DeciderSettings {
  readonly drop: readonly DropRule[];
  readonly matcher: PhraseMatcher;
  readonly minScore: number | undefined;
  readonly scores: ScoreTable | undefined;
  readonly evals: EvalIndex | undefined;
  readonly dedup: readonly DedupMode[];
  readonly keep: "first" | "best";
  readonly near: MinHashParams | null;
  readonly expectedRows: number;
}

/** Pass 1's state: a rule code per line, the duplicate index, the details of each removal. */
class Decider {
  private readonly rules = new LineArray(new Uint8Array(1024), (size) => new Uint8Array(size));
  private readonly duplicateOf = new LineArray(
    new Int32Array(1024),
    (size) => new Int32Array(size),
  );
  private readonly rowScores: LineArray<Float64Array> | undefined;
  private readonly details = new Map<number, Detail>();
  private readonly promptScanner = new TextScanner();
  private readonly replyScanner = new TextScanner();
  private readonly rejectedScanner = new TextScanner();
  private exactTable: FirstRowTable | undefined;
  private exact = new RowComponents();
  private nearComponents = new RowComponents();
  private readonly hasher: MinHasher | undefined;
  private lsh: LshIndex | undefined;
  private readonly signature: Uint32Array | undefined;
  /** Lines that passed the row checks, in order (a typed array: a million lines are 4 MB). */
  private survivorLines = new Int32Array(1024);
  private survivorCount = 0;
  unscored = 0;
  /** Rows whose first reply is known (so --drop unchanged can judge them), and the others. */
  readonly firstReplies = { known: 0, unknown: 0 };
  private readonly judgesUnchanged: boolean;

  constructor(private readonly settings: DeciderSettings) {
    this.judgesUnchanged = settings.drop.includes("unchanged");
    if (settings.keep === "best")
      this.rowScores = new LineArray(new Float64Array(1024), (size) => new Float64Array(size));
    if (settings.dedup.includes("exact"))
      this.exactTable = new FirstRowTable(settings.expectedRows);
    if (settings.near !== null) {
      this.hasher = new MinHasher(settings.near);
      this.lsh = new LshIndex(settings.near, this.nearComponents, settings.expectedRows);
      this.signature = new Uint32Array(this.hasher.size);
    }
  }

  invalid(line: number, message: string): void {
    this.rules.set(line, code("invalid"));
    this.details.set(line, { message });
  }

  private remove(line: number, rule: FilterRule, detail?: Detail): void {
    this.rules.set(line, code(rule));
    if (detail !== undefined) this.details.set(line, detail);
  }

  /** Applies the row checks in order; a survivor joins the duplicate index. */
  row(row: SourcedRow): void {
    const line = row.line;
    // Decided per row, before the rules, so the counts cover every row whatever rule removes it.
    const unchanged = this.judgesUnchanged ? isUnchanged(row) : undefined;
    if (this.judgesUnchanged)
      if (unchanged === undefined) this.firstReplies.unknown++;
      else this.firstReplies.known++;
    this.replyScanner.scan(row.reply);
    const mayMatch = this.settings.matcher.mayMatch(this.replyScanner);
    for (const rule of this.settings.drop) {
      const category = phraseCategory(rule);
      if (category !== undefined) {
        const phrase = mayMatch
          ? this.settings.matcher.matchLowered(category, this.replyScanner.lowered, row.reply)
          : undefined;
        if (phrase !== undefined) return this.remove(line, rule, { phrase });
      } else if (rule === "unjudgeable") {
        if (row.pairProblem !== undefined)
          return this.remove(line, rule, { message: row.pairProblem });
      } else if (
        (rule === "empty" && this.replyScanner.blank) ||
        (rule === "truncated" && isTruncated(row) === true) ||
        (rule === "unchanged" && unchanged === true)
      )
        return this.remove(line, rule);
    }
    const score = this.settings.scores?.get(row.id);
    if (this.settings.scores !== undefined && score === undefined) this.unscored++;
    if (
      this.settings.minScore !== undefined &&
      score !== undefined &&
      score < this.settings.minScore
    )
      return this.remove(line, "min-score", { score });
    this.promptScanner.scan(row.prompt);
    if (this.settings.evals !== undefined) {
      const match = this.settings.evals.match(this.promptScanner);
      if (match !== undefined) return this.remove(line, "contaminated", { eval: match });
    }
    if (this.exactTable === undefined && this.lsh === undefined) return;
    this.rowScores?.set(line, score ?? Number.NEGATIVE_INFINITY);
    const parts = [this.promptScanner, this.replyScanner];
    if (row.rejected !== undefined) {
      this.rejectedScanner.scan(row.rejected);
      parts.push(this.rejectedScanner);
    }
    if (this.survivorCount === this.survivorLines.length) {
      const grown = new Int32Array(this.survivorCount * 2);
      grown.set(this.survivorLines);
      this.survivorLines = grown;
    }
    this.survivorLines[this.survivorCount++] = line;
    if (this.exactTable !== undefined) {
      this.exact.ensure(line);
      const { home, fingerprint } = exactKey(parts);
      const first = this.exactTable.firstOrAdd(home, fingerprint, line);
      if (first >= 0) this.exact.union(line, first);
    }
    if (this.lsh !== undefined) {
      this.nearComponents.ensure(line);
      const signature = this.hasher!.signature(parts, this.signature);
      if (signature !== undefined) this.lsh.add(line, signature);
    }
  }

  /** Whether `a` is kept over `b` (both in one cluster). */
  private better(a: number, b: number): boolean {
    if (this.rowScores !== undefined) {
      const scoreA = this.rowScores.get(a);
      const scoreB = this.rowScores.get(b);
      if (scoreA !== scoreB) return scoreA > scoreB;
    }
    return a < b;
  }

  /**
   * The kept row of each cluster of two or more rows, among `lines`, by root (a map entry per
   * cluster, not per row: singletons are most rows).
   */
  private keptPerCluster(components: RowComponents, lines: Iterable<number>): Map<number, number> {
    const clustered = new LineArray(new Uint8Array(1024), (size) => new Uint8Array(size));
    for (const line of lines) {
      const root = components.find(line);
      if (root !== line) clustered.set(root, 1);
    }
    const kept = new Map<number, number>();
    for (const line of lines) {
      const root = components.find(line);
      if (clustered.get(root) === 0) continue;
      const current = kept.get(root);
      if (current === undefined || this.better(line, current)) kept.set(root, line);
    }
    return kept;
  }

  /** Decides the duplicates; returns the lines they are kept in favour of. */
  resolveDuplicates(): Set<number> {
    const exact = this.exactTable !== undefined;
    const near = this.lsh !== undefined;
    // The clusters are in the union-finds now: let the band and exact tables (most of the memory)
    // go before the work below allocates.
    this.exactTable = undefined;
    this.lsh = undefined;
    const representatives = new Set<number>();
    const survivors = this.survivorLines.subarray(0, this.survivorCount);
    let remaining: ArrayLike<number> & Iterable<number> = survivors;
    if (exact) {
      const kept = this.keptPerCluster(this.exact, remaining);
      const unique: number[] = [];
      remaining = unique;
      for (const line of survivors) {
        const best = kept.get(this.exact.find(line)) ?? line;
        if (best === line) unique.push(line);
        else {
          this.remove(line, "duplicate-exact");
          this.duplicateOf.set(line, best);
          representatives.add(best);
        }
      }
    }
    if (near) {
      // Exact duplicates have equal signatures, so they sit in their twin's component too.
      const kept = this.keptPerCluster(this.nearComponents, remaining);
      for (const line of remaining) {
        const best = kept.get(this.nearComponents.find(line)) ?? line;
        if (best === line) continue;
        this.remove(line, "duplicate-near");
        this.duplicateOf.set(line, best);
        representatives.add(best);
      }
    }
    // Pass 2 needs only the decisions: let the rest of the duplicate index go before it.
    this.exact = new RowComponents();
    this.nearComponents = new RowComponents();
    this.survivorLines = new Int32Array(0);
    this.survivorCount = 0;
    return representatives;
  }

  ruleAt(line: number): FilterRule | undefined {
    const value = this.rules.get(line);
    return value === 0 ? undefined : CODES[value - 1];
  }

  /** The removed.jsonl record of a line. */
  removalRecord(
    line: number,
    text: string,
    rule: FilterRule,
    ids: ReadonlyMap<number, string>,
  ): unknown {
    const detail = this.details.get(line);
    if (rule === "invalid")
      return {
        line,
        rule,
        message: detail !== undefined && "message" in detail ? detail.message : "",
        text,
      };
    const row: unknown = JSON.parse(text);
    const id = idOf(row as Record<string, unknown>, line);
    const duplicateOf =
      rule === "duplicate-exact" || rule === "duplicate-near" ? this.duplicateOf.get(line) : 0;
    return {
      id,
      line,
      rule,
      ...(duplicateOf > 0
        ? {
            duplicate_of: ids.get(duplicateOf) ?? `line:${duplicateOf}`,
            duplicate_of_line: duplicateOf,
          }
        : {}),
      ...(detail !== undefined && "phrase" in detail ? { phrase: detail.phrase } : {}),
      ...(detail !== undefined && "score" in detail ? { score: detail.score } : {}),
      ...(detail !== undefined && "eval" in detail ? { eval: detail.eval } : {}),
      // Why judge --pairs would refuse the row (--drop unjudgeable).
      ...(detail !== undefined && "message" in detail ? { message: detail.message } : {}),
      row,
    };
  }
}
