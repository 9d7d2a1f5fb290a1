// The per-row half of `inspect`: everything whose result does not depend on the order of the rows
// (shape, the counts of each response set, bad targets, preference metrics), computed where the
// rows are parsed (the main thread or a worker) and merged exactly; and each row's record for the
// order-dependent half (inspect-order.ts), written into a BatchBuilder.

import { BadTargetAccumulator, type BadTargetsPartial } from "./bad-targets.js";
import { readBlockRows } from "./block-rows.js";
import {
  layoutReader,
  pairProblem,
  type DatasetFormat,
  type DatasetKind,
  type LayoutCounts,
  type LayoutReader,
} from "../datasets/index.js";
import { exactKey } from "./duplicates.js";
import {
  BatchBuilder,
  SET_COUNT,
  type BufferPool,
  SET_FIRST,
  SET_REJECTED,
  SET_REPLY,
  type Batch,
} from "./inspect-batch.js";
import { MinHasher, lshThreshold, type MinHashParams } from "./minhash.js";
import { PhraseMatcher, type PhraseLists } from "./phrases.js";
import { PreferenceAccumulator, type PreferencePartial } from "./preference-metrics.js";
import type { SourcedRow } from "./read-dataset.js";
import { SetStats, TEMPLATE_WORDS, type SetStatsPartial } from "./response-set.js";
import { RunAccumulator } from "./run-metrics.js";
import { IntegerHistogram } from "./sketches.js";
import { TextScanner } from "./text.js";

/** What a row pass needs to know, the same in every thread (plain data, so it can be posted). */
export interface RowPassSettings {
  /** The first row's layout, or the one `--format` named (`forced`: every row read as it). */
  readonly format: DatasetFormat;
  readonly forced: boolean;
  readonly kind: DatasetKind;
  readonly near: MinHashParams | null;
  readonly phrases: PhraseLists | undefined;
}

export interface RowPassPartial {
  readonly rows: number;
  readonly turns: [number, number][];
  readonly emptyReplies: number;
  readonly sets: readonly (SetStatsPartial | undefined)[];
  readonly badTargets: BadTargetsPartial;
  readonly preference: PreferencePartial | undefined;
  readonly layouts: LayoutCounts;
}

export class RowPass {
  rows = 0;
  private readonly turns = new IntegerHistogram();
  private emptyReplies = 0;
  private readonly promptScanner = new TextScanner();
  private readonly scanners = Array.from({ length: SET_COUNT }, () => new TextScanner());
  readonly sets: (SetStats | undefined)[] = new Array<SetStats | undefined>(SET_COUNT);
  readonly badTargets: BadTargetAccumulator;
  readonly preference: PreferenceAccumulator | undefined;
  readonly run: RunAccumulator | undefined;
  private readonly hasher: MinHasher | undefined;
  private readonly signature: Uint32Array | undefined;
  /** Reads the rows this pass measures from a block, and counts them per layout. */
  readonly reader: LayoutReader;

  constructor(settings: RowPassSettings, runCommand?: string) {
    // Preference rows are also checked against what `judge --pairs` takes, to flag the rest.
    this.reader = layoutReader(
      { format: settings.format, forced: settings.forced },
      settings.kind === "preference" ? pairProblem : undefined,
    );
    this.sets[SET_REPLY] = new SetStats();
    const near = settings.near;
    if (settings.kind === "preference") {
      this.sets[SET_REJECTED] = new SetStats();
      this.preference = new PreferenceAccumulator(
        near === null ? undefined : new MinHasher(near),
        near === null ? 1 : lshThreshold(near),
      );
    }
    this.badTargets = new BadTargetAccumulator(
      new PhraseMatcher(settings.phrases),
      settings.format,
    );
    if (runCommand !== undefined) this.run = new RunAccumulator(runCommand);
    if (near !== null) {
      this.hasher = new MinHasher(near);
      this.signature = new Uint32Array(this.hasher.size);
    }
  }

  /** Signature values per row in a batch (0 without near duplicates). */
  get signatureSize(): number {
    return this.hasher?.size ?? 0;
  }

