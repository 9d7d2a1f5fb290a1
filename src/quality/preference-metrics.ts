// Metrics of preference pairs: length bias, the probability histogram, ties, position
// consistency, per-principle agreement with the label, and pairs whose two replies are the same.

import type { PreferenceReport } from "./inspect-schema.js";
import { estimateJaccard, type MinHasher } from "./minhash.js";
import type { SourcedRow } from "./read-dataset.js";
import { RunningStats, ratio, round } from "./sketches.js";
import type { TextScanner } from "./text.js";

const EXAMPLES = 5;

export class PreferenceAccumulator {
  private pairs = 0;
  private chosenLonger = 0;
  private readonly lengthDifference = new RunningStats();
  private readonly histogram = new Array<number>(10).fill(0);
  private withProbability = 0;
  private decidedByRule = 0;
  private verdictsWithOrders = 0;
  private consistent = 0;
  private readonly principles = new Map<string, { verdicts: number; agree: number }>();
  private readonly identical = { count: 0, examples: [] as string[] };
  private readonly near = { count: 0, examples: [] as string[] };
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
    this.lengthDifference.add(chosen.wordCount - rejected.wordCount);
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
      this.identical.count++;
      if (this.identical.examples.length < EXAMPLES) this.identical.examples.push(row.id);
    } else if (this.hasher !== undefined) {
      const a = this.hasher.signature([chosen], this.chosenSignature);
      const b = this.hasher.signature([rejected], this.rejectedSignature);
      if (a !== undefined && b !== undefined && estimateJaccard(a, b) >= this.threshold) {
        this.near.count++;
        if (this.near.examples.length < EXAMPLES) this.near.examples.push(row.id);
      }
    }
  }

  report(ties: number | null): PreferenceReport {
    return {
      pairs: this.pairs,
      chosenLongerRate: ratio(this.chosenLonger, this.pairs),
      meanLengthDifference: round(this.lengthDifference.average),
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
      identicalPairs: this.identical,
      nearIdenticalPairs: { ...this.near, threshold: round(this.threshold) },
    };
  }
}
