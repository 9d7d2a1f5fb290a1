// Shape and diversity of one set of replies (the replies taught, or the chosen or rejected side):
// lengths, distinct-1/2, vocabulary per reply, the dominant bigram, gzip ratio and the dominant
// opening. Fed one scanned reply at a time, in fixed memory.

import { gzipSync } from "node:zlib";
import type { ResponseSetName, ResponseSetReport } from "./inspect-schema.js";
import {
  DistinctCounter,
  IntegerHistogram,
  MaxCounter,
  TopCounter,
  ratio,
  round,
} from "./sketches.js";
import { SetWords } from "./set-words.js";
import { combine32, estimateTokens, type TextScanner } from "./text.js";

/** Words that make up a reply's opening for template dominance. */
export const TEMPLATE_WORDS = 5;
/** Replies are sampled for the gzip ratio in blocks of consecutive replies this long (gzip's window). */
const GZIP_BLOCK_CHARS = 32 * 1024;
/** Characters (newlines included) of replies compressed for the gzip ratio, at most. */
const GZIP_SAMPLE_CHARS = 512 * 1024;

/**
 * An evenly spaced sample of a stream of texts in blocks: consecutive texts form blocks of at least
 * `blockChars` characters (a newline counted after each text); the sample is every `stride`-th
 * block, the stride being the smallest power of two that keeps the sample within `budget`
 * characters. Kept by halving: when the sample outgrows the budget, every other block goes and the
 * stride doubles. Deterministic; a stream within the budget is kept whole. Blocks as long as gzip's
 * window keep the redundancy between neighbouring texts (a repeated reply right after its twin)
 * that compressing the whole stream would find.
 */
export class BlockSample {
  private blocks: string[][] = [];
  private chars = 0;
  private block = 0;
  private blockChars = 0;
  stride = 1;

  constructor(
    private readonly blockLength: number,
    private readonly budget: number,
  ) {}

  add(text: string): void {
    if (this.block % this.stride === 0) {
      if (this.blockChars === 0) this.blocks.push([]);
      this.blocks.at(-1)!.push(text);
      this.chars += text.length + 1;
    }
    this.blockChars += text.length + 1;
    if (this.blockChars >= this.blockLength) {
      this.block++;
      this.blockChars = 0;
    }
    while (this.chars > this.budget && this.blocks.length > 1) {
      // The j-th block kept is block j × stride: the even j are the multiples of 2 × stride.
      this.blocks = this.blocks.filter((_, j) => j % 2 === 0);
      this.chars = 0;
      for (const kept of this.blocks) for (const text of kept) this.chars += text.length + 1;
      this.stride *= 2;
    }
  }

  /** The sample's texts joined by newlines. */
  joined(): string {
    return this.blocks.map((block) => block.join("\n")).join("\n");
  }
}

export class ResponseSetAccumulator {
  private replies = 0;
  private empty = 0;
  private readonly words = new IntegerHistogram();
  private readonly tokens = new IntegerHistogram();
  private readonly unigrams = new SetWords();
  private readonly bigrams = new DistinctCounter();
  private wordTotal = 0;
  private bigramTotal = 0;
  private vocabularyTotal = 0;
  private readonly bigramCounts = new MaxCounter(2, 1 << 15);
  private topBigramText = "";
  private readonly openings = new TopCounter();
  private bigramBuffer = new Uint32Array(1024);
  private readonly gzipSample = new BlockSample(GZIP_BLOCK_CHARS, GZIP_SAMPLE_CHARS);

  constructor(readonly name: ResponseSetName) {}

  /** Adds one reply, already scanned by `scanner`. */
  add(text: string, scanner: TextScanner): void {
    this.replies++;
    const count = scanner.wordCount;
    if (scanner.blank) this.empty++;
    this.words.add(count);
    this.tokens.add(estimateTokens(text));
    this.wordTotal += count;
    const hashes = scanner.wordHashes;
    this.vocabularyTotal += this.unigrams.addReply(hashes, count);
    // Batches (one call per reply, not per word): the bigram hashes go into a reusable buffer.
    if (count > this.bigramBuffer.length) this.bigramBuffer = new Uint32Array(count * 2);
    const buffer = this.bigramBuffer;
    for (let i = 1; i < count; i++) buffer[i - 1] = combine32(hashes[i - 1]! | 0, hashes[i]! | 0);
    if (count > 1) {
      this.bigrams.addAll(buffer, count - 1);
      const newMax = this.bigramCounts.addAll(buffer, count - 1);
      if (newMax >= 0) this.topBigramText = scanner.phrase(newMax, newMax + 2);
    }
    if (count > 1) this.bigramTotal += count - 1;
    if (count > 0) this.openings.add(scanner.phrase(0, TEMPLATE_WORDS));
    this.gzipSample.add(text);
  }

  /** gzip (level 6) bytes ÷ UTF-8 bytes of the sample, compressed once as one stream. */
  private gzipRatio(): number {
    const raw = Buffer.from(this.gzipSample.joined(), "utf8");
    return raw.length === 0 ? 0 : ratio(gzipSync(raw).length, raw.length);
  }

  summary(): ResponseSetReport {
    const opening = this.openings.top(1)[0];
    const words = this.words.summary();
    return {
      name: this.name,
      replies: this.replies,
      empty: this.empty,
      words,
      tokens: this.tokens.summary(),
      diversity: {
        distinct1: ratio(this.unigrams.distinct, this.wordTotal),
        distinct2: ratio(this.bigrams.size, this.bigramTotal),
        distinctEstimated: this.unigrams.estimated || this.bigrams.estimated,
        vocabularyPerReply: round(this.replies === 0 ? 0 : this.vocabularyTotal / this.replies),
        lengthStd: words.std,
        topBigram:
          this.bigramTotal === 0
            ? null
            : {
                text: this.topBigramText,
                share: ratio(this.bigramCounts.maxCount, this.bigramTotal),
                errorBound: ratio(this.bigramCounts.errorBound, this.bigramTotal),
              },
        gzipRatio: this.gzipRatio(),
        gzipSampled: this.gzipSample.stride > 1,
        template:
          opening === undefined
            ? null
            : {
                text: opening.key,
                share: ratio(opening.count, this.replies),
                count: opening.count,
              },
      },
    };
  }
}
