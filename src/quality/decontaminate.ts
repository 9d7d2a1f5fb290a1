// Decontamination against evaluation sets, as open-instruct and datatrove do it: every n-gram
// (13 words by default) of every evaluation prompt and answer goes into an index; a training row
// whose prompt contains one of them is contaminated, and the report names the evaluation row.
// Evaluation texts shorter than n words match a training prompt equal to them (normalised).

import { basename } from "node:path";
import { openDataset, readDatasetRows } from "./read-dataset.js";
import { TextScanner } from "./text.js";

export const DEFAULT_NGRAM = 13;

/** The evaluation row a training row matched, and the shared words. */
export interface EvalMatch {
  readonly file: string;
  readonly line: number;
  readonly id: string;
  /** The shared n-gram (or the whole short text), lower-cased words. */
  readonly ngram: string;
}

interface EvalRow {
  readonly file: string;
  readonly line: number;
  readonly id: string;
}

/** 53 bits of two 32-bit hashes: a Map key that is an exact double. */
function key53(high: number, low: number): number {
  return high * 0x200000 + (low & 0x1fffff);
}

/**
 * Rolling hashes of every window of `n` word hashes, calling `visit(start, key)` for each. Two
 * polynomial hashes (different bases) make a 53-bit key: with 10^6 evaluation n-grams and 10^9
 * training windows about 0.1 false match is expected in all.
 */
function windows(
  scanner: TextScanner,
  n: number,
  visit: (start: number, key: number) => boolean,
): void {
  const hashes = scanner.wordHashes;
  const count = scanner.wordCount;
  if (count < n) return;
  const baseA = 0x01000193;
  const baseB = 0x5bd1e995;
  let topA = 1;
  let topB = 1;
  for (let t = 1; t < n; t++) {
    topA = Math.imul(topA, baseA);
    topB = Math.imul(topB, baseB);
  }
  let a = 0;
  let b = 0;
  for (let t = 0; t < n; t++) {
    a = (Math.imul(a, baseA) + hashes[t]!) | 0;
    b = (Math.imul(b, baseB) + hashes[t]!) | 0;
  }
  if (visit(0, key53(a >>> 0, b >>> 0))) return;
  for (let start = 1; start + n <= count; start++) {
    const leaving = hashes[start - 1]!;
    const entering = hashes[start + n - 1]!;
    a = (Math.imul(a - Math.imul(leaving, topA), baseA) + entering) | 0;
    b = (Math.imul(b - Math.imul(leaving, topB), baseB) + entering) | 0;
    if (visit(start, key53(a >>> 0, b >>> 0))) return;
  }
}

/** The n-grams of evaluation sets, each pointing at the first evaluation row that has it. */
export class EvalIndex {
  private readonly ngrams = new Map<number, number>();
  private readonly short = new Map<number, number>();
  private readonly rows: EvalRow[] = [];
  private readonly scanner = new TextScanner();

  private constructor(readonly n: number) {}

  /**
   * Indexes the prompts and answers (replies, and rejected replies) of evaluation files in any
   * dataset format.
   *
   * @example
   * const index = await EvalIndex.build(["evals/gsm8k.jsonl"], 13);
   */
  static async build(files: readonly string[], n = DEFAULT_NGRAM): Promise<EvalIndex> {
    const index = new EvalIndex(n);
    for (const file of files) {
      const source = await openDataset(file);
      for await (const row of readDatasetRows(source, { withTrace: false })) {
        const at = index.rows.length;
        index.rows.push({ file: basename(file), line: row.line, id: row.id });
        for (const text of [row.prompt, row.reply, row.rejected ?? ""]) index.add(text, at);
      }
    }
    return index;
  }

  get size(): number {
    return this.ngrams.size + this.short.size;
  }

  private add(text: string, row: number): void {
    const scanner = this.scanner;
    scanner.scan(text);
    if (scanner.wordCount === 0) return;
    if (scanner.wordCount < this.n) {
      const key = key53(scanner.exactHigh, scanner.exactLow);
      if (!this.short.has(key)) this.short.set(key, row);
      return;
    }
    windows(scanner, this.n, (_, key) => {
      if (!this.ngrams.has(key)) this.ngrams.set(key, row);
      return false;
    });
  }

  /** The first evaluation row a scanned training prompt matches, or undefined. */
  match(scanner: TextScanner): EvalMatch | undefined {
    const shortRow = this.short.get(key53(scanner.exactHigh, scanner.exactLow));
    if (shortRow !== undefined)
      return { ...this.rows[shortRow]!, ngram: scanner.phrase(0, scanner.wordCount) };
    let found: EvalMatch | undefined;
    windows(scanner, this.n, (start, key) => {
      const row = this.ngrams.get(key);
      if (row === undefined) return false;
      found = { ...this.rows[row]!, ngram: scanner.phrase(start, start + this.n) };
      return true;
    });
    return found;
  }
}
