// Metrics of preference pairs: length bias, the probability histogram, ties, position
// consistency, per-principle agreement with the label, and pairs whose two replies are the same.

import type { PreferenceReport } from "./inspect-schema.js";
import { estimateJaccard, type MinHasher } from "./minhash.js";
import type { SourcedRow } from "./read-dataset.js";
import { ratio, round } from "./sketches.js";
import { Tally, type TallyPartial } from "./tally.js";
import type { TextScanner } from "./text.js";

/** The counts of one part of a preference dataset, to merge with other parts'. */
export interface PreferencePartial {
  readonly pairs: number;
  readonly chosenLonger: number;
  readonly lengthDifference: number;
  readonly histogram: readonly number[];
  readonly withProbability: number;
  readonly decidedByRule: number;
  readonly verdictsWithOrders: number;
  readonly consistent: number;
  readonly principles: readonly [string, { verdicts: number; agree: number }][];
  /** Pairs counted, first examples by line (with their id, or the problem found). */
  readonly identical: TallyPartial<string>;
  readonly near: TallyPartial<string>;
  readonly unjudgeable: TallyPartial<string>;
}

export class PreferenceAccumulator {
  private pairs = 0;
  private chosenLonger = 0;
  /** Sum of (chosen words − rejected words): an integer, so the mean is the same however summed. */
  private lengthDifference = 0;
  private readonly histogram = new Array<number>(10).fill(0);
  private withProbability = 0;
  private decidedByRule = 0;
  private verdictsWithOrders = 0;
  private consistent = 0;
  private readonly principles = new Map<string, { verdicts: number; agree: number }>();
  private readonly identical = new Tally<string>();
  private readonly near = new Tally<string>();
  private readonly unjudgeableRows = new Tally<string>();
  private readonly chosenSignature: Uint32Array | undefined;
  private readonly rejectedSignature: Uint32Array | undefined;

  constructor(
    private readonly hasher: MinHasher | undefined,
    private readonly threshold: number,
  ) {
    if (hasher !== undefined) {
      this.chosenSignature = new Uint32Array(hasher.size);
      this.rejectedSignature = new Uint32Array(hasher.size);
    }
  }

  /** One pair, with its chosen and rejected replies already scanned. */
  add(row: SourcedRow, chosen: TextScanner, rejected: TextScanner): void {
    this.pairs++;
    if (chosen.wordCount > rejected.wordCount) this.chosenLonger++;
    this.lengthDifference += chosen.wordCount - rejected.wordCount;
    if (row.probability !== undefined) {
      this.withProbability++;
      this.histogram[Math.min(9, Math.max(0, Math.floor(row.probability * 10)))]!++;
    }
    if (row.decidedBy === "rule") this.decidedByRule++;
    const verdicts = row.verdicts ?? [];
    if (verdicts.length > 0) {
      // The label's side: chosen was shown first when the verdicts, averaged, favour the first.
      const meanFirst =
        verdicts.reduce((sum, verdict) => sum + verdict.probabilityFirst, 0) / verdicts.length;
      const chosenFirst = meanFirst >= 0.5;
      for (const verdict of verdicts) {
        if (verdict.consistent !== undefined) {
          this.verdictsWithOrders++;
          if (verdict.consistent) this.consistent++;
        }
        const entry = this.principles.get(verdict.principle) ?? { verdicts: 0, agree: 0 };
        entry.verdicts++;
        if (verdict.probabilityFirst >= 0.5 === chosenFirst) entry.agree++;
        this.principles.set(verdict.principle, entry);
      }
    }
    if (chosen.exactHigh === rejected.exactHigh && chosen.exactLow === rejected.exactLow) {
      this.identical.add(row.line, row.id);
    } else if (this.hasher !== undefined) {
      const a = this.hasher.signature([chosen], this.chosenSignature);
      const b = this.hasher.signature([rejected], this.rejectedSignature);
      if (a !== undefined && b !== undefined && estimateJaccard(a, b) >= this.threshold) {
        this.near.add(row.line, row.id);
      }
    }
  }

  /** A row `judge --pairs` would refuse (see pairProblem), with why. */
  unjudgeable(line: number, problem: string): void {
    this.unjudgeableRows.add(line, problem);
  }

  partial(): PreferencePartial {
    return {
      pairs: this.pairs,
      chosenLonger: this.chosenLonger,
      lengthDifference: this.lengthDifference,
      histogram: this.histogram,
      withProbability: this.withProbability,
      decidedByRule: this.decidedByRule,
      verdictsWithOrders: this.verdictsWithOrders,
      consistent: this.consistent,
      principles: [...this.principles.entries()],
      identical: this.identical.partial(),
      near: this.near.partial(),
      unjudgeable: this.unjudgeableRows.partial(),
    };
  }

  /** Takes in the counts another thread made over other pairs. */
  merge(partial: PreferencePartial): void {
    this.pairs += partial.pairs;
    this.chosenLonger += partial.chosenLonger;
    this.lengthDifference += partial.lengthDifference;
    partial.histogram.forEach((count, bin) => (this.histogram[bin]! += count));
    this.withProbability += partial.withProbability;
    this.decidedByRule += partial.decidedByRule;
    this.verdictsWithOrders += partial.verdictsWithOrders;
    this.consistent += partial.consistent;
    for (const [principle, entry] of partial.principles) {
      const held = this.principles.get(principle) ?? { verdicts: 0, agree: 0 };
      held.verdicts += entry.verdicts;
      held.agree += entry.agree;
      this.principles.set(principle, held);
    }
    this.identical.merge(partial.identical);
    this.near.merge(partial.near);
    this.unjudgeableRows.merge(partial.unjudgeable);
  }

  report(ties: number | null): PreferenceReport {
    return {
      pairs: this.pairs,
      chosenLongerRate: ratio(this.chosenLonger, this.pairs),
      meanLengthDifference: round(this.pairs === 0 ? 0 : this.lengthDifference / this.pairs),
      probabilityHistogram: this.withProbability === 0 ? null : this.histogram,
      ties,
      decidedByRule: this.decidedByRule,
      positionConsistency:
        this.verdictsWithOrders === 0 ? null : ratio(this.consistent, this.verdictsWithOrders),
      principles: [...this.principles.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(([principle, entry]) => ({
          principle,
          verdicts: entry.verdicts,
          agreesWithLabel: ratio(entry.agree, entry.verdicts),
        })),
      identicalPairs: {
        count: this.identical.count,
        examples: this.identical.firstExamples,
      },
      nearIdenticalPairs: {
        count: this.near.count,
        examples: this.near.firstExamples,
        threshold: round(this.threshold),
      },
      // Only when there are some: a file judge --pairs takes whole keeps its report as it was.
      ...(this.unjudgeableRows.count === 0
        ? {}
        : {
            unjudgeableRows: {
              count: this.unjudgeableRows.count,
              examples: this.unjudgeableRows.firstEntries.map(([line, message]) => ({
                line,
                message,
              })),
            },
          }),
    };
  }
}
