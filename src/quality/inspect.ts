// `charter inspect` as a library: one streaming pass over a dataset feeds every accumulator
// (shape and diversity per response set, duplicates, bad targets, preference and run metrics),
// then a short second read looks up the ids of the example duplicate clusters.

import { resolve } from "node:path";
import { CHARTER_VERSION } from "../version.js";
import type { InvalidLine } from "../io/index.js";
import { readTextLines } from "../io/index.js";
import { BadTargetAccumulator } from "./bad-targets.js";
import { compareReports } from "./compare.js";
import type { DatasetFormat } from "./dataset-formats.js";
import { DuplicateFinder, type DuplicateGroups } from "./duplicates.js";
import {
  INSPECT_SCHEMA,
  type ClusterExample,
  type DatasetReport,
  type DuplicateCount,
  type InspectReport,
  type ResponseSetName,
} from "./inspect-schema.js";
import { DEFAULT_MINHASH, MinHasher, lshThreshold, type MinHashParams } from "./minhash.js";
import { PhraseMatcher, type PhraseLists } from "./phrases.js";
import { PreferenceAccumulator } from "./preference-metrics.js";
import {
  estimateRowCount,
  idsAtLines,
  openDataset,
  readDatasetRows,
  type DatasetSource,
  type SourcedRow,
} from "./read-dataset.js";
import { ResponseSetAccumulator } from "./response-set.js";
import { RunAccumulator } from "./run-metrics.js";
import type { TraceEvents } from "./run-trace.js";
import { IntegerHistogram, ratio, round } from "./sketches.js";
import { TextScanner } from "./text.js";

export interface InspectOptions {
  /** Skip format detection. */
  readonly format?: DatasetFormat;
  /** Near-duplicate settings, or null to skip near duplicates (default 5-word shingles, 14 × 8). */
  readonly near?: MinHashParams | null;
  /** Extra phrases per bad-target category. */
  readonly phrases?: PhraseLists;
  /** Count and list malformed rows instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** Relative paths are read from here (default: the process's working directory). */
  readonly cwd?: string;
  /**
   * A Phase 1 run's trace events, from a caller that reads trace.jsonl itself (`charter report`),
   * so the trace is read once; without it inspect reads the run's trace.jsonl.
   */
  readonly traceEvents?: TraceEvents;
}

const INVALID_EXAMPLES = 20;

/**
 * Inspects one dataset (a JSONL file or a run folder).
 *
 * @example
 * const report = await inspectDataset("runs/demo");
 * report.duplicates.exact.duplicateRows;
 */
export async function inspectDataset(
  path: string,
  options: InspectOptions = {},
): Promise<DatasetReport> {
  const opened = await openDataset(
    resolve(options.cwd ?? ".", path),
    options.format === undefined ? {} : { format: options.format },
  );
  const source: DatasetSource = { ...opened, path };
  const near = options.near === undefined ? DEFAULT_MINHASH : options.near;
  const expected = await estimateRowCount(source.file);
  const pass = new InspectPass(source, near, new PhraseMatcher(options.phrases), expected);
  const invalid: InvalidLine[] = [];
  let invalidCount = 0;
  for await (const row of readDatasetRows(source, {
    skipInvalid: options.skipInvalid === true,
    ...(options.traceEvents === undefined ? {} : { traceEvents: options.traceEvents }),
    onInvalid: (line) => {
      invalidCount++;
      if (invalid.length < INVALID_EXAMPLES) invalid.push(line);
    },
  })) {
    pass.add(row);
  }
  return pass.report(
    { count: invalidCount, examples: invalid },
    source.run?.ties === undefined ? null : await countLines(source.run.ties),
  );
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  try {
    for await (const _line of readTextLines(file, { skipBlank: true })) count++;
  } catch {
    return 0;
  }
  return count;
}

/** The accumulators of one pass over one dataset. */
class InspectPass {
  private rows = 0;
  private readonly turns = new IntegerHistogram();
  private emptyReplies = 0;
  private readonly promptScanner = new TextScanner();
  private readonly replyScanner = new TextScanner();
  private readonly rejectedScanner = new TextScanner();
  private readonly firstScanner = new TextScanner();
  private readonly replies: ResponseSetAccumulator;
  private readonly rejected: ResponseSetAccumulator | undefined;
  private firstReplies: ResponseSetAccumulator | undefined;
  private readonly badTargets: BadTargetAccumulator;
  private readonly preference: PreferenceAccumulator | undefined;
  private readonly run: RunAccumulator | undefined;
  private readonly duplicates: DuplicateFinder;

