// AssemblyScript source of the loops `charter inspect` runs over every character or every word
// of a dataset (compiled to WebAssembly by `npm run build:wasm` into src/quality/kernel-binary.ts;
// src/quality/kernel.ts loads it). Each function is the one loop of its caller, step for step:
// - `scan`: TextScanner's word scan of an ASCII text (src/quality/text.ts): word hashes, and the
//   two lanes and length of the exact-duplicate hash. It holds no rules of its own: which byte is
//   a space, a word character or an apostrophe, and its lower case, are in tables that text.ts
//   writes into the first bytes of memory, so the classification lives in one place;
// - `countMin`: MaxCounter's count-min update (src/quality/sketches.ts);
// - `addWords`, `addBigrams`: a response set's distinct words (per reply and set-wide) and
//   distinct bigrams (SetCounts in src/quality/set-words.ts).
// Memory is laid out by the JavaScript side; nothing here allocates.

/** Class of each ASCII byte (0: other, 1: space, 2: word character, 3: apostrophe). */
const CLASS: usize = 0;
/** Lower case of each ASCII byte. */
const LOWER: usize = 128;
/** Whether a byte after an apostrophe continues the word (`isWordCode(byte | 32)` in text.ts). */
const JOIN: usize = 256;
/**
 * Results besides the word count: the exact hash's two lanes (mixed), its length, and the first
 * word whose hash is in ANCHORS (the word count if none).
 */
const RESULTS: usize = 384;
/** A bit per value of a hash's low 16 bits: the anchor words of the phrase lists (phrases.ts). */
const ANCHORS: usize = 1024;

const SPACE = 1;
const WORD = 2;
const QUOTE = 3;

/** The murmur3 finaliser (text.ts `mix32`). */
function mix32(value: i32): i32 {
  let h = value;
  h = (h ^ (h >>> 16)) * 0x85ebca6b;
  h = (h ^ (h >>> 13)) * 0xc2b2ae35;
  return h ^ (h >>> 16);
}

/**
 * Scans the `length` ASCII bytes at `text`; writes each word's hash (FNV-1a of its lower-case bytes, mixed) at `hashes`, one i32 each, and
 * the exact hash and the first word that may be a phrase's anchor at RESULTS; returns the number
 * of words.
 */
export function scan(text: usize, length: i32, hashes: usize): i32 {
  let count = 0;
  let high: i32 = 0x84222325;
  let low: i32 = 0xcbf29ce4;
  let pendingSpace = false;
  let started = false;
  let normalised = 0;
  let anchor = -1;
  let i = 0;
  while (i < length) {
    let code = <i32>load<u8>(text + i);
    const kind = <i32>load<u8>(CLASS + code);
    if (kind == SPACE) {
      if (started) pendingSpace = true;
      i++;
      continue;
    }
    if (pendingSpace) {
      high = (high ^ 32) * 0x01000193;
      low = (low ^ 32) * 0x5bd1e995;
      normalised++;
      pendingSpace = false;
    }
    started = true;
    if (kind != WORD) {
      high = (high ^ code) * 0x01000193;
      low = (low ^ code) * 0x5bd1e995;
      normalised++;
      i++;
      continue;
    }
    let word: i32 = 0x811c9dc5;
    for (;;) {
      code = <i32>load<u8>(LOWER + code);
      word = (word ^ code) * 0x01000193;
      high = (high ^ code) * 0x01000193;
      low = (low ^ code) * 0x5bd1e995;
      normalised++;
      if (++i == length) break;
      code = <i32>load<u8>(text + i);
      const next = <i32>load<u8>(CLASS + code);
      if (next == WORD) continue;
      // An apostrophe between word characters ("don't") belongs to the word.
      if (next == QUOTE && i + 1 < length && load<u8>(JOIN + load<u8>(text + i + 1)) != 0) continue;
      break;
    }
    const hash = mix32(word);
    store<i32>(hashes + ((<usize>count) << 2), hash);
    if (anchor < 0) {
      // (A hash of 0 is looked up as 1, as the phrase matcher keeps it.)
      const key = hash == 0 ? 1 : hash;
      const bits = load<i32>(ANCHORS + ((<usize>((key & 0xffff) >>> 5)) << 2));
      if ((bits & (1 << (key & 31))) != 0) anchor = count;
    }
    count++;
  }
  store<i32>(RESULTS, mix32(high));
  store<i32>(RESULTS + 4, mix32(low ^ normalised));
  store<i32>(RESULTS + 8, normalised);
  store<i32>(RESULTS + 12, anchor < 0 ? count : anchor);
  return count;
}

