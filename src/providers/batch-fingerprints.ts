// A compact map from custom_id to a small number (the journal's intent slot): 64-bit fingerprints
// in an open-addressing table of typed arrays, 12 bytes a slot, so a resume over millions of
// journaled requests holds no string or Map entry per request.

/** How full the table may get before it doubles (linear probing stays short below this). */
const MAX_LOAD = 0.85;
const MIN_CAPACITY = 1 << 10;

/**
 * A custom_id's fingerprint, as two 32-bit halves. Charter's ids end in 40 hex digits of a hash
 * (batch-api.ts `customIdOf`): 64 of its bits, mixed with the purpose before it (two purposes may
 * ask the same body). Any other id is hashed whole. Two ids share a fingerprint with odds of about
 * n / 2^64 per lookup; the batch's results are still matched by the whole custom_id.
 */
export function fingerprint(customId: string): readonly [number, number] {
  const out = new Uint32Array(2);
  fingerprintAt(customId, 0, customId.length, out);
  return [out[0] ?? 0, out[1] ?? 0];
}

/** `fingerprint` of `text.slice(start, end)`, into `out`, without making that string. */
export function fingerprintAt(text: string, start: number, end: number, out: Uint32Array): void {
  const tail = end - 40;
  if (tail > start && text.charCodeAt(tail - 1) === 45) {
    const hi = hexAt(text, tail);
    const lo = hexAt(text, tail + 8);
    if (hi >= 0 && lo >= 0) {
      out[0] = hi;
      out[1] = lo ^ fnv1a(text, start, tail - 1, 0x811c9dc5);
      return;
    }
  }
  out[0] = fnv1a(text, start, end, 0x811c9dc5);
  out[1] = fnv1a(text, start, end, 0x01000193);
}

/** Eight lowercase hex digits at `from` as a number, or -1. */
function hexAt(text: string, from: number): number {
  let value = 0;
  for (let at = from; at < from + 8; at++) {
    const code = text.charCodeAt(at);
    const digit = code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

function fnv1a(text: string, from: number, to: number, seed: number): number {
  let hash = seed;
  for (let at = from; at < to; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  return hash >>> 0;
}

/**
 * Fingerprint → value (a positive 32-bit integer). Linear probing with backward-shift deletion
 * (no tombstones), so deleting keeps lookups short.
 */
export class FingerprintTable {
  #hi: Uint32Array;
  #lo: Uint32Array;
  /** 0: empty. */
  #value: Uint32Array;
  #shift: number;
  #size = 0;

  /** `expected`: entries it should hold without growing. */
  constructor(expected = 0) {
    const capacity = capacityFor(expected);
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#value = new Uint32Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Bytes of its arrays. */
  get bytes(): number {
    return this.#value.length * 12;
  }

  get(hi: number, lo: number): number {
    const at = this.#find(hi >>> 0, lo >>> 0);
    return this.#value[at] ?? 0;
  }

  /** Sets the value; the one it replaced, or 0. */
  set(high: number, low: number, value: number): number {
    if (value <= 0) throw new RangeError("a fingerprint's value must be positive");
    const [hi, lo] = [high >>> 0, low >>> 0];
    let at = this.#find(hi, lo);
    const previous = this.#value[at] ?? 0;
    if (previous === 0) {
      if (this.#size + 1 > this.#value.length * MAX_LOAD) {
        this.#rebuild(capacityFor(this.#size + 1), () => true);
        at = this.#find(hi, lo);
      }
      this.#hi[at] = hi;
      this.#lo[at] = lo;
      this.#size += 1;
    }
    this.#value[at] = value;
    return previous;
  }

  /** Removes the key; its value, or 0. */
  delete(hi: number, lo: number): number {
    let hole = this.#find(hi >>> 0, lo >>> 0);
    const previous = this.#value[hole] ?? 0;
    if (previous === 0) return 0;
    this.#size -= 1;
    // Backward shift: move later entries of the run into the hole when their home allows it.
    const mask = this.#value.length - 1;
    for (let next = (hole + 1) & mask; (this.#value[next] ?? 0) !== 0; next = (next + 1) & mask) {
      const home = this.#home(this.#hi[next] ?? 0, this.#lo[next] ?? 0);
      const movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
      if (!movable) continue;
      this.#hi[hole] = this.#hi[next] ?? 0;
      this.#lo[hole] = this.#lo[next] ?? 0;
      this.#value[hole] = this.#value[next] ?? 0;
      hole = next;
    }
    this.#value[hole] = 0;
    return previous;
  }

  /** Keeps only the entries whose value `keep` accepts, in a table sized for them. */
  retain(keep: (value: number) => boolean): void {
    let kept = 0;
    for (const value of this.#value) if (value !== 0 && keep(value)) kept += 1;
    this.#rebuild(capacityFor(kept), keep);
  }

  #home(hi: number, lo: number): number {
    return Math.imul(hi ^ lo, 0x9e3779b1) >>> this.#shift;
  }

  /** The key's slot, or the empty slot where it would go. */
  #find(hi: number, lo: number): number {
    const mask = this.#value.length - 1;
    let at = this.#home(hi, lo);
    while (
      (this.#value[at] ?? 0) !== 0 &&
      ((this.#hi[at] ?? 0) !== hi || (this.#lo[at] ?? 0) !== lo)
    )
      at = (at + 1) & mask;
    return at;
  }

  #rebuild(capacity: number, keep: (value: number) => boolean): void {
    const [his, los, values] = [this.#hi, this.#lo, this.#value];
    this.#hi = new Uint32Array(capacity);
    this.#lo = new Uint32Array(capacity);
    this.#value = new Uint32Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
    this.#size = 0;
    for (let from = 0; from < values.length; from++) {
      const value = values[from] ?? 0;
      if (value === 0 || !keep(value)) continue;
      const hi = his[from] ?? 0;
      const lo = los[from] ?? 0;
      const at = this.#find(hi, lo);
      this.#hi[at] = hi;
      this.#lo[at] = lo;
      this.#value[at] = value;
      this.#size += 1;
    }
  }
}

function capacityFor(entries: number): number {
  let capacity = MIN_CAPACITY;
  while (entries > capacity * MAX_LOAD) capacity *= 2;
  return capacity;
}