  constructor(
    private readonly source: DatasetSource,
    private readonly near: MinHashParams | null,
    matcher: PhraseMatcher,
    expectedRows: number,
  ) {
    const preference = source.kind === "preference";
    const replyName: ResponseSetName = preference ? "chosen" : "reply";
    this.replies = new ResponseSetAccumulator(replyName);
    if (preference) {
      this.rejected = new ResponseSetAccumulator("rejected");
      this.preference = new PreferenceAccumulator(
        near === null ? undefined : new MinHasher(near),
        near === null ? 1 : lshThreshold(near),
      );
    }
    this.badTargets = new BadTargetAccumulator(matcher, source.format);
    if (source.run?.trace !== undefined) this.run = new RunAccumulator(source.run.command);
    this.duplicates = new DuplicateFinder(near, expectedRows);
  }

  add(row: SourcedRow): void {
    this.rows++;
    this.turns.add(row.turns);
    this.promptScanner.scan(row.prompt);
    this.replyScanner.scan(row.reply);
    if (this.replyScanner.blank) this.emptyReplies++;
    this.replies.add(row.reply, this.replyScanner);
    const parts = [this.promptScanner, this.replyScanner];
    if (row.rejected !== undefined) {
      this.rejectedScanner.scan(row.rejected);
      this.rejected?.add(row.rejected, this.rejectedScanner);
      this.preference?.add(row, this.replyScanner, this.rejectedScanner);
      parts.push(this.rejectedScanner);
    }
    if (row.firstReply !== undefined) {
      this.firstReplies ??= new ResponseSetAccumulator("first-reply");
      this.firstScanner.scan(row.firstReply);
      this.firstReplies.add(row.firstReply, this.firstScanner);
    }
    // Keyed by line, so the second read for the examples' ids can go straight to their lines.
    this.duplicates.add(row.line, parts);
    this.badTargets.add(row, this.replyScanner);
    if (row.trace !== undefined) this.run?.add(row.trace);
  }

  async report(invalid: DatasetReport["invalid"], ties: number | null): Promise<DatasetReport> {
    const exact = this.duplicates.exactGroups();
    const near = this.duplicates.nearGroups();
    const lines = new Set<number>();
    for (const groups of [exact, ...(near === null ? [] : [near])])
      for (const cluster of groups.largest) for (const line of cluster.rows) lines.add(line);
    const ids = await idsAtLines(this.source, lines);
    const count = (groups: DuplicateGroups): DuplicateCount => ({
      duplicateRows: groups.duplicateRows,
      rate: ratio(groups.duplicateRows, this.rows),
      clusters: groups.clusters,
      examples: groups.largest.map((cluster): ClusterExample => ({
        size: cluster.size,
        ids: cluster.rows.map((line) => ids.get(line) ?? `line:${line}`),
      })),
    });
    return {
      source: {
        path: this.source.path,
        file: this.source.file,
        format: this.source.format,
        kind: this.source.kind,
        runCommand: this.source.run?.command ?? null,
      },
      rows: this.rows,
      invalid,
      shape: {
        turns: this.turns.summary(),
        emptyReplies: this.emptyReplies,
        emptyReplyRate: ratio(this.emptyReplies, this.rows),
      },
      sets: [
        this.replies.summary(),
        ...(this.rejected === undefined ? [] : [this.rejected.summary()]),
        ...(this.firstReplies === undefined ? [] : [this.firstReplies.summary()]),
      ],
      duplicates: {
        key: "example",
        exact: count(exact),
        near:
          near === null || this.near === null
            ? null
            : {
                ...count(near),
                shingleWords: this.near.shingleWords,
                bands: this.near.bands,
                rows: this.near.rows,
                seed: this.near.seed,
                threshold: round(lshThreshold(this.near)),
                indexBytes: near.bytes,
                indexBytesPerRow: round(this.rows === 0 ? 0 : near.bytes / this.rows),
              },
      },
      badTargets: this.badTargets.report(),
      preference: this.preference?.report(ties) ?? null,
      run: this.run?.report() ?? null,
    };
  }
}

/**
 * Inspects datasets; with `compare`, those too, and the comparison of all against the first.
 *
 * @example
 * const report = await inspect(["runs/gen1"], { compare: ["runs/gen2"] });
 */
export async function inspect(
  paths: readonly string[],
  options: InspectOptions & { readonly compare?: readonly string[] } = {},
): Promise<InspectReport> {
  const all = [...paths, ...(options.compare ?? [])];
  const datasets: DatasetReport[] = [];
  for (const path of all) datasets.push(await inspectDataset(path, options));
  return {
    schema: INSPECT_SCHEMA,
    charterVersion: CHARTER_VERSION,
    datasets,
    comparison:
      options.compare !== undefined && options.compare.length > 0 ? compareReports(datasets) : null,
  };
}
