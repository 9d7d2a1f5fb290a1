// SetCounts (its loops in the WebAssembly kernel) against plain counting written here: per-reply
// distinct words exact in every mode; the set-wide words and bigrams exact up to 65,536, then the
// HyperLogLog of every key (as a sketch fed all of them gives it), before and after the word table
// gives way to its bounded fallback; the bigram hashes written where asked.
import { describe, expect, it } from "vitest";
import { SetCounts } from "../../src/quality/set-words.js";
import { HyperLogLog } from "../../src/quality/sketches.js";
import { combine32, mix32 } from "../../src/quality/text.js";
import { lcg } from "./planted.js";

/** Replies of `length` word hashes drawn from `vocabulary` words (word k hashes to mix32(k + 1)). */
function replies(count: number, length: number, vocabulary: number, seed: number): Uint32Array[] {
  const next = lcg(seed);
  return Array.from({ length: count }, () =>
    Uint32Array.from({ length }, () => mix32(Math.floor(next() * vocabulary) + 1)),
  );
}

/** The distinct count of a set of keys: exact up to 65,536, else a HyperLogLog fed each once. */
function reference(keys: Set<number>): { size: number; estimated: boolean } {
  if (keys.size <= 1 << 16) return { size: keys.size, estimated: false };
  const sketch = new HyperLogLog();
  for (const key of keys) sketch.add(key);
  return { size: sketch.estimate, estimated: true };
}

function check(all: Uint32Array[]): SetCounts {
  const counts = new SetCounts();
  const words = new Set<number>();
  const bigrams = new Set<number>();
  const out = new Uint32Array(5000);
  let wrongBigrams = 0;
  for (const reply of all) {
    expect(counts.addReply(reply, reply.length, out, 7)).toBe(new Set(reply).size);
    for (let i = 1; i < reply.length; i++) {
      const bigram = combine32(reply[i - 1]! | 0, reply[i]! | 0);
      if (out[7 + i - 1] !== bigram) wrongBigrams++;
      bigrams.add(bigram === 0 ? 1 : bigram);
    }
    for (const word of reply) words.add(word);
  }
  expect(wrongBigrams).toBe(0);
  const expectedWords = reference(words);
  expect([counts.distinctWords, counts.wordsEstimated]).toEqual([
    expectedWords.size,
    expectedWords.estimated,
  ]);
  expect(counts.distinctBigrams).toEqual(reference(bigrams));
  return counts;
}

describe("SetCounts", () => {
  it("counts a small set exactly", () => {
    const counts = check(replies(200, 50, 1000, 1));
    expect(counts.wordsEstimated).toBe(false);
    expect(counts.distinctBigrams.estimated).toBe(false);
  });

  it("switches to the estimates past 65,536 words and bigrams", () => {
    const counts = check(replies(400, 400, 120_000, 2));
    expect(counts.wordsEstimated).toBe(true);
    expect(counts.distinctBigrams.estimated).toBe(true);
  });

  it("stays exact per reply past the word table's bound, with the same estimate", () => {
    check(replies(700, 800, 2_000_000, 3));
  });

  it("takes a reply longer than its buffers, and one word or none", () => {
    check([...replies(3, 1, 10, 4), new Uint32Array(0), ...replies(2, 4000, 100_000, 5)]);
  });
});
