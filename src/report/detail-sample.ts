// The bounded, seeded sample of items whose full detail goes into the report: the `limit` items
// with the smallest hash of (seed, id), kept in a max-heap while the run streams past, so memory
// stays at `limit` details however many items the run has, and the same seed picks the same items.

import { sha256Hex } from "../io/index.js";

/** The sample key of an item: the first 48 bits of sha256(seed, id). */
export function sampleKey(seed: number, id: string): number {
  return Number.parseInt(sha256Hex(`${seed}\u0000${id}`).slice(0, 12), 16);
}

interface Entry<T> {
  readonly key: number;
  readonly id: string;
  readonly value: T;
}

/** Bottom-k by seeded hash over a stream of items. */
export class DetailSample<T> {
  private readonly heap: Entry<T>[] = [];

  constructor(
    readonly seed: number,
    readonly limit: number,
  ) {}

  /** Whether an item with this id would enter the sample now (so callers can skip building it). */
  wants(id: string): boolean {
    if (this.limit <= 0) return false;
    if (this.heap.length < this.limit) return true;
    return sampleKey(this.seed, id) < (this.heap[0]?.key ?? Infinity);
  }

  offer(id: string, value: T): void {
    if (this.limit <= 0) return;
    const key = sampleKey(this.seed, id);
    if (this.heap.length < this.limit) {
      this.heap.push({ key, id, value });
      this.siftUp(this.heap.length - 1);
    } else if (key < (this.heap[0]?.key ?? Infinity)) {
      this.heap[0] = { key, id, value };
      this.siftDown(0);
    }
  }

  /** The sampled items by id. */
  entries(): Map<string, T> {
    return new Map(this.heap.map((entry) => [entry.id, entry.value]));
  }

  get size(): number {
    return this.heap.length;
  }

  private siftUp(index: number): void {
    const heap = this.heap;
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if ((heap[parent] as Entry<T>).key >= (heap[child] as Entry<T>).key) return;
      [heap[parent], heap[child]] = [heap[child] as Entry<T>, heap[parent] as Entry<T>];
      child = parent;
    }
  }

  private siftDown(index: number): void {
    const heap = this.heap;
    let parent = index;
    for (;;) {
      const left = parent * 2 + 1;
      const right = left + 1;
      let largest = parent;
      if (left < heap.length && (heap[left] as Entry<T>).key > (heap[largest] as Entry<T>).key)
        largest = left;
      if (right < heap.length && (heap[right] as Entry<T>).key > (heap[largest] as Entry<T>).key)
        largest = right;
      if (largest === parent) return;
      [heap[parent], heap[largest]] = [heap[largest] as Entry<T>, heap[parent] as Entry<T>];
      parent = largest;
    }
  }
}