  /** Adds a row; `start` and `end` say where its line is in the block read, if it was. */
  add(row: SourcedRow, batch: BatchBuilder, start = 0, end = 0): void {
    this.rows++;
    this.turns.add(row.turns);
    this.promptScanner.scan(row.prompt);
    const reply = this.scanners[SET_REPLY]!;
    reply.scan(row.reply);
    if (reply.blank) this.emptyReplies++;
    const parts = [this.promptScanner, reply];
    const rejected = this.scanners[SET_REJECTED]!;
    if (row.rejected !== undefined) {
      rejected.scan(row.rejected);
      this.preference?.add(row, reply, rejected);
      parts.push(rejected);
    }
    const first = this.scanners[SET_FIRST]!;
    if (row.firstReply !== undefined) first.scan(row.firstReply);
    // Keyed by line, so the second read for the examples' ids can go straight to their lines.
    const { home, fingerprint } = exactKey(parts);
    const signature = this.hasher?.signature(parts, this.signature);
    const index = batch.addRow(row.line, start, end, home, fingerprint, signature);
    this.addReply(batch, index, SET_REPLY, row.reply, reply);
    if (row.rejected !== undefined && this.sets[SET_REJECTED] !== undefined)
      this.addReply(batch, index, SET_REJECTED, row.rejected, rejected);
    if (row.firstReply !== undefined) {
      this.sets[SET_FIRST] ??= new SetStats();
      this.addReply(batch, index, SET_FIRST, row.firstReply, first);
    }
    if (row.pairProblem !== undefined) this.preference?.unjudgeable(row.line, row.pairProblem);
    this.badTargets.add(row, reply);
    if (row.trace !== undefined) this.run?.add(row.trace);
  }

  private addReply(
    batch: BatchBuilder,
    row: number,
    set: number,
    text: string,
    scanner: TextScanner,
  ): void {
    const words = scanner.wordCount;
    const offset = batch.reserveBigrams(set, words);
    this.sets[set]!.add(text, scanner, batch.bigramArray(set), offset);
    const opening = words > 0 ? scanner.phrase(0, TEMPLATE_WORDS) : "";
    batch.addReply(set, row, words, text.length, opening);
  }

  get emptyReplyCount(): number {
    return this.emptyReplies;
  }

  get turnSummary(): IntegerHistogram {
    return this.turns;
  }

  partial(): RowPassPartial {
    return {
      rows: this.rows,
      turns: this.turns.entries(),
      emptyReplies: this.emptyReplies,
      sets: this.sets.map((set) => set?.partial()),
      badTargets: this.badTargets.partial(),
      preference: this.preference?.partial(),
      layouts: this.reader.layouts(),
    };
  }

  /** Takes in a pass another thread made over other rows of the same dataset. */
  merge(partial: RowPassPartial): void {
    this.rows += partial.rows;
    this.turns.merge(partial.turns);
    this.emptyReplies += partial.emptyReplies;
    partial.sets.forEach((set, index) => {
      if (set !== undefined) (this.sets[index] ??= new SetStats()).merge(set);
    });
    this.badTargets.merge(partial.badTargets);
    if (partial.preference !== undefined) this.preference?.merge(partial.preference);
    this.reader.merge(partial.layouts);
  }
}

/**
 * Measures the rows of one block of a file (whole lines, the first being line `firstLine`) into
 * `pass`, and returns their batch; a malformed row is listed (`skipInvalid`) or ends the batch with
 * its failure. The same in a worker and in the main thread.
 */
export function measureBlock(
  pass: RowPass,
  file: string,
  skipInvalid: boolean,
  bytes: Buffer,
  firstLine: number,
  pool: BufferPool,
): Batch {
  const batch = new BatchBuilder(pass.signatureSize, pool);
  readBlockRows(bytes, firstLine, pass.reader, {
    row: (row, start, end) => pass.add(row, batch, start, end),
    invalid: (kind, line, message) => {
      if (!skipInvalid) {
        batch.fail({ kind, line, message });
        return false;
      }
      batch.addInvalid({ file, line, message });
      return true;
    },
  });
  return batch.finish();
}
