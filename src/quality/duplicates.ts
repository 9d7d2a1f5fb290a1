// Exact and near duplicates over a stream of rows: a 64-bit hash of the normalised text in a
// FirstRowTable, MinHash + LSH for near ones, and union-find for the clusters both form.

import {
  FirstRowTable,
  LshIndex,
  MinHasher,
  RowComponents,
  lshThreshold,
  type MinHashParams,
} from "./minhash.js";
import { combine32, type TextScanner } from "./text.js";

/** Clusters found: rows that repeat an earlier one, groups, and the largest groups' rows. */
export interface DuplicateGroups {
  readonly duplicateRows: number;
  readonly clusters: number;
  /** Up to `examples` largest clusters: size and up to five member rows (first row first). */
  readonly largest: readonly { readonly size: number; readonly rows: readonly number[] }[];
  readonly bytes: number;
}

/** Hashes of a row's key texts combined: equal only when every part is equal. */
export function exactKey(parts: readonly TextScanner[]): { home: number; fingerprint: number } {
  let home = 0x3c6ef372;
  let fingerprint = 0xa54ff53a;
  for (const part of parts) {
    home = combine32(home, part.exactHigh);
    fingerprint = combine32(fingerprint, part.exactLow);
  }
  return { home, fingerprint };
}

/**
 * Finds duplicates among rows numbered in increasing order (by line: numbers may be skipped). Exact: the same normalised texts
 * (see TextScanner). Near: MinHash + LSH over word shingles; near includes exact duplicates
 * (their similarity is 1).
 */
export class DuplicateFinder {
  private readonly exactTable: FirstRowTable;
  private readonly exactComponents = new RowComponents();
  private readonly nearComponents = new RowComponents();
  private readonly hasher: MinHasher | undefined;
  private readonly lsh: LshIndex | undefined;
  private readonly signature: Uint32Array | undefined;
  private rows = 0;

  constructor(near: MinHashParams | null, expectedRows = 1024) {
    this.exactTable = new FirstRowTable(expectedRows);
    if (near !== null) {
      this.hasher = new MinHasher(near);
      this.lsh = new LshIndex(near, this.nearComponents, expectedRows);
      this.signature = new Uint32Array(this.hasher.size);
    }
  }

  get threshold(): number | undefined {
    return this.hasher === undefined ? undefined : lshThreshold(this.hasher.params);
  }

  /** Adds row `row` (above every number before it) keyed by the texts `parts`; returns its earlier twins. */
  add(row: number, parts: readonly TextScanner[]): { exactOf: number; nearOf: number } {
    const { home, fingerprint } = exactKey(parts);
    return this.addKeys(row, home, fingerprint, this.hasher?.signature(parts, this.signature));
  }

  /** As `add`, given the row's exact key and near-duplicate signature (computed elsewhere). */
  addKeys(
    row: number,
    home: number,
    fingerprint: number,
    signature: Uint32Array | undefined,
  ): { exactOf: number; nearOf: number } {
    this.rows = row + 1;
    this.exactComponents.ensure(row);
    const exactOf = this.exactTable.firstOrAdd(home, fingerprint, row);
    if (exactOf >= 0) this.exactComponents.union(row, exactOf);
    let nearOf = -1;
    if (this.lsh !== undefined) {
      this.nearComponents.ensure(row);
      if (signature !== undefined) nearOf = this.lsh.add(row, signature);
      if (exactOf >= 0) {
        this.nearComponents.union(row, exactOf);
        if (nearOf < 0 || exactOf < nearOf) nearOf = exactOf;
      }
    }
    return { exactOf, nearOf };
  }

  exactGroups(examples = 5): DuplicateGroups {
    return groups(
      this.exactComponents,
      this.rows,
      examples,
      this.exactTable.bytes + this.exactComponents.bytes,
    );
  }

  nearGroups(examples = 5): DuplicateGroups | null {
    if (this.lsh === undefined) return null;
    return groups(
      this.nearComponents,
      this.rows,
      examples,
      this.lsh.bytes + this.nearComponents.bytes,
    );
  }
}

/** Sizes and members of the components with more than one row. */
function groups(
  components: RowComponents,
  rows: number,
  examples: number,
  bytes: number,
): DuplicateGroups {
  const sizes = new Map<number, number>();
  let duplicateRows = 0;
  for (let row = 0; row < rows; row++) {
    const root = components.find(row);
    if (root === row) continue;
    duplicateRows++;
    sizes.set(root, (sizes.get(root) ?? 1) + 1);
  }
  const chosen = [...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, examples);
  const members = new Map<number, number[]>(chosen.map(([root]) => [root, [root]]));
  for (let row = 0; row < rows && members.size > 0; row++) {
    const list = members.get(components.find(row));
    if (list !== undefined && list.length < 5 && row !== list[0]) list.push(row);
  }
  return {
    duplicateRows,
    clusters: sizes.size,
    largest: chosen.map(([root, size]) => ({ size, rows: members.get(root) ?? [root] })),
    bytes,
  };
}
