// What one pass of `inspect` records per row for the metrics that depend on row order (duplicates,
// the dominant bigram and opening, the gzip sample), in typed arrays a worker thread can hand to
// the main thread without copying: a Batch is a run of consecutive rows, built by BatchBuilder
// where the rows are parsed and read back in file order by OrderedPass.

import type { InvalidLine } from "../io/index.js";

/** The response sets of a dataset, in the order the report lists them. */
export const SET_REPLY = 0;
export const SET_REJECTED = 1;
export const SET_FIRST = 2;
export const SET_COUNT = 3;

/** One response set's replies in a batch. */
export interface SetBatch {
  readonly replies: number;
  /** Per reply: its row's index in the batch, words, characters (UTF-16) and its opening. */
  readonly rows: Int32Array;
  readonly words: Int32Array;
  readonly lengths: Int32Array;
  readonly openings: readonly string[];
  /** The replies' bigram hashes one after another (a reply of n words has n − 1). */
  readonly bigrams: Uint32Array;
}

/** A row that stops the pass (a malformed row without `--skip-invalid`). */
export interface BatchFailure {
  readonly kind: "json" | "shape";
  readonly line: number;
  readonly message: string;
}

export interface Batch {
  readonly rows: number;
  /** Per row: its 1-based line, where the line is in the block read (bytes; 0 when read
   * otherwise), its exact-duplicate key (two 32-bit hashes). */
  readonly lines: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly exactHome: Int32Array;
  readonly exactFingerprint: Int32Array;
  /** Near duplicates only: `size` values per row, and whether the row has a signature at all. */
  readonly signatures: Uint32Array | undefined;
  readonly signed: Int32Array | undefined;
  readonly sets: readonly (SetBatch | undefined)[];
  /** Malformed rows skipped (`--skip-invalid`), in line order. */
  readonly invalid: readonly InvalidLine[];
  readonly failure: BatchFailure | undefined;
}

/** The typed arrays of a batch, to transfer to another thread instead of copying them. */
export function batchBuffers(batch: Batch): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (array: { buffer: ArrayBufferLike } | undefined): void => {
    if (array !== undefined && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  };
  for (const array of [
    batch.lines,
    batch.starts,
    batch.ends,
    batch.exactHome,
    batch.exactFingerprint,
    batch.signatures,
    batch.signed,
  ])
    add(array);
  for (const set of batch.sets)
    if (set !== undefined)
      for (const array of [set.rows, set.words, set.lengths, set.bigrams]) add(array);
  return [...buffers];
}

/** Most bytes of spare buffers a pool keeps. */
const POOL_BYTES = 8 << 20;

/**
 * Spare array buffers by size: a batch's arrays, once its rows are read back, go to the pool of
 * the thread that builds the next batches, so a pass reuses a few megabytes instead of leaving a
 * megabyte or two of dead outside memory a batch for the garbage collector (which let a pass's
 * peak memory grow by tens of megabytes). A reused buffer is not cleared: a batch reads only
 * what it wrote.
 */
export class BufferPool {
  private readonly spare = new Map<number, ArrayBuffer[]>();
  private bytes = 0;

  take(byteLength: number): ArrayBuffer {
    const buffer = this.spare.get(byteLength)?.pop();
    if (buffer === undefined) return new ArrayBuffer(byteLength);
    this.bytes -= byteLength;
    return buffer;
  }

  give(buffer: ArrayBuffer): void {
    // (A detached buffer, sent to another thread, has no bytes left to give.)
    if (buffer.byteLength === 0 || this.bytes + buffer.byteLength > POOL_BYTES) return;
    const list = this.spare.get(buffer.byteLength);
    if (list === undefined) this.spare.set(buffer.byteLength, [buffer]);
    else list.push(buffer);
    this.bytes += buffer.byteLength;
  }
}

/** A growable Int32Array. */
class IntColumn {
  values: Int32Array;
  length = 0;

