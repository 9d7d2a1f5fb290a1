// Near-duplicate detection: MinHash signatures over word shingles, banded LSH in compact
// open-addressing tables, and union-find over the rows that share a band. Seeded and
// deterministic: the hash family is derived from the seed by a fixed mixing function, so the same
// input and seed always give the same clusters.

import { combine32, mix32, type TextScanner } from "./text.js";

/** How near duplicates are found; every field is reported in `inspect --json`. */
export interface MinHashParams {
  /** Words per shingle (5). */
  readonly shingleWords: number;
  /** LSH bands (14). */
  readonly bands: number;
  /** Signature values per band (8); the signature has bands × rows values. */
  readonly rows: number;
  /** Seed of the hash family (1). */
  readonly seed: number;
}

export const DEFAULT_MINHASH: MinHashParams = { shingleWords: 5, bands: 14, rows: 8, seed: 1 };

/**
 * The usual approximation of the Jaccard similarity where LSH's S-curve rises steepest:
 * (1/bands)^(1/rows), 0.719 for 14 × 8. A pair at similarity s collides with probability
 * 1 − (1 − s^rows)^bands (14 × 8: 0.05 at 0.5, 0.65 at 0.72, 0.92 at 0.8, 0.9996 at 0.9).
 */
export function lshThreshold(params: MinHashParams): number {
  return Math.pow(1 / params.bands, 1 / params.rows);
}

/** Probability that two texts of Jaccard similarity `similarity` share at least one band. */
export function collisionProbability(params: MinHashParams, similarity: number): number {
  return 1 - Math.pow(1 - Math.pow(similarity, params.rows), params.bands);
}

/**
 * The shingle hashes of a scanned text, into `out`: one per run of `shingleWords` consecutive
 * words (a polynomial rolling hash of the word hashes, then mixed with the seed); a text with
 * fewer words is one shingle of all of them; a text with no words has none. Returns the count.
 */
export function shingleHashes(
  scanner: TextScanner,
  shingleWords: number,
  seed: number,
  out: Uint32Array,
): number {
  const count = scanner.wordCount;
  if (count === 0) return 0;
  const hashes = scanner.wordHashes;
  const width = Math.min(shingleWords, count);
  const base = 0x01000193;
  let top = 1; // base^(width-1), the weight of the word leaving the window
  for (let t = 1; t < width; t++) top = Math.imul(top, base);
  let rolling = 0;
  for (let t = 0; t < width; t++) rolling = (Math.imul(rolling, base) + hashes[t]!) | 0;
  const seedMix = mix32(seed ^ 0x68e31da4);
  let shingles = 0;
  out[shingles++] = mix32(rolling ^ seedMix);
  for (let start = 1; start + width <= count; start++) {
    rolling =
      (Math.imul(rolling - Math.imul(hashes[start - 1]!, top), base) + hashes[start + width - 1]!) |
      0;
    out[shingles++] = mix32(rolling ^ seedMix);
  }
  return shingles;
}

const EMPTY = 0xffffffff;

/**
 * ⌊hash × size / 2^32⌋, the bin of a 32-bit hash (given as its int32 bits). In integers below 2^16
 * bins (the high and low 16 bits times `size` stay exact), where the float form converts twice
 * per shingle.
 */
export function binOf(hash: number, size: number): number {
  if (size >= 0x10000) return Math.floor(((hash >>> 0) * size) / 4294967296);
  return ((hash >>> 16) * size + (((hash & 0xffff) * size) >>> 16)) >>> 16;
}

/**
 * MinHash signatures by one-permutation hashing with optimal densification (Li, Owen and Zhang
 * 2012; Shrivastava 2017): each shingle is hashed once; the hash's top bits pick one of the
 * bands × rows bins and the bin keeps its smallest hash. An empty bin (texts with fewer shingles
 * than bins) copies the bin found by probing a seeded sequence of bins, the same sequence for
 * every text, so equal sets still get equal signatures and P(equal value) stays the Jaccard
 * similarity. One hash per shingle instead of one per shingle and bin: 112 times less work than
 * classic MinHash at 14 × 8.
 */
export class MinHasher {
  readonly size: number;
  private shingles = new Uint32Array(1024);
  private readonly filled: Uint8Array;

  constructor(readonly params: MinHashParams = DEFAULT_MINHASH) {
    this.size = params.bands * params.rows;
    this.filled = new Uint8Array(this.size);
  }

