import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/runtime/index.js";

describe("seededRandom", () => {
  it("gives the same sequence for the same seed and key", () => {
    const a = seededRandom(7, "item-1");
    const b = seededRandom(7, "item-1");
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(
      Array.from({ length: 5 }, () => b.next()),
    );
  });

  it("gives different sequences for different seeds or keys", () => {
    const base = seededRandom(7, "item-1").next();
    expect(seededRandom(8, "item-1").next()).not.toBe(base);
    expect(seededRandom(7, "item-2").next()).not.toBe(base);
  });

  it("picks by weight and never picks a zero weight", () => {
    const random = seededRandom(1, "weights");
    const counts = [0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[random.weightedIndex([3, 0, 1])]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[0]! / counts[2]!).toBeGreaterThan(2.4);
    expect(counts[0]! / counts[2]!).toBeLessThan(3.7);
    expect(random.weightedIndex([0, 0])).toBe(-1);
  });

  it("forks independent sub-streams that do not disturb the parent", () => {
    const a = seededRandom(3, "x");
    const b = seededRandom(3, "x");
    a.fork("round-1").next();
    expect(a.next()).toBe(b.next());
    expect(seededRandom(3, "x").fork("r").next()).toBe(seededRandom(3, "x").fork("r").next());
  });
});