/**
 * Adds `keys[0..count)` (i32 each) to a count-min sketch of `depth` rows of `mask + 1` i32
 * counters at `counters`, tracking the key with the largest estimate in `state` (i32 maxKey, then
 * i32 maxCount). Returns the last index whose key then became the largest (a different key, or
 * any key at a count of 1), or -1.
 */
export function countMin(
  counters: usize,
  depth: i32,
  mask: i32,
  keys: usize,
  count: i32,
  state: usize,
): i32 {
  let maxKey = load<i32>(state);
  let maxCount = load<i32>(state + 4);
  let last = -1;
  const rowBytes = (<usize>mask + 1) << 2;
  for (let i = 0; i < count; i++) {
    const key = load<i32>(keys + ((<usize>i) << 2));
    // Double hashing (Kirsch and Mitzenmacher 2006): row r uses h1 + r·h2 from one mixed hash.
    const mixed = mix32(key);
    const h1 = mixed & mask;
    const h2 = (mixed >>> 16) | 1;
    const first = counters + ((<usize>h1) << 2);
    let estimate = load<i32>(first) + 1;
    store<i32>(first, estimate);
    let base = counters + rowBytes;
    for (let row = 1; row < depth; row++) {
      const slot = base + ((<usize>((h1 + row * h2) & mask)) << 2);
      const value = load<i32>(slot) + 1;
      store<i32>(slot, value);
      if (value < estimate) estimate = value;
      base += rowBytes;
    }
    if (estimate > maxCount) {
      maxCount = estimate;
      if (key != maxKey || estimate == 1) last = i;
      maxKey = key;
    }
  }
  store<i32>(state, maxKey);
  store<i32>(state + 4, maxCount);
  return last;
}

// A response set's counts (SetCounts in src/quality/set-words.ts): its header, i32 fields at `set`.
/** Replies added so far (the stamp of the current reply's words). */
const REPLY = 0;
/** The set's word table (pairs: word hash, last reply that had it; 0 = empty), or 0 once dropped. */
const WORD_TABLE = 4;
const WORD_MASK = 8;
/** Distinct words so far (while the word table is kept). */
const WORDS = 12;
/** The HyperLogLog registers of the set's words (fed every new word from the start). */
const WORD_SKETCH = 16;
/** A table of pairs for one reply's distinct words, once the word table is dropped. */
const REPLY_TABLE = 20;
const REPLY_MASK = 24;
/** The set's bigram table (hashes; 0 = empty, a hash of 0 is kept as 1), or 0 past the limit. */
const BIGRAM_TABLE = 28;
const BIGRAM_MASK = 32;
const BIGRAMS = 36;
const BIGRAM_SKETCH = 40;
/** Distinct bigrams counted exactly; one more and the table goes. */
const BIGRAM_LIMIT = 44;

/** A HyperLogLog of 2^14 one-byte registers at `registers` (sketches.ts HyperLogLog.add). */
function sketchAdd(registers: usize, hash: i32): void {
  const at = registers + <usize>((<u32>hash) >>> 18);
  const rest = hash << 14;
  const rank = rest == 0 ? 19 : clz(rest) + 1;
  if (rank > <i32>load<u8>(at)) store<u8>(at, <u8>rank);
}

/** Adds one to `field` of the header and returns the new value. */
function bump(set: usize, field: usize): i32 {
  const value = load<i32>(set + field) + 1;
  store<i32>(set + field, value);
  return value;
}

/**
 * Adds one reply's words (`count` i32 hashes at `hashes`) to the set: each new word to the word
 * table and the sketch; returns how many distinct words the reply has. The caller has made room
 * in the table for every word of the reply. Once the table is dropped, every word goes to the
 * sketch and the reply's distinct words are counted in the reply table (room for them made too).
 */
