// Text primitives shared by every metric: one pass over a reply's characters gives its words (as
// hashes) and the hash of its normalised text for exact duplicates, without making a string per
// word. This pass runs over every character of every row: ASCII texts (nearly all) go through the
// WebAssembly kernel (kernel.ts), the rest through the general loop here.

import { TextKernel } from "./kernel.js";

/** The murmur3 finaliser: a bijection on 32-bit integers that spreads every input bit. */
export function mix32(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A seeded 32-bit hash of a string's UTF-16 code units (FNV-1a steps, murmur3 finaliser). */
export function hashString32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** Combines two 32-bit hashes in order: combine32(a, b) ≠ combine32(b, a). */
export function combine32(a: number, b: number): number {
  return mix32(Math.imul(a, 0x9e3779b1) ^ b);
}

/**
 * Whether a (lower-cased) UTF-16 code unit belongs to a word: ASCII letters and digits, and any
 * character from U+00C0 up except the punctuation and symbol blocks (general punctuation through
 * miscellaneous symbols, CJK punctuation, full-width ASCII punctuation) and × ÷. Scripts without
 * spaces between words (Chinese, Japanese, Thai) therefore count a whole run as one word.
 */
function isWordCode(code: number): boolean {
  if (code < 0xc0) return (code >= 97 && code <= 122) || (code >= 48 && code <= 57);
  if (code >= 0x2000 && code <= 0x2bff) return false;
  if (code >= 0x3000 && code <= 0x303f) return false;
  if (code >= 0xfe30 && code <= 0xfe4f) return false;
  if (code >= 0xff00 && code <= 0xff20) return false;
  return code !== 0xd7 && code !== 0xf7;
}

function isApostrophe(code: number): boolean {
  return code === 39 || code === 0x2019;
}

function isSpace(code: number): boolean {
  return (
    code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x3000
  );
}

const SPACE = 1;
const WORD = 2;
const QUOTE = 3;

/**
 * Class (SPACE, WORD, QUOTE or 0) and lower case of each ASCII code, by the rules above; and
 * whether a code after an apostrophe continues a word (as the general loop tests it, `| 32`).
 */
const ASCII_CLASS = new Uint8Array(128);
const ASCII_LOWER = new Uint8Array(128);
const ASCII_JOIN = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  ASCII_JOIN[code] = isWordCode(code | 32) ? 1 : 0;
  const lower = code >= 65 && code <= 90 ? code + 32 : code;
  ASCII_LOWER[code] = lower;
  ASCII_CLASS[code] = isSpace(lower)
    ? SPACE
    : isWordCode(lower)
      ? WORD
      : isApostrophe(lower)
        ? QUOTE
        : 0;
}

let kernel: TextKernel | undefined;

/** This thread's kernel, made on first use. */
function textKernel(): TextKernel {
  kernel ??= new TextKernel({ classes: ASCII_CLASS, lower: ASCII_LOWER, join: ASCII_JOIN });
  return kernel;
}

/**
 * Adds anchor bits (a bit per value of a word hash's low 16 bits) to those the scan tests each
 * word against (TextScanner's `anchorFrom`); returns the count of additions so far, which scans
 * made after this one carry (`anchorGeneration`).
 */
export function addAnchorBits(bits: Int32Array): number {
  const scanKernel = textKernel();
  scanKernel.addAnchors(bits);
  return scanKernel.anchorGeneration;
}

/**
 * Scans texts one at a time into reusable buffers. After `scan(text)`:
 * - `wordCount` words, each with `wordHashes[i]` (32-bit, seeded by nothing: the same word always
 *   hashes the same); `phrase` and `word` give them as text. A word is a run of letters and
 *   digits, with inner apostrophes ("don't"), compared in lower case;
 * - `exactHigh`/`exactLow`: a 64-bit hash of the text lower-cased, with each run of whitespace read
 *   as one space and leading and trailing whitespace ignored (the exact-duplicate normalisation).
 */
