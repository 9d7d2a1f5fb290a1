// Shape and diversity of one set of replies (the replies taught, or the chosen or rejected side):
// lengths, distinct-1/2, vocabulary per reply, the dominant bigram, gzip ratio and the dominant
// opening. Fed one scanned reply at a time, in fixed memory, in two halves: SetStats, whose
// counts merge exactly however the rows were shared between threads, and SetOrder, whose
// summaries depend on the order of the replies and so see them all, in file order, in one thread.

import { createGzip } from "node:zlib";
import type { SetBatch } from "./inspect-batch.js";
import type { ResponseSetName, ResponseSetReport } from "./inspect-schema.js";
import {
  IntegerHistogram,
  MaxCounter,
  TopCounter,
  mergeDistinct,
  ratio,
  round,
  type DistinctPartial,
} from "./sketches.js";
import { SetCounts } from "./set-words.js";
import { estimateTokens, type TextScanner } from "./text.js";

/** Words that make up a reply's opening for template dominance. */
export const TEMPLATE_WORDS = 5;
/** Replies are sampled for the gzip ratio in blocks of consecutive replies this long (gzip's window). */
const GZIP_BLOCK_CHARS = 32 * 1024;
/** Characters (newlines included) of replies compressed for the gzip ratio, at most. */
const GZIP_SAMPLE_CHARS = 512 * 1024;
/** Sampled texts are handed to zlib in pieces of about this many characters. */
const SAMPLE_WRITE_CHARS = 64 * 1024;

/**
 * The gzip ratio of an evenly spaced sample of a stream of texts, compressed as the texts come (on
 * libuv's thread pool, while the pass goes on): consecutive texts form blocks of at least
 * `blockChars` characters (a newline counted after each text); the sample is every `stride`-th
 * block, the stride being the smallest power of two that keeps `bound` characters within `budget`
 * once divided by it. `bound` is known before the stream starts (the file's size in bytes, which
 * no set's characters exceed), so no text is kept in memory and none is compressed twice; a stream
 * within the budget is compressed whole. Blocks as long as gzip's window keep the redundancy
 * between neighbouring texts (a repeated reply right after its twin) that compressing the whole
 * stream would find. The texts are joined by newlines and compressed as one stream (gzip level 6;
 * how they are cut into writes does not change zlib's output).
 */
export class GzipSample {
  readonly stride: number;
  private block = 0;
  private blockChars = 0;
  private readonly gzip = createGzip({ level: 6 });
  private readonly finished: Promise<void>;
  private pending = "";
  private written = false;
  private rawBytes = 0;
  private compressedBytes = 0;

  constructor(
    bound: number,
    private readonly blockLength = GZIP_BLOCK_CHARS,
    budget = GZIP_SAMPLE_CHARS,
  ) {
    let stride = 1;
    while (bound / stride > budget) stride *= 2;
    this.stride = stride;
    this.gzip.on("data", (chunk: Buffer) => (this.compressedBytes += chunk.length));
    this.finished = new Promise((resolve, reject) => {
      this.gzip.on("end", resolve);
      this.gzip.on("error", reject);
    });
    // (Read by `ratio`; until then a failure must not go unhandled.)
    this.finished.catch(() => undefined);
  }

  add(text: string): void {
    this.addLazily(text.length, { text: () => text });
  }

  /** As `add`, for a text of `length` characters that `source` gives only if the sample keeps it. */
  addLazily(length: number, source: { text(): string }): void {
    if (this.block % this.stride === 0) {
      this.pending += this.written || this.pending !== "" ? `\n${source.text()}` : source.text();
      if (this.pending.length >= SAMPLE_WRITE_CHARS) this.flush();
    }
    this.blockChars += length + 1;
    if (this.blockChars >= this.blockLength) {
      this.block++;
      this.blockChars = 0;
    }
  }

  /** gzip bytes ÷ UTF-8 bytes of the sample (0 for an empty one); ends the stream. */
  async ratio(): Promise<number> {
    this.flush();
    this.gzip.end();
    await this.finished;
    return this.rawBytes === 0 ? 0 : ratio(this.compressedBytes, this.rawBytes);
  }

