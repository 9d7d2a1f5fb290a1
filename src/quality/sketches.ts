// Bounded-memory summaries of streams: exact integer histograms (mean, std, quantiles),
// distinct counts (HyperLogLog, and the merge of exact parts with sketches; set-words.ts counts
// them), the largest count (count-min) and the most frequent strings (Space-Saving). Each stays a fixed size however many rows go through, except
// the histogram, whose size is the number of distinct lengths.

import { CountMinKernel } from "./kernel.js";
import { mix32 } from "./text.js";

/** A summary of integer values: mean, std, min, max and nearest-rank p5/p50/p95. */
export interface Distribution {
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly p5: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

/** Values below this are counted in an array (lengths mostly are); larger ones in a map. */
const DENSE_VALUES = 4096;

/** Exact quantiles of non-negative integers (lengths), kept as value → count. */
export class IntegerHistogram {
  private dense: Int32Array | undefined;
  private readonly sparse = new Map<number, number>();
  private total = 0;

  add(value: number): void {
    this.addCount(value, 1);
  }

  get count(): number {
    return this.total;
  }

  /** The values and their counts, to send to another thread. */
  entries(): [number, number][] {
    const entries: [number, number][] = [];
    const dense = this.dense;
    if (dense !== undefined)
      for (let value = 0; value < DENSE_VALUES; value++)
        if (dense[value] !== 0) entries.push([value, dense[value]!]);
    for (const entry of this.sparse) entries.push(entry);
    return entries;
  }

  /** Adds another histogram's counts (as `entries()` gives them): the same as adding its values. */
  merge(entries: readonly (readonly [number, number])[]): void {
    for (const [value, count] of entries) this.addCount(value, count);
  }

  private addCount(value: number, count: number): void {
    this.total += count;
    if (value >= 0 && value < DENSE_VALUES && Number.isInteger(value)) {
      const dense = (this.dense ??= new Int32Array(DENSE_VALUES));
      dense[value] = dense[value]! + count;
    } else this.sparse.set(value, (this.sparse.get(value) ?? 0) + count);
  }

  /**
   * Nearest-rank quantiles (the smallest value with at least q of the values at or below it); the
   * mean and standard deviation from the counts, in value order, so the same values give the same
   * bits whatever order they came in (or however many histograms they were merged from).
   */
  summary(): Distribution {
    const sorted = this.entries().sort((a, b) => a[0] - b[0]);
    const total = this.total;
    const quantile = (q: number): number => {
      if (total === 0) return 0;
      const rank = Math.max(1, Math.ceil(q * total));
      let seen = 0;
      for (const [value, count] of sorted) {
        seen += count;
        if (seen >= rank) return value;
      }
      return sorted.at(-1)?.[0] ?? 0;
    };
    let sum = 0;
    for (const [value, count] of sorted) sum += value * count;
    const mean = total === 0 ? 0 : sum / total;
    let squares = 0;
    for (const [value, count] of sorted) squares += count * (value - mean) * (value - mean);
    return {
      mean: round(mean),
      std: round(total === 0 ? 0 : Math.sqrt(squares / total)),
      min: sorted[0]?.[0] ?? 0,
      p5: quantile(0.05),
      p50: quantile(0.5),
      p95: quantile(0.95),
      max: sorted.at(-1)?.[0] ?? 0,
    };
  }
}

/** Six decimals: stable bytes in reports across platforms. */
export function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** A ratio that is 0 (not NaN) when there is nothing to divide. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : round(part / whole);
}

const HLL_BITS = 14;
const HLL_REGISTERS = 1 << HLL_BITS;

/** A HyperLogLog of 32-bit hashes: 2^14 registers (16 KiB), standard error 1.04/√16384 ≈ 0.8%. */
export class HyperLogLog {
  readonly registers = new Uint8Array(HLL_REGISTERS);

