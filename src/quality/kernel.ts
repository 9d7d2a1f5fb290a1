// The WebAssembly kernel of the quality stage (source: assembly/quality-kernel.ts): the loops that
// run over every character or word of a dataset, where JavaScript pays for bounds checks and
// string dispatch (the word scan runs about 2.5 times faster there). The module is compiled once
// per thread; each user gets an instance of its own, so its memory lives and dies with its owner
// (no allocator, nothing to free) and only its owner holds views into it.

import { QUALITY_KERNEL_WASM } from "./kernel-binary.js";

/** The part of the WebAssembly API used here (TypeScript declares it in its DOM library only). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
};

interface KernelExports {
  readonly memory: WasmMemory;
  scan(text: number, length: number, hashes: number): number;
  countMin(
    counters: number,
    depth: number,
    mask: number,
    keys: number,
    count: number,
    state: number,
  ): number;
  addWords(set: number, hashes: number, count: number): number;
  addBigrams(set: number, hashes: number, count: number, out: number): void;
  rehashPairs(old: number, oldMask: number, fresh: number, freshMask: number): void;
}

const PAGE = 65536;
let compiled: object | undefined;

/** An instance of the kernel with a memory of its own. */
class KernelInstance {
  readonly exports: KernelExports;

  constructor() {
    compiled ??= new WebAssembly.Module(Buffer.from(QUALITY_KERNEL_WASM, "base64"));
    this.exports = new WebAssembly.Instance(compiled, {}).exports as KernelExports;
  }

  get buffer(): ArrayBuffer {
    return this.exports.memory.buffer;
  }

  /**
   * Makes the memory at least `bytes` long. Growing detaches every view of the old memory: the
   * caller makes its views again when this returns true.
   */
  reserve(bytes: number): boolean {
    const pages = Math.ceil(bytes / PAGE) - this.buffer.byteLength / PAGE;
    if (pages <= 0) return false;
    this.exports.memory.grow(pages);
    return true;
  }
}

/**
 * Where the scan reads its tables and writes its results: the constants of the same names in
 * assembly/quality-kernel.ts (test/quality/wasm-kernel.test.ts holds the two equal).
 */
export const SCAN_LAYOUT = {
  CLASS: 0,
  LOWER: 128,
  JOIN: 256,
  RESULTS: 384,
  ANCHORS: 1024,
} as const;
const { CLASS, LOWER, JOIN, RESULTS, ANCHORS } = SCAN_LAYOUT;
/** The anchor bits (8 KiB), then the text's bytes; the word hashes follow them. */
const TEXT = ANCHORS + 8192;

/** The byte tables the scan reads: the rules are the caller's (text.ts), not the kernel's. */
export interface KernelTables {
  readonly classes: Uint8Array;
  readonly lower: Uint8Array;
  readonly join: Uint8Array;
}

/**
 * The word scan of ASCII texts. The texts are copied in as UTF-8 by the engine's encoder (a
 * fraction of a nanosecond a character), which also tells whether they are ASCII.
 */
export class TextKernel {
  private readonly instance = new KernelInstance();
  private readonly encoder = new TextEncoder();
  /** Characters a text may have. */
  private capacity = 0;
  private hashStart = 0;
  private bytes = new Uint8Array(0);
  /** The last scan's word hashes (valid up to the count `scan` returned). */
  hashes = new Uint32Array(0);
  /** The last scan's exact hash: its two lanes, and how many characters it covered. */
  private results = new Int32Array(0);
  /** How many times anchors were added: a scan made before a matcher's were is not trusted. */
  anchorGeneration = 0;

  constructor(tables: KernelTables) {
    this.reserve(4096);
    // Growing the memory keeps its bytes: the tables are written once.
    const low = new Uint8Array(this.instance.buffer, 0, TEXT);
    low.set(tables.classes, CLASS);
    low.set(tables.lower, LOWER);
    low.set(tables.join, JOIN);
  }

  /**
   * Scans `text` if every character is ASCII and returns its number of words (hashes in
   * `hashes`, the exact hash in `exactHigh`/`exactLow`/`normalised`); returns -1 otherwise.
   */
  scan(text: string): number {
    const length = text.length;
    if (length > this.capacity) this.reserve(length);
    const { read, written } = this.encoder.encodeInto(text, this.bytes);
    // A character outside ASCII takes two or more bytes: then fewer characters fit or more bytes
    // were written than characters read.
    if (read !== length || written !== length) return -1;
    return this.instance.exports.scan(TEXT, length, this.hashStart);
  }

  get exactHigh(): number {
    return this.results[0]! >>> 0;
  }

  get exactLow(): number {
    return this.results[1]! >>> 0;
  }

  get normalised(): number {
    return this.results[2]!;
  }

  /** The first word of the last scan whose hash has an anchor bit (the word count if none). */
  get firstAnchor(): number {
    return this.results[3]!;
  }

  /**
   * Adds a phrase matcher's anchor bits (a bit per value of a hash's low 16 bits) to the ones the
   * scan tests each word against: the union of every matcher's, so a word without a bit is no
   * matcher's anchor.
   */
  addAnchors(bits: Int32Array): void {
    const anchors = new Int32Array(this.instance.buffer, ANCHORS, bits.length);
    for (let i = 0; i < bits.length; i++) anchors[i] = anchors[i]! | bits[i]!;
    this.anchorGeneration++;
  }