  private flush(): void {
    if (this.pending === "") return;
    const bytes = Buffer.from(this.pending, "utf8");
    this.rawBytes += bytes.length;
    this.written = true;
    this.pending = "";
    this.gzip.write(bytes);
  }
}

/** The counts of one response set that add up across parts of the stream. */
export interface SetStatsPartial {
  readonly replies: number;
  readonly empty: number;
  readonly words: [number, number][];
  readonly tokens: [number, number][];
  readonly unigrams: DistinctPartial;
  readonly bigrams: DistinctPartial;
  readonly wordTotal: number;
  readonly bigramTotal: number;
  readonly vocabularyTotal: number;
}

/**
 * The order-free half of a response set: lengths, distinct words and bigrams, vocabulary per
 * reply. `add` writes the reply's bigram hashes where the caller says (for SetOrder).
 */
export class SetStats {
  private replies = 0;
  private empty = 0;
  private readonly words = new IntegerHistogram();
  private readonly tokens = new IntegerHistogram();
  private readonly counts = new SetCounts();
  private wordTotal = 0;
  private bigramTotal = 0;
  private vocabularyTotal = 0;
  private readonly merged: SetStatsPartial[] = [];

  /**
   * Adds one reply, already scanned by `scanner`; its bigram hashes go to
   * `keys[offset..offset + wordCount - 1)`.
   */
  add(text: string, scanner: TextScanner, keys: Uint32Array, offset: number): void {
    this.replies++;
    const count = scanner.wordCount;
    if (scanner.blank) this.empty++;
    this.words.add(count);
    this.tokens.add(estimateTokens(text));
    this.wordTotal += count;
    this.vocabularyTotal += this.counts.addReply(scanner.wordHashes, count, keys, offset);
    if (count > 1) this.bigramTotal += count - 1;
  }

  partial(): SetStatsPartial {
    return {
      replies: this.replies,
      empty: this.empty,
      words: this.words.entries(),
      tokens: this.tokens.entries(),
      unigrams: this.counts.wordsPartial(),
      bigrams: this.counts.bigramsPartial(),
      wordTotal: this.wordTotal,
      bigramTotal: this.bigramTotal,
      vocabularyTotal: this.vocabularyTotal,
    };
  }

  /** Takes in the counts another thread made over other rows of the same set. */
  merge(partial: SetStatsPartial): void {
    this.replies += partial.replies;
    this.empty += partial.empty;
    this.words.merge(partial.words);
    this.tokens.merge(partial.tokens);
    this.wordTotal += partial.wordTotal;
    this.bigramTotal += partial.bigramTotal;
    this.vocabularyTotal += partial.vocabularyTotal;
    this.merged.push(partial);
  }

  summary(): Pick<ResponseSetReport, "replies" | "empty" | "words" | "tokens"> & {
    readonly distinct1: number;
    readonly distinct2: number;
    readonly distinctEstimated: boolean;
    readonly vocabularyPerReply: number;
    readonly bigramTotal: number;
  } {
    const unigrams = mergeDistinct([
      this.counts.wordsPartial(),
      ...this.merged.map((part) => part.unigrams),
    ]);
    const bigrams = mergeDistinct([
      this.counts.bigramsPartial(),
      ...this.merged.map((part) => part.bigrams),
    ]);
    return {
      replies: this.replies,
      empty: this.empty,
      words: this.words.summary(),
      tokens: this.tokens.summary(),
      distinct1: ratio(unigrams.size, this.wordTotal),
      distinct2: ratio(bigrams.size, this.bigramTotal),
      distinctEstimated: unigrams.estimated || bigrams.estimated,
      vocabularyPerReply: round(this.replies === 0 ? 0 : this.vocabularyTotal / this.replies),
      bigramTotal: this.bigramTotal,
    };
  }
}