  constructor(
    private readonly pool: BufferPool,
    capacity: number,
  ) {
    this.values = new Int32Array(pool.take(capacity * 4));
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Int32Array(this.pool.take(this.values.byteLength * 2));
      grown.set(this.values);
      this.pool.give(this.values.buffer as ArrayBuffer);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  /** The values (a view: the batch hands the whole buffer on, unused tail included). */
  finish(): Int32Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * Room for the bigram hashes the last batch of each set held (a power of two, from 64 Ki), per
 * thread: the next batch starts with it (batches of a file are alike), so its array does not grow
 * by copying as it fills.
 */
const bigramHint = new Array<number>(SET_COUNT).fill(64 * 1024);

class SetBuilder {
  private readonly rows: IntColumn;
  private readonly words: IntColumn;
  private readonly lengths: IntColumn;
  private openings: string[] = [];
  private bigrams: Uint32Array;
  private bigramCount = 0;

  constructor(
    private readonly pool: BufferPool,
    private readonly set: number,
  ) {
    this.rows = new IntColumn(pool, 256);
    this.words = new IntColumn(pool, 256);
    this.lengths = new IntColumn(pool, 256);
    this.bigrams = new Uint32Array(pool.take(4 * bigramHint[set]!));
  }

  /** Room for `count` more bigram hashes; returns where they go in `bigramArray`. */
  reserve(count: number): number {
    if (this.bigramCount + count > this.bigrams.length) {
      let size = this.bigrams.length * 2;
      while (size < this.bigramCount + count) size *= 2;
      const grown = new Uint32Array(this.pool.take(size * 4));
      grown.set(this.bigrams.subarray(0, this.bigramCount));
      this.pool.give(this.bigrams.buffer as ArrayBuffer);
      this.bigrams = grown;
    }
    return this.bigramCount;
  }

  get bigramArray(): Uint32Array {
    return this.bigrams;
  }

  /** Records a reply whose bigram hashes were written where `reserve` said. */
  add(row: number, words: number, length: number, opening: string): void {
    this.rows.push(row);
    this.words.push(words);
    this.lengths.push(length);
    this.openings.push(opening);
    this.bigramCount += words > 1 ? words - 1 : 0;
  }

  finish(): SetBatch {
    let hint = 64 * 1024;
    while (hint < this.bigramCount) hint *= 2;
    bigramHint[this.set] = hint;
    return {
      replies: this.rows.length,
      rows: this.rows.finish(),
      words: this.words.finish(),
      lengths: this.lengths.finish(),
      openings: this.openings,
      bigrams: this.bigrams.subarray(0, this.bigramCount),
    };
  }
}

/** Builds one Batch; `finish` hands it over (the builder is then spent). */
export class BatchBuilder {
  private readonly lines: IntColumn;
  private readonly starts: IntColumn;
  private readonly ends: IntColumn;
  private readonly exactHome: IntColumn;
  private readonly exactFingerprint: IntColumn;
  private signatures: Uint32Array | undefined;
  private readonly signed: IntColumn | undefined;
  private readonly sets: (SetBuilder | undefined)[] = new Array<SetBuilder | undefined>(SET_COUNT);
  private readonly invalid: InvalidLine[] = [];
  private failure: BatchFailure | undefined;

  constructor(
    private readonly signatureSize: number,
    private readonly pool: BufferPool,
  ) {
    this.lines = new IntColumn(pool, 1024);
    this.starts = new IntColumn(pool, 1024);
    this.ends = new IntColumn(pool, 1024);
    this.exactHome = new IntColumn(pool, 1024);
    this.exactFingerprint = new IntColumn(pool, 1024);
    if (signatureSize > 0) {
      this.signatures = new Uint32Array(pool.take(1024 * signatureSize * 4));
      this.signed = new IntColumn(pool, 1024);
    }
  }

  get rows(): number {
    return this.lines.length;
  }

  /** Starts a row; returns its index in the batch. */
  addRow(
    line: number,
    start: number,
    end: number,
    exactHome: number,
    exactFingerprint: number,
    signature: Uint32Array | undefined,
  ): number {
    const row = this.lines.length;
    this.lines.push(line);
    this.starts.push(start);
    this.ends.push(end);
    this.exactHome.push(exactHome);
    this.exactFingerprint.push(exactFingerprint);
    if (this.signed !== undefined) {
      const size = this.signatureSize;
      if ((row + 1) * size > this.signatures!.length) {
        const grown = new Uint32Array(this.pool.take(this.signatures!.byteLength * 2));
        grown.set(this.signatures!);
        this.pool.give(this.signatures!.buffer as ArrayBuffer);
        this.signatures = grown;
      }
      if (signature !== undefined) this.signatures!.set(signature, row * size);
      this.signed.push(signature === undefined ? 0 : 1);
    }
    return row;
  }

  /**
   * Room for a reply of set `set` with `words` words: returns where its bigram hashes go in
   * `bigramArray(set)` (written there by the caller before `addReply`).
   */
  reserveBigrams(set: number, words: number): number {
    return (this.sets[set] ??= new SetBuilder(this.pool, set)).reserve(words > 1 ? words - 1 : 0);
  }

  bigramArray(set: number): Uint32Array {
    return this.sets[set]!.bigramArray;
  }

  /** Records a reply of set `set` for row `row` (its bigram hashes written as reserved). */
  addReply(set: number, row: number, words: number, length: number, opening: string): void {
    this.sets[set]!.add(row, words, length, opening);
  }

  addInvalid(invalid: InvalidLine): void {
    this.invalid.push(invalid);
  }

  fail(failure: BatchFailure): void {
    this.failure = failure;
  }

  finish(): Batch {
    const rows = this.lines.length;
    return {
      rows,
      lines: this.lines.finish(),
      starts: this.starts.finish(),
      ends: this.ends.finish(),
      exactHome: this.exactHome.finish(),
      exactFingerprint: this.exactFingerprint.finish(),
      signatures: this.signatures?.subarray(0, rows * this.signatureSize),
      signed: this.signed?.finish(),
      sets: Array.from({ length: SET_COUNT }, (_, set) => this.sets[set]?.finish()),
      invalid: this.invalid,
      failure: this.failure,
    };
  }
}
