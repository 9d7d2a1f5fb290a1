// MinHash signatures against exact Jaccard similarity, LSH collision behaviour, determinism.
import { describe, expect, it } from "vitest";
import {
  DEFAULT_MINHASH,
  MinHasher,
  TextScanner,
  collisionProbability,
  estimateJaccard,
  lshThreshold,
} from "../../src/quality/index.js";
import { binOf, shingleHashes } from "../../src/quality/minhash.js";
import { lcg, randomText } from "./planted.js";

function shingleSet(text: string): Set<number> {
  const scanner = new TextScanner();
  scanner.scan(text);
  const out = new Uint32Array(scanner.wordCount + 1);
  const count = shingleHashes(scanner, DEFAULT_MINHASH.shingleWords, DEFAULT_MINHASH.seed, out);
  return new Set(out.subarray(0, count));
}

function jaccard(a: Set<number>, b: Set<number>): number {
  let shared = 0;
  for (const value of a) if (b.has(value)) shared++;
  return shared / (a.size + b.size - shared);
}

function signatureOf(hasher: MinHasher, text: string): Uint32Array {
  const scanner = new TextScanner();
  scanner.scan(text);
  return hasher.signature([scanner])!;
}

/** A pair of texts sharing a random share of their words, in the same order. */
function pair(next: () => number): [string, string] {
  const length = 20 + Math.floor(next() * 300);
  const base = randomText(next, length).split(" ");
  const changeRate = next() * 0.5;
  const other = base.map((word) => (next() < changeRate ? randomText(next, 1) : word));
  return [base.join(" "), other.join(" ")];
}

describe("MinHash", () => {
  it("estimates Jaccard similarity within 0.15 on every one of 300 random pairs, 0.035 on average", () => {
    const hasher = new MinHasher();
    const next = lcg(42);
    let total = 0;
    let worst = 0;
    const pairs = 300;
    for (let i = 0; i < pairs; i++) {
      const [a, b] = pair(next);
      const exact = jaccard(shingleSet(a), shingleSet(b));
      const estimate = estimateJaccard(signatureOf(hasher, a), signatureOf(hasher, b));
      const error = Math.abs(estimate - exact);
      total += error;
      worst = Math.max(worst, error);
    }
    if (process.env.MINHASH_VERBOSE) console.log({ worst, mean: total / pairs });
    expect(worst).toBeLessThanOrEqual(0.15);
    expect(total / pairs).toBeLessThanOrEqual(0.035);
  });

  it("gives equal texts equal signatures, and the same signature for the same seed", () => {
    const text = randomText(lcg(1), 50);
    const first = signatureOf(new MinHasher(), text);
    expect(signatureOf(new MinHasher(), text)).toEqual(first);
    expect(signatureOf(new MinHasher({ ...DEFAULT_MINHASH, seed: 2 }), text)).not.toEqual(first);
  });

  it("puts the 14 × 8 threshold at 0.72 with the S-curve documented", () => {
    expect(lshThreshold(DEFAULT_MINHASH)).toBeCloseTo(0.719, 3);
    expect(collisionProbability(DEFAULT_MINHASH, 0.5)).toBeCloseTo(0.0533, 3);
    expect(collisionProbability(DEFAULT_MINHASH, 0.8)).toBeGreaterThan(0.92);
    expect(collisionProbability(DEFAULT_MINHASH, 0.9)).toBeCloseTo(0.9996, 4);
  });
});

describe("binOf", () => {
  it("is ⌊hash × size / 2^32⌋ for every size, in integers below 2^16", () => {
    const next = lcg(11);
    const hashes = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffff, 0x10000];
    for (let i = 0; i < 4_000; i++) hashes.push(Math.floor(next() * 4294967296) | 0);
    for (const size of [1, 7, 112, 1000, 65_535, 65_536, 1 << 20])
      for (const hash of hashes)
        expect(binOf(hash, size)).toBe(Math.floor(((hash >>> 0) * size) / 4294967296));
  });
});
