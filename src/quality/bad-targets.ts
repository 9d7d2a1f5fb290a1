// Known bad training targets, row by row: refusal, hedge, identity and cutoff phrases in the reply
// taught, replies cut off by the token limit (from a run's trace) and revisions that changed
// nothing. The same checks drive `inspect` (counts) and `filter --drop` (removals).

import type { DatasetFormat } from "../datasets/index.js";
import type { BadTargetsReport, FlagCount, PhraseCount } from "./inspect-schema.js";
import { PHRASE_CATEGORIES, type PhraseCategory, type PhraseMatcher } from "./phrases.js";
import type { SourcedRow } from "./read-dataset.js";
import { ratio } from "./sketches.js";
import { Tally, type TallyPartial } from "./tally.js";
import type { TextScanner } from "./text.js";

/** Whether the final reply was cut off at the token limit; undefined when nothing says. */
export function isTruncated(row: SourcedRow): boolean | undefined {
  return row.trace?.truncated;
}

/** Whether revision left the reply as it was; undefined when the first reply is unknown. */
export function isUnchanged(row: SourcedRow): boolean | undefined {
  if (row.firstReply !== undefined) return row.firstReply === row.reply;
  if (row.trace !== undefined)
    return !row.trace.rounds.some((round) => round.outcome === "revised");
  return undefined;
}

export interface BadTargetsPartial {
  readonly rows: number;
  readonly phrases: readonly TallyPartial<{ id: string; phrase: string }>[];
  readonly truncated: TallyPartial<string>;
  readonly truncatedKnown: boolean;
  readonly unchanged: TallyPartial<string>;
  readonly unchangedKnown: boolean;
}

export class BadTargetAccumulator {
  private rows = 0;
  private readonly phrases = PHRASE_CATEGORIES.map(
    () => new Tally<{ id: string; phrase: string }>(),
  );
  private readonly truncated = new Tally<string>();
  private readonly unchanged = new Tally<string>();
  private truncatedKnown = false;
  private unchangedKnown = false;

  constructor(
    private readonly matcher: PhraseMatcher,
    private readonly format: DatasetFormat,
  ) {}

  /** Adds a row whose reply `scanner` has just scanned. */
  add(row: SourcedRow, scanner: TextScanner): void {
    this.rows++;
    if (this.matcher.mayMatch(scanner))
      PHRASE_CATEGORIES.forEach((category, index) => {
        const phrase = this.matcher.matchLowered(category, scanner.lowered, row.reply);
        if (phrase !== undefined) this.phrases[index]!.add(row.line, { id: row.id, phrase });
      });
    const truncated = isTruncated(row);
    if (truncated !== undefined) {
      this.truncatedKnown = true;
      if (truncated) this.truncated.add(row.line, row.id);
    }
    const unchanged = isUnchanged(row);
    if (unchanged !== undefined) {
      this.unchangedKnown = true;
      if (unchanged) this.unchanged.add(row.line, row.id);
    }
  }

  partial(): BadTargetsPartial {
    return {
      rows: this.rows,
      phrases: this.phrases.map((tally) => tally.partial()),
      truncated: this.truncated.partial(),
      truncatedKnown: this.truncatedKnown,
      unchanged: this.unchanged.partial(),
      unchangedKnown: this.unchangedKnown,
    };
  }

  /** Takes in the counts another thread made over other rows. */
  merge(partial: BadTargetsPartial): void {
    this.rows += partial.rows;
    partial.phrases.forEach((tally, index) => this.phrases[index]!.merge(tally));
    this.truncated.merge(partial.truncated);
    this.unchanged.merge(partial.unchanged);
    this.truncatedKnown ||= partial.truncatedKnown;
    this.unchangedKnown ||= partial.unchangedKnown;
  }

  report(): BadTargetsReport {
    const phrase = (category: PhraseCategory): PhraseCount => {
      const tally = this.phrases[PHRASE_CATEGORIES.indexOf(category)]!;
      return {
        count: tally.count,
        rate: ratio(tally.count, this.rows),
        examples: tally.firstExamples,
      };
    };
    const flag = (tally: Tally<string>, known: boolean, source: FlagCount["source"]): FlagCount =>
      known
        ? {
            count: tally.count,
            rate: ratio(tally.count, this.rows),
            source,
            examples: tally.firstExamples,
          }
        : { count: 0, rate: 0, source: "unavailable", examples: [] };
    return {
      refusal: phrase("refusal"),
      hedge: phrase("hedge"),
      identity: phrase("identity"),
      cutoff: phrase("cutoff"),
      truncated: flag(this.truncated, this.truncatedKnown, "trace"),
      unchanged: flag(
        this.unchanged,
        this.unchangedKnown,
        this.format === "sft-hf-cai" ? "hf-cai" : "trace",
      ),
    };
  }
}
