// The one source of wall-clock time in a run, injectable so tests can fix timestamps.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that returns `start`, then advances by `stepMs` on every reading (for tests). */
export function fixedClock(start: number, stepMs = 0): Clock {
  let current = start;
  return {
    now() {
      const value = current;
      current += stepMs;
      return value;
    },
  };
}
