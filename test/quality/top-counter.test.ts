// TopCounter's pruning against the rule it implements: keep the `capacity` largest counts, ties to
// the keys that came first (a stable sort by count), with the floor of what was dropped.
import { describe, expect, it } from "vitest";
import { TopCounter } from "../../src/quality/sketches.js";
import { lcg } from "./planted.js";

/** The rule written plainly: a stable sort of every entry at each prune. */
class SortedTopCounter {
  private readonly counts = new Map<string, { count: number; error: number }>();
  private floor = 0;

  constructor(private readonly capacity: number) {}

  add(key: string): void {
    const entry = this.counts.get(key);
    if (entry !== undefined) {
      entry.count += 1;
      return;
    }
    this.counts.set(key, { count: this.floor + 1, error: this.floor });
    if (this.counts.size < 2 * this.capacity) return;
    const sorted = [...this.counts.entries()].sort((a, b) => b[1].count - a[1].count);
    for (const [dropped, value] of sorted.slice(this.capacity)) {
      if (value.count > this.floor) this.floor = value.count;
      this.counts.delete(dropped);
    }
  }

  top(n: number): { key: string; count: number; error: number }[] {
    return [...this.counts.entries()]
      .sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, n)
      .map(([key, value]) => ({ key, ...value }));
  }
}

describe("TopCounter", () => {
  it("prunes as a stable sort by count would, skewed and flat streams alike", () => {
    for (const skew of [1, 2, 4]) {
      const next = lcg(skew);
      const counter = new TopCounter(64);
      const reference = new SortedTopCounter(64);
      for (let i = 0; i < 20_000; i++) {
        const key = `k${Math.floor(next() ** skew * 3000)}`;
        counter.add(key);
        reference.add(key);
      }
      expect(counter.top(200)).toEqual(reference.top(200));
      expect(counter.top(1)).toEqual(reference.top(1));
    }
  });

  it("gives the first of tied counts by key", () => {
    const counter = new TopCounter(8);
    for (const key of ["b", "c", "a", "c", "b", "a", "d"]) counter.add(key);
    expect(counter.top(1)).toEqual([{ key: "a", count: 2, error: 0 }]);
    expect(new TopCounter().top(1)).toEqual([]);
  });
});
