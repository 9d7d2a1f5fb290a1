// The order-dependent half of `inspect`, fed every row's record in file order in one thread:
// exact and near duplicates (the first row of a cluster is the one kept), each response set's
// dominant bigram, opening and gzip sample, and the malformed rows listed.

import { InvalidJsonLineError, type InvalidLine } from "../io/index.js";
import { DuplicateFinder } from "./duplicates.js";
import { SET_COUNT, SET_REJECTED, SET_REPLY, type Batch } from "./inspect-batch.js";
import type { MinHashParams } from "./minhash.js";
import { InvalidRowError } from "./read-dataset.js";
import { SetOrder, type ReplySource } from "./response-set.js";
import { TextScanner } from "./text.js";

const INVALID_EXAMPLES = 20;

/** The texts of a batch's replies, read again on the rare occasions a summary keeps one. */
export type BatchTexts = (row: number, set: number) => string;

export class OrderedPass {
  readonly duplicates: DuplicateFinder;
  readonly orders: (SetOrder | undefined)[] = new Array<SetOrder | undefined>(SET_COUNT);
  invalidCount = 0;
  readonly invalid: InvalidLine[] = [];
  private readonly scanner = new TextScanner();
  private readonly signature: Uint32Array;

  constructor(
    private readonly file: string,
    preference: boolean,
    near: MinHashParams | null,
    expectedRows: number,
  ) {
    this.orders[SET_REPLY] = new SetOrder();
    if (preference) this.orders[SET_REJECTED] = new SetOrder();
    this.duplicates = new DuplicateFinder(near, expectedRows);
    this.signature = new Uint32Array(near === null ? 0 : near.bands * near.rows);
  }

  addInvalid(invalid: InvalidLine): void {
    this.invalidCount++;
    if (this.invalid.length < INVALID_EXAMPLES) this.invalid.push(invalid);
  }

  /** Takes the next batch of rows (in file order); throws the error of a row that stops the pass. */
  consume(batch: Batch, texts: BatchTexts): void {
    for (const invalid of batch.invalid) this.addInvalid(invalid);
    const size = this.signature.length;
    for (let row = 0; row < batch.rows; row++) {
      const signed = batch.signed !== undefined && batch.signed[row] === 1;
      this.duplicates.addKeys(
        batch.lines[row]!,
        batch.exactHome[row]!,
        batch.exactFingerprint[row]!,
        signed ? batch.signatures!.subarray(row * size, (row + 1) * size) : undefined,
      );
    }
    batch.sets.forEach((set, index) => {
      if (set === undefined) return;
      const order = (this.orders[index] ??= new SetOrder());
      let offset = 0;
      for (let reply = 0; reply < set.replies; reply++) {
        const words = set.words[reply]!;
        const bigrams = words > 1 ? words - 1 : 0;
        order.add(
          set.bigrams,
          offset,
          bigrams,
          words,
          set.openings[reply]!,
          set.lengths[reply]!,
          this.source(texts, set.rows[reply]!, index),
        );
        offset += bigrams;
      }
    });
    const failure = batch.failure;
    if (failure !== undefined)
      throw failure.kind === "json"
        ? new InvalidJsonLineError(this.file, failure.line, failure.message)
        : new InvalidRowError(this.file, failure.line, failure.message);
  }

  private source(texts: BatchTexts, row: number, set: number): ReplySource {
    return {
      text: () => texts(row, set),
      phrase: (from, to) => {
        this.scanner.scan(texts(row, set));
        return this.scanner.phrase(from, to);
      },
    };
  }
}