export class TextScanner {
  wordHashes = new Uint32Array(256);
  wordCount = 0;
  exactHigh = 0;
  exactLow = 0;
  /** The text is empty or only whitespace. */
  blank = true;
  /**
   * No word before this one has an anchor bit (`addAnchorBits`) as they were when the text was
   * scanned (`anchorGeneration`); 0 when the scan did not look (a text the general loop read).
   */
  anchorFrom = 0;
  anchorGeneration = 0;
  /** Where words are in the (lower-cased) text, known for the first `spans` of them. */
  private wordStarts = new Int32Array(256);
  private wordEnds = new Int32Array(256);
  private spans = 0;
  private text = "";
  private loweredText: string | undefined;

  scan(text: string): void {
    this.text = text;
    this.loweredText = undefined;
    // ASCII texts go to the kernel, which folds case itself; a text with anything else is
    // lower-cased first (Unicode case mapping), which costs a copy of the string.
    const kernel = textKernel();
    const count = kernel.scan(text);
    if (count < 0) {
      const lowered = text.toLowerCase();
      this.loweredText = lowered;
      this.scanCodes(lowered);
      this.anchorFrom = 0;
      return;
    }
    this.anchorFrom = kernel.firstAnchor;
    this.anchorGeneration = kernel.anchorGeneration;
    if (count > this.wordHashes.length) this.growTo(count);
    this.wordHashes.set(kernel.hashes.subarray(0, count));
    this.wordCount = count;
    this.exactHigh = kernel.exactHigh;
    this.exactLow = kernel.exactLow;
    this.blank = kernel.normalised === 0;
    // The kernel gives no offsets: `phrase` finds the few it needs (asciiSpans).
    this.spans = 0;
  }

  /**
   * As `scan`, always by the general loop (Unicode lower case first) that `scan` takes for texts
   * with a non-ASCII character: its results on an ASCII text are the kernel's (a test holds the
   * two to that).
   */
  scanGeneral(text: string): void {
    this.text = text;
    const lowered = text.toLowerCase();
    this.loweredText = lowered;
    this.scanCodes(lowered);
    this.anchorFrom = 0;
  }

  /** The scanned text in lower case (made on first use: the hot path never needs it). */
  get lowered(): string {
    this.loweredText ??= this.text.toLowerCase();
    return this.loweredText;
  }

  /**
   * The offsets of the first `limit` words of an ASCII text the kernel scanned, by the kernel's
   * rules (its words in the same order): phrases need the first few words (an opening) or,
   * rarely, a pair in the middle.
   */
  private asciiSpans(limit: number): void {
    const text = this.text;
    const length = text.length;
    const starts = this.wordStarts;
    const ends = this.wordEnds;
    let count = 0;
    let i = 0;
    while (i < length && count < limit) {
      if (ASCII_CLASS[text.charCodeAt(i)] !== WORD) {
        i++;
        continue;
      }
      starts[count] = i;
      for (i++; i < length; i++) {
        const kind = ASCII_CLASS[text.charCodeAt(i)];
        if (kind === WORD) continue;
        if (kind === QUOTE && i + 1 < length && ASCII_JOIN[text.charCodeAt(i + 1)] === 1) continue;
        break;
      }
      ends[count++] = i;
    }
    this.spans = count;
  }

