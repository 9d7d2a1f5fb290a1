// A count and the first few examples by line, mergeable with counts made over other rows of the
// same file (worker threads): the bad-target tallies and the preference pairs' both keep them.

/** Examples a tally keeps: the first by line. */
const EXAMPLES = 5;

export interface TallyPartial<T> {
  readonly count: number;
  readonly examples: readonly [line: number, example: T][];
}

/** A count and its first examples by line, mergeable with counts made over other rows. */
export class Tally<T> {
  count = 0;
  private examples: [number, T][] = [];

  add(line: number, example: T): void {
    this.count++;
    if (this.examples.length < EXAMPLES) this.examples.push([line, example]);
  }

  merge(partial: TallyPartial<T>): void {
    this.count += partial.count;
    // The first five of both, by line: each part's first five are in line order.
    this.examples = [...this.examples, ...partial.examples]
      .sort((a, b) => a[0] - b[0])
      .slice(0, EXAMPLES);
  }

  partial(): TallyPartial<T> {
    return { count: this.count, examples: this.examples };
  }

  get firstExamples(): T[] {
    return this.examples.map(([, example]) => example);
  }

  /** The first examples with their lines. */
  get firstEntries(): readonly (readonly [line: number, example: T])[] {
    return this.examples;
  }
}