  /** Adds a hash (uint32, or the same bits as a signed int32). */
  add(hash: number): void {
    const registers = this.registers;
    const index = hash >>> (32 - HLL_BITS);
    const rest = (hash << HLL_BITS) >>> 0;
    const rank = rest === 0 ? 32 - HLL_BITS + 1 : Math.clz32(rest) + 1;
    if (rank > registers[index]!) registers[index] = rank;
  }

  /** Takes in another sketch's registers: the sketch of the union of both streams. */
  mergeRegisters(other: Uint8Array): void {
    const registers = this.registers;
    for (let i = 0; i < HLL_REGISTERS; i++) if (other[i]! > registers[i]!) registers[i] = other[i]!;
  }

  get estimate(): number {
    const registers = this.registers;
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < HLL_REGISTERS; i++) {
      sum += 2 ** -registers[i]!;
      if (registers[i] === 0) zeros++;
    }
    const alpha = 0.7213 / (1 + 1.079 / HLL_REGISTERS);
    const raw = (alpha * HLL_REGISTERS * HLL_REGISTERS) / sum;
    // Linear counting where the raw estimate is biased (small cardinalities).
    if (raw <= 2.5 * HLL_REGISTERS && zeros > 0)
      return Math.round(HLL_REGISTERS * Math.log(HLL_REGISTERS / zeros));
    return Math.round(raw);
  }
}

/**
 * A distinct count's state, to merge counts made over parts of a stream: the keys while the count
 * is exact, or the HyperLogLog registers once it is estimated (they then hold every key).
 */
export type DistinctPartial =
  | { readonly keys: Uint32Array; readonly registers?: undefined }
  | { readonly registers: Uint8Array; readonly keys?: undefined };

/**
 * The distinct count of the union of several parts' keys, as one counter fed all of them would
 * give it: exact up to `exactLimit` keys, else the HyperLogLog of the union (a sketch's registers
 * depend only on the set of keys, not on their order or on how the stream was cut).
 */
export function mergeDistinct(
  partials: readonly DistinctPartial[],
  exactLimit = 1 << 16,
): { readonly size: number; readonly estimated: boolean } {
  const only = partials.length === 1 ? partials[0]! : undefined;
  if (only?.keys !== undefined && only.keys.length <= exactLimit)
    return { size: only.keys.length, estimated: false };
  let sketch: HyperLogLog | undefined;
  let total = 0;
  for (const partial of partials) {
    if (partial.registers !== undefined) {
      sketch ??= new HyperLogLog();
      sketch.mergeRegisters(partial.registers);
    } else total += partial.keys.length;
  }
  // The union of the exact parts in an open-addressing table (a Set would box every key past
  // 2^30): keys, and a flag per slot so that 0 is a key like any other.
  let size = 16;
  while (size < total * 2) size *= 2;
  const keys = new Int32Array(size);
  const used = new Uint8Array(size);
  const mask = size - 1;
  let distinct = 0;
  for (const partial of partials) {
    if (partial.keys === undefined) continue;
    for (const value of partial.keys) {
      const key = value | 0;
      let slot = mix32(key) & mask;
      while (used[slot] === 1 && keys[slot] !== key) slot = (slot + 1) & mask;
      if (used[slot] === 1) continue;
      used[slot] = 1;
      keys[slot] = key;
      distinct++;
    }
  }
  if (sketch === undefined && distinct <= exactLimit) return { size: distinct, estimated: false };
  sketch ??= new HyperLogLog();
  for (let slot = 0; slot < size; slot++) if (used[slot] === 1) sketch.add(keys[slot]!);
  return { size: sketch.estimate, estimated: true };
}

/**
 * Counts of 32-bit keys in fixed memory (a count-min sketch: `depth` rows of `width` counters);
 * a count never underestimates, and overestimates by more than 2·total/width with probability at
 * most 2^-depth. Tracks the key with the largest estimate seen, so the most frequent key needs no
 * table of keys; `addAll` says where a key became the largest, so the caller can keep a label.
 */
export class MaxCounter {
  /** The counters and the largest key, in the WebAssembly kernel (its loop is this class's). */
  private readonly sketch: CountMinKernel;
  private readonly width: number;
  total = 0;