/** One reply as SetOrder sees it: its text and words are asked for only when a summary keeps them. */
export interface ReplySource {
  text(): string;
  /** Words `from` to `to` joined by spaces, as TextScanner.phrase gives them. */
  phrase(from: number, to: number): string;
}

/**
 * The half of a response set whose summaries depend on the replies' order: the dominant bigram
 * (count-min, keeping the bigram that first reached the largest count), the dominant opening
 * (Space-Saving) and the gzip sample. Fed every reply of the set in file order.
 */
export class SetOrder {
  private readonly bigramCounts = new MaxCounter(2, 1 << 15);
  private topBigramText = "";
  private readonly openings = new TopCounter();
  private readonly gzipSample: GzipSample;

  /** `bound`: characters no set of the dataset exceeds (its file's size in bytes). */
  constructor(bound: number) {
    this.gzipSample = new GzipSample(bound);
  }

  /**
   * Adds a batch's replies of this set, in order; `reply(r)` gives reply `r` to read again when a
   * summary keeps its text. The batch's bigrams go to the count-min in one call: only the last
   * bigram in it to become the largest names the top bigram, as it would one reply at a time.
   */
  addBatch(batch: SetBatch, reply: (index: number) => ReplySource): void {
    const bigrams = batch.bigrams.length;
    if (bigrams > 0) {
      const newMax = this.bigramCounts.addAll(batch.bigrams, bigrams, 0);
      if (newMax >= 0) {
        // The reply holding that bigram (a reply of n words has n − 1), and its place there.
        let index = 0;
        let start = 0;
        for (;;) {
          const words = batch.words[index]!;
          const count = words > 1 ? words - 1 : 0;
          if (newMax < start + count) break;
          start += count;
          index++;
        }
        this.topBigramText = reply(index).phrase(newMax - start, newMax - start + 2);
      }
    }
    for (let index = 0; index < batch.replies; index++) {
      if (batch.words[index]! > 0) this.openings.add(batch.openings[index]!);
      this.gzipSample.addLazily(batch.lengths[index]!, reply(index));
    }
  }

  /**
   * gzip (level 6) bytes ÷ UTF-8 bytes of the sample, compressed on libuv's thread pool as the
   * pass went: the caller's last steps (the second read for the examples' ids) overlap its end.
   */
  gzipRatio(): Promise<number> {
    return this.gzipSample.ratio();
  }

  summary(
    bigramTotal: number,
    replies: number,
    gzipRatio: number,
  ): Pick<ResponseSetReport["diversity"], "topBigram" | "gzipRatio" | "gzipSampled" | "template"> {
    const opening = this.openings.top(1)[0];
    return {
      topBigram:
        bigramTotal === 0
          ? null
          : {
              text: this.topBigramText,
              share: ratio(this.bigramCounts.maxCount, bigramTotal),
              errorBound: ratio(this.bigramCounts.errorBound, bigramTotal),
            },
      gzipRatio,
      gzipSampled: this.gzipSample.stride > 1,
      template:
        opening === undefined
          ? null
          : { text: opening.key, share: ratio(opening.count, replies), count: opening.count },
    };
  }
}

/** One response set's report from its two halves. */
export function responseSetReport(
  name: ResponseSetName,
  stats: SetStats,
  order: SetOrder,
  gzipRatio: number,
): ResponseSetReport {
  const summary = stats.summary();
  const ordered = order.summary(summary.bigramTotal, summary.replies, gzipRatio);
  return {
    name,
    replies: summary.replies,
    empty: summary.empty,
    words: summary.words,
    tokens: summary.tokens,
    diversity: {
      distinct1: summary.distinct1,
      distinct2: summary.distinct2,
      distinctEstimated: summary.distinctEstimated,
      vocabularyPerReply: summary.vocabularyPerReply,
      lengthStd: summary.words.std,
      topBigram: ordered.topBigram,
      gzipRatio: ordered.gzipRatio,
      gzipSampled: ordered.gzipSampled,
      template: ordered.template,
    },
  };
}
