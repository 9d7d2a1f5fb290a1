// Compact duplicate-id detection for streamed inputs: a 64-bit hash and a line number per id in
// typed arrays (16-32 bytes per id), so a million-row file costs megabytes, not a string per row.

/** Writes a 64-bit hash of `id` into `out` as two unsigned 32-bit halves: out[0] high, out[1] low. */
export type IdHash = (id: string, out: Uint32Array) => void;

/**
 * 64-bit FNV-1a over the UTF-8 bytes of `id`, computed in 32-bit halves (no BigInt: fast).
 *
 * @example
 * const out = new Uint32Array(2); fnv1a64("x", out);
 */
export function fnv1a64(id: string, out: Uint32Array): void {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    if (code >= 0x80) {
      // Rare: hash the rest byte by byte from its UTF-8 encoding.
      const rest = Buffer.from(id.slice(i), "utf8");
      for (const byte of rest) {
        lo = (lo ^ byte) >>> 0;
        const low = lo * 0x1b3;
        hi = (Math.imul(hi, 0x1b3) + (lo << 8) + ((low / 0x100000000) | 0)) >>> 0;
        lo = low >>> 0;
      }
      break;
    }
    // h * 0x100000001b3 mod 2^64, with 0x100000001b3 = 2^40 + 0x1b3 (low * 0x1b3 < 2^41: exact).
    lo = (lo ^ code) >>> 0;
    const low = lo * 0x1b3;
    hi = (Math.imul(hi, 0x1b3) + (lo << 8) + ((low / 0x100000000) | 0)) >>> 0;
    lo = low >>> 0;
  }
  out[0] = hi;
  out[1] = lo;
}

export interface IdRegistryOptions {
  /** The hash of an id (default fnv1a64); tests inject a colliding one. */
  readonly hash?: IdHash;
  /** Slots to start with, rounded up to a power of two (default 1024). */
  readonly initialCapacity?: number;
}

// Each slot is three words: hash high, hash low, line (0 = empty: lines are 1-based).
const WORDS = 3;

/**
 * The ids of an input seen so far, by hash and line, in an open-addressing table (linear probing,
 * doubled past 3/4 full). A hash match is only a candidate: the reader re-reads that line and
 * compares ids (`confirm`), so a duplicate is never reported falsely and never missed.
 *
 * @example
 * const seen = new IdRegistry();
 * const earlier = seen.add(id, line);
 * const first = earlier === undefined ? undefined : await seen.confirm(id, line, idAtLine);
 * if (first !== undefined) throw new Error(`line ${line} repeats id '${id}' of line ${first}`);
 */
export class IdRegistry {
  private readonly hash: IdHash;
  private readonly scratch = new Uint32Array(2);
  private table: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(options: IdRegistryOptions = {}) {
    this.hash = options.hash ?? fnv1a64;
    let capacity = 16;
    while (capacity < (options.initialCapacity ?? 1024)) capacity *= 2;
    this.table = new Uint32Array(capacity * WORDS);
    this.mask = capacity - 1;
  }

  /** How many ids are held. */
  get size(): number {
    return this.count;
  }

  /** Bytes of the table: the registry's whole memory, apart from a few fixed fields. */
  get byteLength(): number {
    return this.table.byteLength;
  }

  /**
   * Records `id` at `line` and returns undefined, or, if an id with the same hash is held,
   * records nothing and returns that id's line: then call `confirm`.
   */
  add(id: string, line: number): number | undefined {
    this.hash(id, this.scratch);
    const hi = this.scratch[0] ?? 0;
    const lo = this.scratch[1] ?? 0;
    const slot = this.find(hi, lo, this.home(hi, lo), true);
    const found = this.lineAt(slot);
    if (found !== 0) return found;
    this.put(slot, hi, lo, line);
    return undefined;
  }

  /**
   * After `add` returned a line: the line of the earlier row whose id really is `id` (each row
   * with the same hash is re-read through `idAtLine`), or undefined after recording `id` at `line`
   * when every match was a hash collision.
   */
  async confirm(
    id: string,
    line: number,
    idAtLine: (line: number) => Promise<string | undefined>,
  ): Promise<number | undefined> {
    this.hash(id, this.scratch);
    const hi = this.scratch[0] ?? 0;
    const lo = this.scratch[1] ?? 0;
    // Collect the candidates first: the table may not change while we await.
    const candidates: number[] = [];
    let slot = this.find(hi, lo, this.home(hi, lo), true);
    for (let found = this.lineAt(slot); found !== 0; found = this.lineAt(slot)) {
      candidates.push(found);
      slot = this.find(hi, lo, (slot + 1) & this.mask, true);
    }
    for (const earlier of candidates.sort((a, b) => a - b)) {
      if ((await idAtLine(earlier)) === id) return earlier;
    }
    this.put(this.find(hi, lo, this.home(hi, lo), false), hi, lo, line);
    return undefined;
  }

  private lineAt(slot: number): number {
    return this.table[slot * WORDS + 2] ?? 0;
  }

  /**
   * The first slot from `slot` on that is empty or, with `matching`, holds this hash (without it:
   * the empty slot where a colliding id goes after its namesakes).
   */
  private find(hi: number, lo: number, slot: number, matching: boolean): number {
    const table = this.table;
    for (;;) {
      const base = slot * WORDS;
      if (table[base + 2] === 0) return slot;
      if (matching && table[base] === hi && table[base + 1] === lo) return slot;
      slot = (slot + 1) & this.mask;
    }
  }

  /** The home slot: Fibonacci hashing of both halves, so no bit pattern of the hash clusters. */
  private home(hi: number, lo: number): number {
    return (Math.imul(hi ^ Math.imul(lo, 0x85ebca6b), 0x9e3779b1) >>> 0) & this.mask;
  }

  private put(slot: number, hi: number, lo: number, line: number): void {
    // 0 marks an empty slot, and a line must fit the table's 32-bit words.
    if (!Number.isInteger(line) || line < 1 || line > 0xffffffff)
      throw new RangeError(`line must be an integer from 1 to 2^32-1, got ${line}`);
    const base = slot * WORDS;
    this.table[base] = hi;
    this.table[base + 1] = lo;
    this.table[base + 2] = line;
    this.count += 1;
    if (this.count * 4 > (this.mask + 1) * 3) this.grow();
  }

  private grow(): void {
    const old = this.table;
    const capacity = (this.mask + 1) * 2;
    this.table = new Uint32Array(capacity * WORDS);
    this.mask = capacity - 1;
    for (let base = 0; base < old.length; base += WORDS) {
      const line = old[base + 2] ?? 0;
      if (line === 0) continue;
      const hi = old[base] ?? 0;
      const lo = old[base + 1] ?? 0;
      const to = this.find(hi, lo, this.home(hi, lo), false) * WORDS;
      this.table[to] = hi;
      this.table[to + 1] = lo;
      this.table[to + 2] = line;
    }
  }
}

/**
 * The row of `rows` numbered `line`, reading no further (the file is closed), or undefined: how a
 * reader fetches the earlier row for `IdRegistry.confirm`.
 *
 * @example
 * const row = await rowAtLine(readJsonLines(file), 12);
 */
export async function rowAtLine<T extends { readonly line: number }>(
  rows: AsyncIterable<T>,
  line: number,
): Promise<T | undefined> {
  for await (const row of rows) {
    if (row.line === line) return row;
    if (row.line > line) return undefined;
  }
  return undefined;
}
