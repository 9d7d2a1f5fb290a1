// `scores.jsonl` beside a dataset (written by `charter score`): one `{id, score}` per line, looked
// up by row id for `filter --min-score` and `--keep best`. Held as 64-bit id hashes and a Float64
// per row, not as strings.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { CharterError } from "../errors.js";
import { readJsonLines } from "../io/index.js";
import { FirstRowTable } from "./minhash.js";
import type { DatasetSource } from "./read-dataset.js";
import { hashString32 } from "./text.js";

/** Where `charter score` puts the scores of a dataset: in the run folder, or beside the file. */
export function scoresFileFor(source: DatasetSource): string {
  return source.run !== undefined
    ? join(source.path, "scores.jsonl")
    : join(dirname(source.file), "scores.jsonl");
}

export class ScoreTable {
  private readonly index = new FirstRowTable();
  private values = new Float64Array(1024);
  private count = 0;

  constructor(readonly file: string) {}

  /** Reads `file`; a line without a string `id` and a finite number `score` is an error. */
  static async load(file: string): Promise<ScoreTable> {
    if (!existsSync(file))
      throw new CharterError(
        "scores-not-found",
        `${file} not found: run 'charter score' on the dataset first`,
      );
    const table = new ScoreTable(file);
    for await (const { line, value } of readJsonLines(file)) {
      const row = value as { id?: unknown; score?: unknown };
      const id = typeof row.id === "number" ? String(row.id) : row.id;
      if (typeof id !== "string" || typeof row.score !== "number" || !Number.isFinite(row.score))
        throw new CharterError(
          "invalid-score",
          `${file}:${line}: expected {"id": ..., "score": number}`,
        );
      table.set(id, row.score);
    }
    return table;
  }

  private set(id: string, score: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    const earlier = this.index.firstOrAdd(hashString32(id, 1), hashString32(id, 2), this.count);
    if (earlier >= 0) this.values[earlier] = score;
    else this.values[this.count++] = score;
  }

  get size(): number {
    return this.count;
  }

  /** The score of a row id, or undefined when it has none. */
  get(id: string): number | undefined {
    const slot = this.index.lookup(hashString32(id, 1), hashString32(id, 2));
    return slot < 0 ? undefined : this.values[slot];
  }
}
