// The words and bigrams of one response set: how many distinct words the whole set has
// (distinct-1) and each reply has (vocabulary per reply), and how many distinct bigrams it has
// (distinct-2). The loops run in the WebAssembly kernel (`addWords`, `addBigrams` in
// assembly/quality-kernel.ts): one table lookup per word serves both word counts, one per bigram
// the bigram count. This class sizes the tables and decides when they give way to sketches.

import { SET_FIELD, SetKernel } from "./kernel.js";
import { mergeDistinct, type DistinctPartial } from "./sketches.js";

/** Distinct words counted exactly up to here, then estimated (HyperLogLog, ≈ 0.8% error). */
const EXACT_WORDS = 1 << 16;
/** The set's word table is kept up to here; past it, each reply's words go to a table of its own. */
const TABLE_WORDS = 1 << 18;
/** Distinct bigrams counted exactly up to here, then estimated. */
const EXACT_BIGRAMS = 1 << 16;
const SKETCH_BYTES = 1 << 14;

/**
 * A response set's word and bigram counts. The word table holds each word with the number of the
 * last reply it was in: a word found with an older number is new to this reply, a word not found
 * is new to the set. Each new word also goes to a HyperLogLog, which takes over the set-wide count
 * past 65,536 words. Past 262,144 words (4 MiB of table) the table goes: per-reply counts move to
 * a table stamped per reply, and every word goes to the HyperLogLog, so memory stays bounded
 * whatever the vocabulary. Bigrams: exact in a table up to 65,536, then in their HyperLogLog
 * (which has had every bigram from the start). A sketch's registers depend only on the set of keys
 * it was fed, so the counts are those of one counter fed everything, however the stream was cut.
 */
export class SetCounts {
  private readonly kernel = new SetKernel();
  /**
   * Pairs of the word table (0 once dropped), of the per-reply table, slots of the bigram table.
   * The bigram table has from the start the size the exact count can ever need (65,536 keys at
   * most half full: 512 KiB), and the word table a quarter of a typical vocabulary's, so a pass
   * spends little time moving tables (moving them as they doubled from 1,024 took 2–3 ms a set on
   * the bench's 20,000 replies); pages of the kernel's memory no key reached cost nothing.
   */
  private wordPairs = 1 << 14;
  private replyPairs = 0;
  private readonly bigramSlots = 2 * EXACT_BIGRAMS;

  constructor() {
    const kernel = this.kernel;
    const words = kernel.allocate(8 * this.wordPairs);
    const bigrams = kernel.allocate(4 * this.bigramSlots);
    const header = kernel.header;
    header[SET_FIELD.wordTable] = words;
    header[SET_FIELD.wordMask] = this.wordPairs - 1;
    header[SET_FIELD.bigramTable] = bigrams;
    header[SET_FIELD.bigramMask] = this.bigramSlots - 1;
    header[SET_FIELD.bigramLimit] = EXACT_BIGRAMS;
  }

  /**
   * Adds one reply's words (`hashes[0..count)`); writes its `count - 1` bigram hashes to
   * `keys[offset..]`; returns how many distinct words the reply has.
   */
  addReply(hashes: Uint32Array, count: number, keys: Uint32Array, offset: number): number {
    const kernel = this.kernel;
    kernel.reserveWords(count);
    this.prepareWords(count);
    // (Views are taken after the tables have room: making room may grow the memory.)
    kernel.input.set(hashes.subarray(0, count));
    const distinct = kernel.addWords(count);
    if (count > 1) {
      kernel.addBigrams(count);
      keys.set(kernel.output.subarray(0, count - 1), offset);
    }
    return distinct;
  }

  /** The set's distinct words so far, to merge with other parts of the stream. */
  wordsPartial(): DistinctPartial {
    const header = this.kernel.header;
    if (this.wordsEstimated)
      return { registers: this.kernel.copy(header[SET_FIELD.wordSketch]!, SKETCH_BYTES) };
    const pairs = this.kernel.int32s(header[SET_FIELD.wordTable]!, 2 * this.wordPairs);
    const keys = new Uint32Array(header[SET_FIELD.words]!);
    let i = 0;
    for (let slot = 0; slot < pairs.length; slot += 2)
      if (pairs[slot + 1] !== 0) keys[i++] = pairs[slot]!;
    return { keys };
  }

  /** The set's distinct bigrams so far, likewise. */
  bigramsPartial(): DistinctPartial {
    const header = this.kernel.header;
    const table = header[SET_FIELD.bigramTable]!;
    if (table === 0)
      return { registers: this.kernel.copy(header[SET_FIELD.bigramSketch]!, SKETCH_BYTES) };
    const slots = this.kernel.int32s(table, this.bigramSlots);
    const keys = new Uint32Array(header[SET_FIELD.bigrams]!);
    let i = 0;
    for (const key of slots) if (key !== 0) keys[i++] = key;
    return { keys };
  }

  /** Whether the set-wide word count is the sketch's estimate. */
  get wordsEstimated(): boolean {
    return this.wordPairs === 0 || this.kernel.header[SET_FIELD.words]! > EXACT_WORDS;
  }

  /** Distinct words of the set (exact up to 65,536). */
  get distinctWords(): number {
    return mergeDistinct([this.wordsPartial()]).size;
  }

  /** Distinct bigrams of the set, and whether the count is estimated. */
  get distinctBigrams(): { readonly size: number; readonly estimated: boolean } {
    return mergeDistinct([this.bigramsPartial()]);
  }

  /** Room in the word table for every word of the next reply (or the table goes). */
  private prepareWords(count: number): void {
    const kernel = this.kernel;
    if (this.wordPairs > 0) {
      const words = kernel.header[SET_FIELD.words]!;
      if (words + count > TABLE_WORDS && words > EXACT_WORDS) {
        kernel.header[SET_FIELD.wordTable] = 0;
        this.wordPairs = 0;
      } else if ((words + count) * 2 > this.wordPairs) {
        let pairs = this.wordPairs;
        while ((words + count) * 2 > pairs) pairs *= 2;
        this.moveTable(this.wordPairs, pairs);
        this.wordPairs = pairs;
      }
    }
    if (this.wordPairs === 0 && this.replyPairs < 2 * count) {
      let pairs = Math.max(this.replyPairs, 512);
      while (pairs < 2 * count) pairs *= 2;
      const table = kernel.allocate(8 * pairs);
      kernel.header[SET_FIELD.replyTable] = table;
      kernel.header[SET_FIELD.replyMask] = pairs - 1;
      this.replyPairs = pairs;
    }
  }

  /** Moves the word table into a new one of `larger` pairs, and points the header to it. */
  private moveTable(size: number, larger: number): void {
    const kernel = this.kernel;
    const fresh = kernel.allocate(8 * larger);
    const header = kernel.header;
    kernel.rehashPairs(header[SET_FIELD.wordTable]!, size - 1, fresh, larger - 1);
    header[SET_FIELD.wordTable] = fresh;
    header[SET_FIELD.wordMask] = larger - 1;
  }
}