  constructor(depth = 3, width = 1 << 16) {
    this.sketch = new CountMinKernel(depth, width);
    this.width = width;
  }

  /** The largest estimate of any key so far. */
  get maxCount(): number {
    return this.sketch.maxCount;
  }

  /** The key that reached it (as a signed 32-bit integer). */
  get maxKey(): number {
    return this.sketch.maxKey;
  }

  /**
   * Adds `keys[offset..offset + count)`; returns the last index (from `offset`) whose key then had
   * the largest count (a different key than before, or any key at a count of 1), or -1. Each row
   * uses h1 + r·h2 from one mixed hash of the key (double hashing, Kirsch and Mitzenmacher 2006),
   * which keeps the sketch's error bound with one hash per key instead of one per row.
   */
  addAll(keys: Uint32Array, count: number, offset = 0): number {
    this.total += count;
    return this.sketch.addAll(keys, count, offset);
  }

  /** Bound on the overestimate (holds with probability 1 − 2^-depth). */
  get errorBound(): number {
    return Math.ceil((2 * this.total) / this.width);
  }
}

/** One key of a TopCounter: its count may overestimate the true count by at most `error`. */
export interface TopEntry {
  readonly key: string;
  readonly count: number;
  readonly error: number;
}

/**
 * The most frequent keys of a stream, in bounded memory: a variant of Space-Saving (Metwally et
 * al.) pruned in batches. Exact while at most 2 × `capacity` distinct keys have been seen; past
 * that, when the table holds 2 × `capacity` keys it keeps the `capacity` largest, and a key that
 * arrives later starts from the largest count dropped so far (so counts never underestimate, and
 * overestimate by at most that `error`). Pruning sorts, but only once per `capacity` new keys.
 */
export class TopCounter {
  /** Counts by key, in the order keys came (plain numbers: no object a key). */
  private readonly counts = new Map<string, number>();
  /** The error of each key that arrived after a prune (the floor then); others have none. */
  private readonly errors = new Map<string, number>();
  private floor = 0;
  total = 0;

  constructor(private readonly capacity = 4096) {}

  add(key: string): void {
    this.total += 1;
    const count = this.counts.get(key);
    if (count !== undefined) {
      this.counts.set(key, count + 1);
      return;
    }
    this.counts.set(key, this.floor + 1);
    if (this.floor > 0) this.errors.set(key, this.floor);
    if (this.counts.size >= 2 * this.capacity) this.prune();
  }

  /**
   * Keeps the `capacity` largest counts, ties going to the keys that came first. The cut is found
   * by a numeric sort of the counts alone (no comparator called per pair of entries).
   */
  private prune(): void {
    const counts = new Int32Array(this.counts.size);
    let i = 0;
    for (const count of this.counts.values()) counts[i++] = count;
    counts.sort();
    const cut = counts[counts.length - this.capacity]!;
    let above = 0;
    for (let j = counts.length - 1; j >= 0 && counts[j]! > cut; j--) above++;
    let equalKept = this.capacity - above;
    for (const [key, count] of this.counts) {
      if (count > cut) continue;
      if (count === cut && equalKept > 0) {
        equalKept--;
        continue;
      }
      if (count > this.floor) this.floor = count;
      this.counts.delete(key);
      this.errors.delete(key);
    }
  }

  /** The `n` largest counts, ties broken by key so the order is deterministic. */
  top(n: number): TopEntry[] {
    if (n === 1) {
      // One pass: a report asks for the first only, and sorting thousands of keys took
      // milliseconds at the end of every inspect.
      let best: [string, number] | undefined;
      for (const entry of this.counts)
        if (
          best === undefined ||
          entry[1] > best[1] ||
          (entry[1] === best[1] && entry[0] < best[0])
        )
          best = entry;
      return best === undefined
        ? []
        : [{ key: best[0], count: best[1], error: this.errors.get(best[0]) ?? 0 }];
    }
    return [...this.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n)
      .map(([key, count]) => ({ key, count, error: this.errors.get(key) ?? 0 }));
  }
}