  /** Room for a text of `length` characters and its words (at most one per two characters). */
  private reserve(length: number): void {
    let capacity = Math.max(this.capacity, 4096);
    while (capacity < length) capacity *= 2;
    const hashStart = TEXT + capacity + 8;
    this.instance.reserve(hashStart + 4 * (capacity / 2 + 2));
    const buffer = this.instance.buffer;
    this.capacity = capacity;
    this.hashStart = hashStart;
    // Every view is made again: growing the memory detached the old ones.
    this.bytes = new Uint8Array(buffer, TEXT, capacity);
    this.hashes = new Uint32Array(buffer, hashStart, capacity / 2 + 2);
    this.results = new Int32Array(buffer, RESULTS, 4);
  }
}

/** Where a count-min sketch keeps its largest key and count, its counters and keys to add. */
const STATE = 0;
const COUNTERS = 64;

/**
 * The counters of a count-min sketch (`depth` rows of `width`, a power of two) and the key with
 * the largest estimate, updated by the kernel's `countMin` (MaxCounter in sketches.ts).
 */
export class CountMinKernel {
  private readonly instance = new KernelInstance();
  private readonly keyStart: number;
  private keyCapacity = 0;
  private keys = new Uint32Array(0);
  private state = new Int32Array(0);

  constructor(
    private readonly depth: number,
    private readonly width: number,
  ) {
    this.keyStart = COUNTERS + 4 * depth * width;
    this.reserveKeys(4096);
  }

  get maxKey(): number {
    return this.state[0]!;
  }

  get maxCount(): number {
    return this.state[1]!;
  }

  /** Adds `keys[offset..offset + count)`; returns the last index (from `offset`) at which a key
   * became the largest, or -1. */
  addAll(keys: Uint32Array, count: number, offset: number): number {
    if (count > this.keyCapacity) this.reserveKeys(count);
    this.keys.set(keys.subarray(offset, offset + count));
    return this.instance.exports.countMin(
      COUNTERS,
      this.depth,
      this.width - 1,
      this.keyStart,
      count,
      STATE,
    );
  }

  private reserveKeys(count: number): void {
    let capacity = Math.max(this.keyCapacity, 4096);
    while (capacity < count) capacity *= 2;
    this.instance.reserve(this.keyStart + 4 * capacity);
    this.keyCapacity = capacity;
    this.keys = new Uint32Array(this.instance.buffer, this.keyStart, capacity);
    this.state = new Int32Array(this.instance.buffer, STATE, 2);
  }
}

/**
 * The fields of a set's header, as i32 indexes: the byte offsets of the same names (in capitals)
 * in assembly/quality-kernel.ts, divided by 4 (test/quality/wasm-kernel.test.ts holds them equal).
 */
export const SET_FIELD = {
  reply: 0,
  wordTable: 1,
  wordMask: 2,
  words: 3,
  wordSketch: 4,
  replyTable: 5,
  replyMask: 6,
  bigramTable: 7,
  bigramMask: 8,
  bigrams: 9,
  bigramSketch: 10,
  bigramLimit: 11,
} as const;

const SET_HEADER = 64;
const SKETCH_BYTES = 1 << 14;

/**
 * The memory of one response set's counts (SetCounts in set-words.ts): a header, two sketches,
 * the reply's words going in and its bigrams coming out, and tables placed after them. The word
 * table, when it grows, moves to the end of memory (the space it leaves is not reused: at most
 * its own size is lost, and only the instance's owner ever held it).
 */
export class SetKernel {
  private readonly instance = new KernelInstance();
  private top = SET_HEADER + 64 + 2 * SKETCH_BYTES;
  private ioStart = 0;
  private ioCapacity = 0;
  /** The header's fields (SET_FIELD). */
  header = new Int32Array(0);
  /** The reply's word hashes, and where its bigram hashes come out. */
  input = new Uint32Array(0);
  output = new Uint32Array(0);

  constructor() {
    this.instance.reserve(this.top);
    this.views();
    this.header[SET_FIELD.wordSketch] = SET_HEADER + 64;
    this.header[SET_FIELD.bigramSketch] = SET_HEADER + 64 + SKETCH_BYTES;
    this.reserveWords(1024);
  }

  /** Room for a reply of `count` words in `input` and `output`. */
  reserveWords(count: number): void {
    if (count <= this.ioCapacity) return;
    let capacity = Math.max(this.ioCapacity, 1024);
    while (capacity < count) capacity *= 2;
    this.ioStart = this.allocate(8 * capacity);
    this.ioCapacity = capacity;
    this.views();
  }

  /** A new zeroed region of `bytes` (a multiple of 8) at the end of memory; its offset. */
  allocate(bytes: number): number {
    const start = this.top;
    this.top += bytes;
    if (this.instance.reserve(this.top)) this.views();
    return start;
  }

  addWords(count: number): number {
    return this.instance.exports.addWords(SET_HEADER, this.ioStart, count);
  }

  addBigrams(count: number): void {
    this.instance.exports.addBigrams(
      SET_HEADER,
      this.ioStart,
      count,
      this.ioStart + 4 * this.ioCapacity,
    );
  }

  /** Moves a word table's pairs into a new, larger region. */
  rehashPairs(old: number, oldMask: number, fresh: number, freshMask: number): void {
    this.instance.exports.rehashPairs(old, oldMask, fresh, freshMask);
  }

  /** A copy of `length` bytes of memory from `start`. */
  copy(start: number, length: number): Uint8Array {
    return new Uint8Array(this.instance.buffer, start, length).slice();
  }

  /** A view of `length` i32 values from `start` (valid until the next allocation). */
  int32s(start: number, length: number): Int32Array {
    return new Int32Array(this.instance.buffer, start, length);
  }

  private views(): void {
    const buffer = this.instance.buffer;
    this.header = new Int32Array(buffer, SET_HEADER, 16);
    this.input = new Uint32Array(buffer, this.ioStart, this.ioCapacity);
    this.output = new Uint32Array(buffer, this.ioStart + 4 * this.ioCapacity, this.ioCapacity);
  }
}
