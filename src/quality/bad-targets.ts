// Known bad training targets, row by row: refusal, hedge, identity and cutoff phrases in the reply
// taught, replies cut off by the token limit (from a run's trace) and revisions that changed
// nothing. The same checks drive `inspect` (counts) and `filter --drop` (removals).

import type { DatasetFormat } from "./dataset-formats.js";
import type { BadTargetsReport, FlagCount, PhraseCount } from "./inspect-schema.js";
import { PHRASE_CATEGORIES, type PhraseCategory, type PhraseMatcher } from "./phrases.js";
import type { SourcedRow } from "./read-dataset.js";
import { ratio } from "./sketches.js";
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

const EXAMPLES = 5;

class PhraseTally {
  count = 0;
  readonly examples: { id: string; phrase: string }[] = [];

  add(id: string, phrase: string): void {
    this.count++;
    if (this.examples.length < EXAMPLES) this.examples.push({ id, phrase });
  }

  report(rows: number): PhraseCount {
    return { count: this.count, rate: ratio(this.count, rows), examples: this.examples };
  }
}

class FlagTally {
  count = 0;
  known = false;
  readonly examples: string[] = [];

  add(id: string, flagged: boolean | undefined): void {
    if (flagged === undefined) return;
    this.known = true;
    if (!flagged) return;
    this.count++;
    if (this.examples.length < EXAMPLES) this.examples.push(id);
  }

  report(rows: number, source: FlagCount["source"]): FlagCount {
    if (!this.known) return { count: 0, rate: 0, source: "unavailable", examples: [] };
    return { count: this.count, rate: ratio(this.count, rows), source, examples: this.examples };
  }
}

export class BadTargetAccumulator {
  private rows = 0;
  private readonly phrases = new Map<PhraseCategory, PhraseTally>(
    PHRASE_CATEGORIES.map((category) => [category, new PhraseTally()]),
  );
  private readonly truncated = new FlagTally();
  private readonly unchanged = new FlagTally();

  constructor(
    private readonly matcher: PhraseMatcher,
    private readonly format: DatasetFormat,
  ) {}

  /** Adds a row whose reply `scanner` has just scanned. */
  add(row: SourcedRow, scanner: TextScanner): void {
    this.rows++;
    const mayMatch = this.matcher.mayMatch(scanner);
    for (const category of PHRASE_CATEGORIES) {
      if (!mayMatch) break;
      const phrase = this.matcher.matchLowered(category, scanner.lowered, row.reply);
      if (phrase !== undefined) this.phrases.get(category)!.add(row.id, phrase);
    }
    this.truncated.add(row.id, isTruncated(row));
    this.unchanged.add(row.id, isUnchanged(row));
  }

  report(): BadTargetsReport {
    const phrase = (category: PhraseCategory): PhraseCount =>
      this.phrases.get(category)!.report(this.rows);
    return {
      refusal: phrase("refusal"),
      hedge: phrase("hedge"),
      identity: phrase("identity"),
      cutoff: phrase("cutoff"),
      truncated: this.truncated.report(this.rows, "trace"),
      unchanged: this.unchanged.report(
        this.rows,
        this.format === "sft-hf-cai" ? "hf-cai" : "trace",
      ),
    };
  }
}
