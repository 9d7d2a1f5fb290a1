// The report's detail sample: the `limit` items with the smallest seeded hash, whatever the
// order they stream past in; the same seed picks the same items, another seed others.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DetailSample, sampleKey } from "../../src/report/detail-sample.js";

function sampled(ids: readonly string[], seed: number, limit: number): string[] {
  const sample = new DetailSample<string>(seed, limit);
  for (const id of ids) if (sample.wants(id)) sample.offer(id, id);
  return [...sample.entries().keys()].sort();
}

function expected(ids: readonly string[], seed: number, limit: number): string[] {
  return [...ids]
    .sort((a, b) => sampleKey(seed, a) - sampleKey(seed, b))
    .slice(0, limit)
    .sort();
}

describe("detail sample", () => {
  it("keeps exactly the limit items of smallest sha256(seed, id), in any stream order", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string(), { maxLength: 200 }),
        fc.integer({ min: 0, max: 50 }),
        fc.nat(),
        (ids, limit, seed) => {
          expect(sampled(ids, seed, limit)).toEqual(expected(ids, seed, limit));
          expect(sampled([...ids].reverse(), seed, limit)).toEqual(expected(ids, seed, limit));
        },
      ),
    );
  });

  it("gives another sample for another seed", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `item-${i}`);
    expect(sampled(ids, 1, 10)).toEqual(sampled(ids, 1, 10));
    expect(sampled(ids, 1, 10)).not.toEqual(sampled(ids, 2, 10));
  });
});
