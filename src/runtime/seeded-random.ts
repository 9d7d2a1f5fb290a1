// Seeded randomness: every random choice in a run comes from here, keyed by (run seed, item id),
// so results depend on neither concurrency nor input order, and one item can be rerun alone.

import seedrandom from "seedrandom";

export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Index chosen with probability proportional to `weights[i]` (non-positive weights never chosen); -1 if none. */
  weightedIndex(weights: readonly number[]): number;
  /** A new generator for a named sub-stream (e.g. one per round), independent of draws made here. */
  fork(label: string): SeededRandom;
}

/** A generator for one item of one run. The same (seed, key) always gives the same sequence. */
export function seededRandom(seed: number, key: string): SeededRandom {
  const stateKey = `${seed}\u0000${key}`;
  const prng = seedrandom(stateKey);
  return {
    next: () => prng.quick(),
    int(n) {
      if (!Number.isInteger(n) || n <= 0)
        throw new RangeError(`int(n) needs a positive integer, got ${n}`);
      return Math.floor(prng.quick() * n);
    },
    weightedIndex(weights) {
      let total = 0;
      for (const weight of weights) if (weight > 0) total += weight;
      if (total <= 0) return -1;
      let target = prng.quick() * total;
      let last = -1;
      for (let i = 0; i < weights.length; i++) {
        const weight = weights[i] ?? 0;
        if (weight <= 0) continue;
        last = i;
        if (target < weight) return i;
        target -= weight;
      }
      return last;
    },
    fork: (label) => seededRandom(seed, `${key}\u0000${label}`),
  };
}

/**
 * The seed sent with one sampled model call: drawn from the item's generator (run seed, item id)
 * forked by the call's place (purpose, round, principle, sample...), so another run seed gives
 * other samples, and the same seed the same requests (and cache entries) again.
 */
export function callSeed(random: SeededRandom, key: string): number {
  return random.fork(`call-seed\u0000${key}`).int(2 ** 31 - 1);
}