  /**
   * The signature of the union of the scanned texts' shingles (no shingle spans two texts), or
   * undefined when none of them has a word.
   */
  signature(parts: readonly TextScanner[], into?: Uint32Array): Uint32Array | undefined {
    let needed = 1;
    for (const part of parts) needed += part.wordCount;
    if (needed > this.shingles.length) this.shingles = new Uint32Array(needed);
    let count = 0;
    for (const part of parts)
      count += shingleHashes(
        part,
        this.params.shingleWords,
        this.params.seed,
        this.shingles.subarray(count),
      );
    if (count === 0) return undefined;
    const size = this.size;
    const signature = into ?? new Uint32Array(size);
    signature.fill(EMPTY);
    const filled = this.filled;
    filled.fill(0);
    // Without branches: whether a shingle lowers its bin's value is a coin toss, and mispredicted
    // branches cost more than the stores.
    const shingles = this.shingles;
    for (let s = 0; s < count; s++) {
      const hash = shingles[s]! | 0;
      const bin = binOf(hash, size);
      filled[bin] = 1;
      signature[bin] = Math.min(signature[bin]!, hash >>> 0);
    }
    let bins = 0;
    for (let bin = 0; bin < size; bin++) bins += filled[bin]!;
    if (bins < size) {
      const seed = this.params.seed;
      for (let bin = 0; bin < size; bin++) {
        if (filled[bin] === 1) continue;
        for (let attempt = 1; ; attempt++) {
          const donor = Math.floor(
            (mix32(Math.imul(bin + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b) ^ seed) * size) /
              4294967296,
          );
          if (filled[donor] === 1) {
            signature[bin] = signature[donor]!;
            break;
          }
        }
      }
    }
    return signature;
  }
}

/** The share of equal values of two signatures: the MinHash estimate of their Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let equal = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) equal++;
  return equal / a.length;
}

/**
 * A map from a 48-bit key (a 32-bit `home` hash choosing the slot and 16 bits of a second hash,
 * the `fingerprint`) to the first row that had it: three typed arrays, 10 bytes a slot, linear
 * probing, grown by half past 85% full. Two keys are taken as equal when all 48 bits agree: about
 * one false match in 10^14 slots compared. The capacity need not be a power of
 * two, so a table sized from an estimate of the row count wastes little (13 bytes per key at the
 * sizing's 77% load).
 */
export class FirstRowTable {
  private homes: Uint32Array;
  private fingerprints: Uint16Array;
  private rowsPlusOne: Int32Array;
  private count = 0;

  constructor(expectedKeys = 1024) {
    // Sized for about 77% load at the expected count, so a good estimate never grows the table.
    const capacity = Math.max(16, Math.ceil(expectedKeys * 1.3));
    this.homes = new Uint32Array(capacity);
    this.fingerprints = new Uint16Array(capacity);
    this.rowsPlusOne = new Int32Array(capacity);
  }

  get bytes(): number {
    return this.homes.byteLength + this.fingerprints.byteLength + this.rowsPlusOne.byteLength;
  }

  get size(): number {
    return this.count;
  }

  /** The row recorded for this key, or -1 (recording nothing). */
  lookup(signedHome: number, fingerprint: number): number {
    // Keys may come as signed int32 (`| 0`), which V8 passes unboxed; compared as uint32 here.
    const home = signedHome >>> 0;
    const capacity = this.rowsPlusOne.length;
    let slot = slotOf(home, capacity);
    for (;;) {
      const held = this.rowsPlusOne[slot]!;
      if (held === 0) return -1;
      if (this.homes[slot] === home && this.fingerprints[slot] === (fingerprint & 0xffff))
        return held - 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
  }

  /** The row that first had this key, or -1 after recording `row` as the first. */
  firstOrAdd(signedHome: number, fingerprint: number, row: number): number {
    const home = signedHome >>> 0;
    const capacity = this.rowsPlusOne.length;
    let slot = slotOf(home, capacity);
    for (;;) {
      const held = this.rowsPlusOne[slot]!;
      if (held === 0) break;
      if (this.homes[slot] === home && this.fingerprints[slot] === (fingerprint & 0xffff))
        return held - 1;
      slot = slot + 1 === capacity ? 0 : slot + 1;
    }
    this.homes[slot] = home;
    this.fingerprints[slot] = fingerprint & 0xffff;
    this.rowsPlusOne[slot] = row + 1;
    this.count += 1;
    if (this.count * 20 > capacity * 17) this.grow();
    return -1;
  }

  private grow(): void {
    const { homes, fingerprints, rowsPlusOne } = this;
    const capacity = Math.ceil(rowsPlusOne.length * 1.5);
    this.homes = new Uint32Array(capacity);
    this.fingerprints = new Uint16Array(capacity);
    this.rowsPlusOne = new Int32Array(capacity);
    for (let i = 0; i < rowsPlusOne.length; i++) {
      const held = rowsPlusOne[i]!;
      if (held === 0) continue;
      let slot = slotOf(homes[i]!, capacity);
      while (this.rowsPlusOne[slot] !== 0) slot = slot + 1 === capacity ? 0 : slot + 1;
      this.homes[slot] = homes[i]!;
      this.fingerprints[slot] = fingerprints[i]!;
      this.rowsPlusOne[slot] = held;
    }
  }
}

/** A 32-bit hash scaled onto [0, capacity) (Lemire's multiply-shift range reduction). */
function slotOf(home: number, capacity: number): number {
  return Math.floor((home * capacity) / 4294967296);
}

/**
 * Union-find over row numbers 0, 1, 2, ... (path halving; the smaller row becomes the root, so a
 * component's root is its first row). 4 bytes a row.
 */
export class RowComponents {
  private parents = new Int32Array(1024);
  rows = 0;

