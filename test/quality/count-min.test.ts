// MaxCounter (its loop in the WebAssembly kernel) against a plain count-min written here from its
// definition: every counter, the largest estimate, its key and the index each batch reports where
// a key became the largest must be the same, on skewed streams cut into batches of random size,
// with sketches narrow enough that keys collide.
import { describe, expect, it } from "vitest";
import { MaxCounter } from "../../src/quality/sketches.js";
import { mix32 } from "../../src/quality/text.js";
import { lcg } from "./planted.js";

/** The count-min of MaxCounter's documentation, one key at a time. */
class Reference {
  readonly counters: Int32Array;
  maxKey = 0;
  maxCount = 0;

  constructor(
    private readonly depth: number,
    private readonly width: number,
  ) {
    this.counters = new Int32Array(depth * width);
  }

  add(key: number): boolean {
    const mixed = mix32(key);
    const h1 = mixed % this.width;
    const h2 = (mixed >>> 16) | 1;
    let estimate = Infinity;
    for (let row = 0; row < this.depth; row++) {
      const slot = row * this.width + ((h1 + row * h2) & (this.width - 1));
      this.counters[slot]!++;
      estimate = Math.min(estimate, this.counters[slot]!);
    }
    if (estimate <= this.maxCount) return false;
    const changed = key !== this.maxKey || estimate === 1;
    this.maxCount = estimate;
    this.maxKey = key;
    return changed;
  }
}

describe("MaxCounter", () => {
  for (const [depth, width] of [
    [2, 64],
    [3, 256],
    [2, 1 << 15],
  ] as const)
    it(`matches a plain count-min (${depth} rows of ${width})`, () => {
      const next = lcg(depth * width);
      const sketch = new MaxCounter(depth, width);
      const reference = new Reference(depth, width);
      const keys = new Uint32Array(20_000);
      let total = 0;
      for (let round = 0; round < 60; round++) {
        const count = Math.floor(next() * 300);
        const offset = Math.floor(next() * 100);
        let last = -1;
        for (let i = 0; i < count; i++) {
          // Skewed: a few keys often, many rarely; signed and unsigned halves both.
          const key = Math.floor(next() ** 3 * 5000) * 0x9e3779b1;
          keys[offset + i] = key;
          if (reference.add(keys[offset + i]! | 0)) last = i;
        }
        total += count;
        expect(sketch.addAll(keys, count, offset)).toBe(last);
        expect([sketch.maxCount, sketch.maxKey]).toEqual([reference.maxCount, reference.maxKey]);
      }
      expect(sketch.errorBound).toBe(Math.ceil((2 * total) / width));
    });
});
