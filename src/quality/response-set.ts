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
import { combine32, estimateTokens, type TextScanner } from "./text.js";

/** Words that make up a reply's opening for template dominance. */
export const TEMPLATE_WORDS = 5;
const GZIP_CHUNK = 256 * 1024;
const GZIP_FULL_REPLIES = 1024;
const GZIP_SAMPLE_EVERY = 64;

/** Distinct words of one reply, counted in a reusable table stamped per reply. */
class ReplyVocabulary {
  private keys = new Uint32Array(512);
  private stamps = new Uint32Array(512);
  private stamp = 0;

  count(scanner: TextScanner): number {
    const needed = scanner.wordCount * 2;
    if (needed > this.keys.length) {
      let size = this.keys.length;
      while (size < needed) size *= 2;
      this.keys = new Uint32Array(size);
      this.stamps = new Uint32Array(size);
    }
    this.stamp++;
    const { keys, stamps, stamp } = this;
    const mask = keys.length - 1;
    let distinct = 0;
    for (let i = 0; i < scanner.wordCount; i++) {
      const key = scanner.wordHashes[i]!;
      let slot = key & mask;
      for (;;) {
        if (stamps[slot] !== stamp) {
          stamps[slot] = stamp;
          keys[slot] = key;
          distinct++;
          break;
        }
        if (keys[slot] === key) break;
        slot = (slot + 1) & mask;
      }
    }
    return distinct;
  }
}

export class ResponseSetAccumulator {
  private replies = 0;
  private empty = 0;
  private readonly words = new IntegerHistogram();
  private readonly tokens = new IntegerHistogram();
  private readonly unigrams = new DistinctCounter();
  private readonly bigrams = new DistinctCounter();
  private wordTotal = 0;
  private bigramTotal = 0;
  private vocabularyTotal = 0;
  private readonly vocabulary = new ReplyVocabulary();
  private readonly bigramCounts = new MaxCounter(2, 1 << 15);
  private topBigramText = "";
  private readonly openings = new TopCounter();
  private bigramBuffer = new Uint32Array(1024);
  private gzipPending: string[] = [];
  private gzipPendingBytes = 0;
  private gzipIn = 0;
  private gzipOut = 0;

  constructor(readonly name: ResponseSetName) {}

  /** Adds one reply, already scanned by `scanner`. */
  add(text: string, scanner: TextScanner): void {
    this.replies++;
    const count = scanner.wordCount;
    if (scanner.blank) this.empty++;
    this.words.add(count);
    this.tokens.add(estimateTokens(text));
    this.wordTotal += count;
    this.vocabularyTotal += this.vocabulary.count(scanner);
    const hashes = scanner.wordHashes;
    // Batches (one call per reply, not per word): the bigram hashes go into a reusable buffer.
    if (count > this.bigramBuffer.length) this.bigramBuffer = new Uint32Array(count * 2);
    const buffer = this.bigramBuffer;
    for (let i = 1; i < count; i++) buffer[i - 1] = combine32(hashes[i - 1]! | 0, hashes[i]! | 0);
    this.unigrams.addAll(hashes, count);
    if (count > 1) {
      this.bigrams.addAll(buffer, count - 1);
      const newMax = this.bigramCounts.addAll(buffer, count - 1);
      if (newMax >= 0) this.topBigramText = scanner.phrase(newMax, newMax + 2);
    }
    if (count > 1) this.bigramTotal += count - 1;
    if (count > 0) this.openings.add(scanner.phrase(0, TEMPLATE_WORDS));
    if (this.replies <= GZIP_FULL_REPLIES || this.replies % GZIP_SAMPLE_EVERY === 0)
      this.gzipAdd(text);
  }

  private gzipAdd(text: string): void {
    this.gzipPending.push(text);
    this.gzipPendingBytes += text.length + 1;
    if (this.gzipPendingBytes >= GZIP_CHUNK) this.gzipFlush();
  }

  /** Compresses the pending chunk (chunks of 256 KiB ≫ gzip's 32 KiB window: close to one stream). */
  private gzipFlush(): void {
    if (this.gzipPending.length === 0) return;
    const raw = Buffer.from(this.gzipPending.join("\n"), "utf8");
    this.gzipIn += raw.length;
    this.gzipOut += gzipSync(raw).length;
    this.gzipPending = [];
    this.gzipPendingBytes = 0;
  }

  summary(): ResponseSetReport {
    this.gzipFlush();
    const opening = this.openings.top(1)[0];
    const words = this.words.summary();
    return {
      name: this.name,
      replies: this.replies,
      empty: this.empty,
      words,
      tokens: this.tokens.summary(),
      diversity: {
        distinct1: ratio(this.unigrams.size, this.wordTotal),
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
        gzipRatio: ratio(this.gzipOut, this.gzipIn),
        gzipSampled: this.replies > GZIP_FULL_REPLIES,
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