  /** Registers rows up to `row` (each its own component). */
  ensure(row: number): void {
    if (row >= this.parents.length) {
      let capacity = this.parents.length;
      while (capacity <= row) capacity *= 2;
      const grown = new Int32Array(capacity);
      grown.set(this.parents);
      this.parents = grown;
    }
    for (let r = this.rows; r <= row; r++) this.parents[r] = r;
    if (row + 1 > this.rows) this.rows = row + 1;
  }

  find(row: number): number {
    const parents = this.parents;
    let r = row;
    while (parents[r] !== r) {
      const grand = parents[parents[r]!]!;
      parents[r] = grand;
      r = grand;
    }
    return r;
  }

  union(a: number, b: number): void {
    const rootA = this.find(a);
    const rootB = this.find(b);
    if (rootA === rootB) return;
    if (rootA < rootB) this.parents[rootB] = rootA;
    else this.parents[rootA] = rootB;
  }

  get bytes(): number {
    return this.parents.byteLength;
  }
}

/**
 * Banded LSH over MinHash signatures: one FirstRowTable per band; a row whose band equals an
 * earlier row's band is joined to it in `components`. Rows are numbered by the caller.
 */
export class LshIndex {
  private readonly tables: FirstRowTable[];
  /** Each band's key of the row being added. */
  private readonly homes: Int32Array;
  private readonly fingerprints: Int32Array;

  constructor(
    readonly params: MinHashParams,
    readonly components: RowComponents,
    expectedRows = 1024,
  ) {
    this.tables = Array.from({ length: params.bands }, () => new FirstRowTable(expectedRows));
    this.homes = new Int32Array(params.bands);
    this.fingerprints = new Int32Array(params.bands);
  }

  /** Adds a row's signature; returns the earliest row met in any band, or -1. */
  add(row: number, signature: Uint32Array): number {
    const { bands, rows } = this.params;
    const { homes, fingerprints } = this;
    this.components.ensure(row);
    // Every band's key first, then the lookups: the tables are larger than the CPU's caches, and
    // lookups that do not wait on hashing in between can wait on memory side by side.
    for (let band = 0; band < bands; band++) {
      let home = 0x9747b28c ^ band;
      // The fingerprint is a polynomial of the band's values (one multiply a value), mixed once:
      // it only has to tell apart bands whose 32-bit homes already collide.
      let fingerprint = 0x2545f491 ^ band;
      for (let i = band * rows; i < (band + 1) * rows; i++) {
        const value = signature[i]! | 0;
        home = combine32(home, value) | 0;
        fingerprint = (Math.imul(fingerprint, 0x01000193) + value) | 0;
      }
      homes[band] = home;
      fingerprints[band] = mix32(fingerprint) | 0;
    }
    let earliest = -1;
    for (let band = 0; band < bands; band++) {
      const first = this.tables[band]!.firstOrAdd(homes[band]!, fingerprints[band]!, row);
      if (first >= 0) {
        this.components.union(row, first);
        if (earliest < 0 || first < earliest) earliest = first;
      }
    }
    return earliest;
  }

  /** Bytes held by the band tables. */
  get bytes(): number {
    return this.tables.reduce((sum, table) => sum + table.bytes, 0);
  }
}
