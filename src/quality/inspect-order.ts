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

/** The reply SetOrder is adding (one object, moved from reply to reply: SetOrder keeps none). */
class BatchReply implements ReplySource {
  texts: BatchTexts = () => "";
  row = 0;
  set = 0;
  private readonly scanner = new TextScanner();

  text(): string {
    return this.texts(this.row, this.set);
  }

  phrase(from: number, to: number): string {
    this.scanner.scan(this.text());
    return this.scanner.phrase(from, to);
  }
}

export class OrderedPass {
  readonly duplicates: DuplicateFinder;
  readonly orders: (SetOrder | undefined)[] = new Array<SetOrder | undefined>(SET_COUNT);
  invalidCount = 0;
  readonly invalid: InvalidLine[] = [];
  private readonly reply = new BatchReply();
  private readonly signature: Uint32Array;

  /** `fileBytes`: the size of the file read, which bounds each set's gzip sample. */
  constructor(
    private readonly file: string,
    preference: boolean,
    near: MinHashParams | null,
    expectedRows: number,
    private readonly fileBytes: number,
  ) {
    this.orders[SET_REPLY] = new SetOrder(fileBytes);
    if (preference) this.orders[SET_REJECTED] = new SetOrder(fileBytes);
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
    const source = this.reply;
    source.texts = texts;
    batch.sets.forEach((set, index) => {
      if (set === undefined) return;
      source.set = index;
      (this.orders[index] ??= new SetOrder(this.fileBytes)).addBatch(set, (reply) => {
        source.row = set.rows[reply]!;
        return source;
      });
    });
    const failure = batch.failure;
    if (failure !== undefined)
      throw failure.kind === "json"
        ? new InvalidJsonLineError(this.file, failure.line, failure.message)
        : new InvalidRowError(this.file, failure.line, failure.message);
  }
}