  /** One pass over `text` (lower-cased), every code by the rules above. */
  private scanCodes(text: string): void {
    if (text.length >= this.wordHashes.length) this.growTo(text.length + 1);
    const hashes = this.wordHashes;
    const starts = this.wordStarts;
    const ends = this.wordEnds;
    let count = 0;
    let high = 0x84222325;
    let low = 0xcbf29ce4;
    let pendingSpace = false;
    let started = false;
    let inWord = false;
    let word = 0;
    let normalised = 0;
    const length = text.length;
    for (let i = 0; i < length; i++) {
      let code = text.charCodeAt(i);
      // ASCII codes take their class and lower case from a table (one load instead of a chain of
      // comparisons: this loop runs over every character of every row).
      let kind: number;
      if (code < 0x80) {
        kind = ASCII_CLASS[code]!;
        code = ASCII_LOWER[code]!;
      } else
        kind = isSpace(code) ? SPACE : isWordCode(code) ? WORD : isApostrophe(code) ? QUOTE : 0;
      if (kind === SPACE) {
        if (started) pendingSpace = true;
      } else {
        if (pendingSpace) {
          high = Math.imul(high ^ 32, 0x01000193);
          low = Math.imul(low ^ 32, 0x5bd1e995);
          normalised++;
          pendingSpace = false;
        }
        started = true;
        high = Math.imul(high ^ code, 0x01000193);
        low = Math.imul(low ^ code, 0x5bd1e995);
        normalised++;
      }
      const wordCode =
        kind === WORD ||
        (kind === QUOTE && inWord && i + 1 < length && isWordCode(text.charCodeAt(i + 1) | 32));
      if (wordCode) {
        if (!inWord) {
          inWord = true;
          word = 0x811c9dc5;
          starts[count] = i;
        }
        word = Math.imul(word ^ code, 0x01000193);
      } else if (inWord) {
        inWord = false;
        hashes[count] = mix32(word);
        ends[count] = i;
        count++;
      }
    }
    if (inWord) {
      hashes[count] = mix32(word);
      ends[count] = length;
      count++;
    }
    this.wordCount = count;
    this.exactHigh = mix32(high);
    this.exactLow = mix32(low ^ normalised);
    this.blank = normalised === 0;
    this.spans = count;
  }

  /** The i-th word as a string (for labels: the hot path never builds it). */
  word(i: number): string {
    return this.phrase(i, i + 1);
  }

  /**
   * Words `from` to `to` (exclusive) joined by single spaces. Only their span is lower-cased: an
   * ASCII text was scanned as it is, so its offsets are those of its lower case. The result is a
   * new string (joined from copies), so keeping it does not keep the whole text alive.
   */
  phrase(from: number, to: number): string {
    const end = Math.min(to, this.wordCount);
    if (from >= end) return "";
    if (this.spans < end) this.asciiSpans(end);
    const offset = this.wordStarts[from]!;
    const text = this.loweredText ?? this.text;
    // Words one space apart (most openings) are the span itself, lower-cased; copied through a
    // concatenation, as a slice of 13 or more characters would keep the whole text alive.
    let spaced = true;
    for (let i = from + 1; i < end && spaced; i++)
      spaced =
        this.wordStarts[i] === this.wordEnds[i - 1]! + 1 &&
        text.charCodeAt(this.wordEnds[i - 1]!) === 32;
    if (spaced) {
      const copy = ` ${text.slice(offset, this.wordEnds[end - 1])}`.slice(1);
      return this.loweredText === undefined ? copy.toLowerCase() : copy;
    }
    const span = text.slice(offset, this.wordEnds[end - 1]);
    const lowered = this.loweredText === undefined ? span.toLowerCase() : span;
    const parts: string[] = [];
    for (let i = from; i < end; i++)
      parts.push(lowered.slice(this.wordStarts[i]! - offset, this.wordEnds[i]! - offset));
    return parts.join(" ");
  }

  private growTo(size: number): void {
    let length = this.wordHashes.length;
    while (length < size) length *= 2;
    this.wordHashes = new Uint32Array(length);
    this.wordStarts = new Int32Array(length);
    this.wordEnds = new Int32Array(length);
  }
}

const sharedScanner = new TextScanner();

/** Words in a text, by TextScanner's rule. */
export function countWords(text: string): number {
  sharedScanner.scan(text);
  return sharedScanner.wordCount;
}

/** Lower-cased words of a text, by TextScanner's rule (for tests and labels, not hot paths). */
export function words(text: string): string[] {
  sharedScanner.scan(text);
  return Array.from({ length: sharedScanner.wordCount }, (_, i) => sharedScanner.word(i));
}

/**
 * Estimated tokens of a reply: one per 4 characters, rounded up (the usual rule of thumb for
 * English BPE vocabularies; no tokenizer is loaded, so counts are comparable across models).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
