// AssemblyScript source of the loops `charter inspect` runs over every character or every word
// of a dataset (compiled to WebAssembly by `npm run build:wasm` into src/quality/kernel-binary.ts;
// src/quality/kernel.ts loads it). Each function is the one loop of its caller, step for step:
// - `scan`: TextScanner's word scan of an ASCII text (src/quality/text.ts): word hashes, and the
//   two lanes and length of the exact-duplicate hash. It holds no rules of its own: which byte is
//   a space, a word character or an apostrophe, and its lower case, are in tables that text.ts
//   writes into the first bytes of memory, so the classification lives in one place;
// - `countMin`: MaxCounter's count-min update (src/quality/sketches.ts).
// Memory is laid out by the JavaScript side; nothing here allocates.

/** Class of each ASCII byte (0: other, 1: space, 2: word character, 3: apostrophe). */
const CLASS: usize = 0;
/** Lower case of each ASCII byte. */
const LOWER: usize = 128;
/** Whether a byte after an apostrophe continues the word (`isWordCode(byte | 32)` in text.ts). */
const JOIN: usize = 256;
/** Results besides the word count: the exact hash's two lanes (mixed) and its length. */
const RESULTS: usize = 384;

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
 * Scans the `length` ASCII bytes at `text` (the byte at `text + length` is overwritten with 0);
 * writes each word's hash (FNV-1a of its lower-case bytes, mixed) at `hashes`, one i32 each, and
 * the exact hash at RESULTS; returns the number of words.
 */
export function scan(text: usize, length: i32, hashes: usize): i32 {
  store<u8>(text + length, 0);
  let count = 0;
  let high: i32 = 0x84222325;
  let low: i32 = 0xcbf29ce4;
  let pendingSpace = false;
  let started = false;
  let normalised = 0;
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
    store<i32>(hashes + ((<usize>count) << 2), mix32(word));
    count++;
  }
  store<i32>(RESULTS, mix32(high));
  store<i32>(RESULTS + 4, mix32(low ^ normalised));
  store<i32>(RESULTS + 8, normalised);
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
