// The words of one response set: how many distinct words the whole set has (distinct-1) and how
// many each reply has (vocabulary per reply), from one table lookup per word instead of one in a
// set-wide counter and another in a per-reply table.

import { HyperLogLog, type DistinctPartial } from "./sketches.js";

/** Distinct words counted exactly up to here (as DistinctCounter does), then estimated. */
const EXACT_WORDS = 1 << 16;
/** The table keeps per-reply counts in one lookup up to here; past it, a per-reply table does. */
const TABLE_WORDS = 1 << 18;

/** Distinct words of one reply, counted in a reusable table stamped per reply. */
class ReplyVocabulary {
  private keys = new Uint32Array(512);
  private stamps = new Uint32Array(512);
  private stamp = 0;

  count(hashes: Uint32Array, count: number): number {
    const needed = count * 2;
    if (needed > this.keys.length) {
      let size = this.keys.length;
      while (size < needed) size *= 2;
      this.keys = new Uint32Array(size);
      this.stamps = new Uint32Array(size);
    }
    this.stamp++;
    const { keys, stamps, stamp } = this;
    const mask = keys.length - 1;
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      const key = hashes[i]!;
      let slot = key & mask;
      for (;;) {
        if (stamps[slot] !== stamp) {
          stamps[slot] = stamp;
          keys[slot] = key;
          distinct++;
          break;
        }
        if (keys[slot] === key) break;
        slot = (slot + 1) & mask;
      }
    }
    return distinct;
  }
}

/**
 * Word hashes of a response set in one open-addressing table, each slot holding a word and the
 * number of the last reply it was in (0: an empty slot): a word found with an older number is new
 * to this reply, a word not found is new to the set. Distinct words are exact up to 65,536, then
 * continue in a HyperLogLog (standard error ≈ 0.8%), fed each word once. Past 262,144 words (4 MiB
 * of table) the table goes: per-reply counts move to a table cleared per reply and every word
 * goes to the HyperLogLog, so memory stays bounded whatever the vocabulary.
 */
export class SetWords {
  /** Pairs (word hash, last reply number) per slot; a power of two pairs, at most half full. */
  private table: Int32Array | undefined = new Int32Array(2 * 1024);
  private words = 0;
  private reply = 0;
  private sketch: HyperLogLog | undefined;
  private perReply: ReplyVocabulary | undefined;

  /** Adds one reply's words (`hashes[0..count)`); returns how many distinct words it has. */
  addReply(hashes: Uint32Array, count: number): number {
    this.reply++;
    // (A reply longer than the table's bound still goes in while the count is exact.)
    if (this.table !== undefined && this.words + count > TABLE_WORDS && this.words > EXACT_WORDS)
      this.dropTable();
    const table = this.table;
    if (table === undefined) {
      for (let i = 0; i < count; i++) this.sketch!.add(hashes[i]!);
      return this.perReply!.count(hashes, count);
    }
    // Room for every word of the reply, so the table never grows inside the loop.
    if ((this.words + count) * 4 > table.length) return this.grow(hashes, count);
    const reply = this.reply;
    const mask = (table.length >> 1) - 1;
    let distinct = 0;
    for (let i = 0; i < count; i++) {
      const key = hashes[i]! | 0;
      let slot = key & mask;
      for (;;) {
        const last = table[2 * slot + 1]!;
        if (last === 0) {
          table[2 * slot] = key;
          table[2 * slot + 1] = reply;
          distinct++;
          this.added(key);
          break;
        }
        if (table[2 * slot] === key) {
          if (last !== reply) {
            table[2 * slot + 1] = reply;
            distinct++;
          }
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return distinct;
  }

  get distinct(): number {
    return this.sketch === undefined ? this.words : this.sketch.estimate;
  }

  get estimated(): boolean {
    return this.sketch !== undefined;
  }

  /** The set's words so far, to merge with other parts of the stream (`mergeDistinct`). */
  partial(): DistinctPartial {
    if (this.sketch !== undefined) return { registers: this.sketch.registers };
    const table = this.table!;
    const keys = new Uint32Array(this.words);
    let i = 0;
    for (let slot = 0; slot < table.length; slot += 2)
      if (table[slot + 1] !== 0) keys[i++] = table[slot]!;
    return { keys };
  }

  /** A word new to the set. */
  private added(key: number): void {
    this.words++;
    if (this.sketch !== undefined) this.sketch.add(key);
    else if (this.words > EXACT_WORDS) {
      this.sketch = new HyperLogLog();
      const table = this.table!;
      for (let slot = 0; slot < table.length; slot += 2)
        if (table[slot + 1] !== 0) this.sketch.add(table[slot]!);
    }
  }

  /** Doubles the table, then adds the reply (counted again as it was not yet added). */
  private grow(hashes: Uint32Array, count: number): number {
    const old = this.table!;
    let pairs = old.length;
    while ((this.words + count) * 4 > pairs * 2) pairs *= 2;
    const table = new Int32Array(pairs * 2);
    const mask = pairs - 1;
    for (let slot = 0; slot < old.length; slot += 2) {
      if (old[slot + 1] === 0) continue;
      let target = old[slot]! & mask;
      while (table[2 * target + 1] !== 0) target = (target + 1) & mask;
      table[2 * target] = old[slot]!;
      table[2 * target + 1] = old[slot + 1]!;
    }
    this.table = table;
    this.reply--;
    return this.addReply(hashes, count);
  }

  private dropTable(): void {
    const table = this.table!;
    if (this.sketch === undefined) {
      this.sketch = new HyperLogLog();
      for (let slot = 0; slot < table.length; slot += 2)
        if (table[slot + 1] !== 0) this.sketch.add(table[slot]!);
    }
    this.table = undefined;
    this.perReply = new ReplyVocabulary();
  }
}
