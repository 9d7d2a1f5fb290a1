// Phase 1 run metrics from the trace joined to each row: how often each principle was drawn, how
// often it asked for no change or had its revision rejected, and how it changed reply length.

import type { PrincipleUsage, RunReport } from "./inspect-schema.js";
import type { ItemTrace } from "./run-trace.js";
import { ratio, round } from "./sketches.js";

interface Tally {
  used: number;
  revised: number;
  noChange: number;
  rejected: number;
  wordChange: number;
}

export class RunAccumulator {
  private readonly principles = new Map<string, Tally>();
  private lastItem: string | undefined;

  constructor(private readonly command: string) {}

  /** Adds an item's rounds once (rows of `--emit all-rounds` repeat their item). */
  add(trace: ItemTrace): void {
    if (trace.item === this.lastItem) return;
    this.lastItem = trace.item;
    for (const round of trace.rounds) {
      const tally = this.principles.get(round.principle) ?? {
        used: 0,
        revised: 0,
        noChange: 0,
        rejected: 0,
        wordChange: 0,
      };
      tally.used++;
      if (round.outcome === "revised") {
        tally.revised++;
        tally.wordChange += round.wordsAfter - round.wordsBefore;
      } else if (round.outcome === "no-change") tally.noChange++;
      else tally.rejected++;
      this.principles.set(round.principle, tally);
    }
  }

  report(): RunReport {
    let rounds = 0;
    let noChange = 0;
    let rejected = 0;
    const principles: PrincipleUsage[] = [...this.principles.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([principle, tally]) => {
        rounds += tally.used;
        noChange += tally.noChange;
        rejected += tally.rejected;
        return {
          principle,
          used: tally.used,
          revised: tally.revised,
          noChange: tally.noChange,
          rejected: tally.rejected,
          noChangeRate: ratio(tally.noChange, tally.used),
          meanWordChange: round(tally.revised === 0 ? 0 : tally.wordChange / tally.revised),
        };
      });
    return {
      command: this.command,
      rounds,
      noChangeRate: ratio(noChange, rounds),
      rejectedRate: ratio(rejected, rounds),
      principles,
    };
  }
}