export function addWords(set: usize, hashes: usize, count: i32): i32 {
  const reply = bump(set, REPLY);
  const sketch = <usize>load<i32>(set + WORD_SKETCH);
  const table = <usize>load<i32>(set + WORD_TABLE);
  const own = table != 0;
  const pairs = own ? table : <usize>load<i32>(set + REPLY_TABLE);
  const mask = load<i32>(set + (own ? WORD_MASK : REPLY_MASK));
  let words = 0;
  let distinct = 0;
  for (let i = 0; i < count; i++) {
    const key = load<i32>(hashes + ((<usize>i) << 2));
    if (!own) sketchAdd(sketch, key);
    let slot = key & mask;
    for (;;) {
      const at = pairs + ((<usize>slot) << 3);
      const last = load<i32>(at, 4);
      // The reply table is stamped with reply numbers too: a slot of an earlier reply is free.
      if (own ? last == 0 : last != reply) {
        store<i32>(at, key);
        store<i32>(at, reply, 4);
        distinct++;
        if (own) {
          words++;
          sketchAdd(sketch, key);
        }
        break;
      }
      if (load<i32>(at) == key) {
        if (last != reply) {
          store<i32>(at, reply, 4);
          distinct++;
        }
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  if (own) store<i32>(set + WORDS, load<i32>(set + WORDS) + words);
  return distinct;
}

/** Combines two 32-bit hashes in order (text.ts combine32). */
function combine32(a: i32, b: i32): i32 {
  return mix32((a * 0x9e3779b1) ^ b);
}

/**
 * Writes the `count - 1` bigram hashes of one reply's words (`count` i32 hashes at `hashes`) at
 * `out` and adds them to the set's distinct bigrams: exact in the bigram table (sized by the caller
 * for BIGRAM_LIMIT keys at most half full) up to BIGRAM_LIMIT of them, then in the sketch only (which has had every one from the
 * start, as DistinctCounter's sketch gets the table's keys when it takes over).
 */
export function addBigrams(set: usize, hashes: usize, count: i32, out: usize): void {
  const sketch = <usize>load<i32>(set + BIGRAM_SKETCH);
  let table = <usize>load<i32>(set + BIGRAM_TABLE);
  const mask = load<i32>(set + BIGRAM_MASK);
  const limit = load<i32>(set + BIGRAM_LIMIT);
  let distinct = load<i32>(set + BIGRAMS);
  let previous = count > 0 ? load<i32>(hashes) : 0;
  for (let i = 1; i < count; i++) {
    const word = load<i32>(hashes + ((<usize>i) << 2));
    const bigram = combine32(previous, word);
    previous = word;
    store<i32>(out + ((<usize>(i - 1)) << 2), bigram);
    if (table == 0) {
      sketchAdd(sketch, bigram);
      continue;
    }
    const key = bigram == 0 ? 1 : bigram;
    let slot = key & mask;
    for (;;) {
      const at = table + ((<usize>slot) << 2);
      const held = load<i32>(at);
      if (held == key) break;
      if (held == 0) {
        if (distinct == limit) {
          // One more than the limit: from here on the sketch alone counts.
          table = 0;
          sketchAdd(sketch, key);
          break;
        }
        store<i32>(at, key);
        distinct++;
        sketchAdd(sketch, key);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  store<i32>(set + BIGRAMS, distinct);
  store<i32>(set + BIGRAM_TABLE, <i32>table);
}

/** Moves the used pairs of a word table (`oldMask + 1` pairs) into an empty one. */
export function rehashPairs(old: usize, oldMask: i32, fresh: usize, freshMask: i32): void {
  for (let slot = 0; slot <= oldMask; slot++) {
    const from = old + ((<usize>slot) << 3);
    const last = load<i32>(from, 4);
    if (last == 0) continue;
    const key = load<i32>(from);
    let target = key & freshMask;
    while (load<i32>(fresh + ((<usize>target) << 3), 4) != 0) target = (target + 1) & freshMask;
    const to = fresh + ((<usize>target) << 3);
    store<i32>(to, key);
    store<i32>(to, last, 4);
  }
}
