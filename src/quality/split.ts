// `charter split` as a library: rows go to named splits by a seeded hash of their normalised
// prompt, so every copy of a prompt lands in the same split (as the HF CAI recipe keeps SFT and
// preference prompts apart); deterministic, and the input lines are copied byte for byte.

import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { readTextLines, writeJsonAtomic } from "../io/index.js";
import { layoutReader, type DatasetFormat } from "../datasets/index.js";
import { LineArray } from "./line-array.js";
import { LineFile } from "./line-file.js";
import { layoutsField, openDataset, readDatasetRows, type LayoutRows } from "./read-dataset.js";
import { TextScanner, mix32 } from "./text.js";

export interface SplitShare {
  readonly name: string;
  readonly fraction: number;
}

/** What decides the split: the prompt (default: no prompt in two splits) or the row id. */
export type SplitKey = "prompt" | "id";

export interface SplitOptions {
  readonly input: string;
  readonly out: string;
  readonly into: readonly SplitShare[];
  readonly by?: SplitKey;
  readonly seed?: number;
  readonly cwd?: string;
  readonly format?: DatasetFormat;
  readonly skipInvalid?: boolean;
}

export interface SplitStats {
  readonly schema: "charter-split/1";
  readonly input: string;
  readonly format: DatasetFormat;
  /** Rows read per layout, present only when the input mixed layouts (see `charter inspect`). */
  readonly layouts?: readonly LayoutRows[];
  readonly by: SplitKey;
  readonly seed: number;
  readonly rows: number;
  readonly invalid: number;
  readonly splits: readonly {
    readonly name: string;
    readonly fraction: number;
    readonly file: string;
    readonly rows: number;
  }[];
}

/**
 * Parses `sft=0.5,pref=0.5`: names are letters, digits, `-` and `_`; fractions are positive and
 * sum to 1.
 */
export function parseShares(text: string): SplitShare[] {
  const shares = text.split(",").map((part) => {
    const [name, value, extra] = part.split("=");
    const fraction = Number(value);
    if (
      name === undefined ||
      !/^[A-Za-z0-9_-]+$/.test(name) ||
      value === undefined ||
      extra !== undefined
    )
      throw new UsageError(`--into: '${part}' is not NAME=FRACTION (e.g. sft=0.5,pref=0.5)`);
    if (!Number.isFinite(fraction) || fraction <= 0)
      throw new UsageError(
        `--into: the fraction of '${name}' must be a positive number, got '${value}'`,
      );
    return { name, fraction };
  });
  if (shares.length > 255) throw new UsageError(`--into: at most 255 splits`);
  const names = new Set(shares.map((share) => share.name));
  if (names.size !== shares.length) throw new UsageError(`--into: a split is named twice`);
  const total = shares.reduce((sum, share) => sum + share.fraction, 0);
  if (Math.abs(total - 1) > 1e-9)
    throw new UsageError(`--into: the fractions add up to ${total}, not 1`);
  return shares;
}

/** A number in [0, 1) from 53 bits of a seeded 64-bit text hash. */
function unitHash(high: number, low: number, seed: number): number {
  const a = mix32(high ^ mix32(seed ^ 0x1b873593));
  const b = mix32(low ^ mix32(seed ^ 0xcc9e2d51));
  return (a * 0x200000 + (b >>> 11)) / 2 ** 53;
}

/**
 * Splits a dataset into `out/<name>.jsonl` files and `out/stats.json`.
 *
 * @example
 * await runSplit({ input: "runs/demo/sft.jsonl", out: "splits", into: parseShares("sft=0.5,pref=0.5") });
 */
export async function runSplit(options: SplitOptions): Promise<SplitStats> {
  const cwd = options.cwd ?? ".";
  const by = options.by ?? "prompt";
  const seed = options.seed ?? 1;
  const source = await openDataset(
    resolve(cwd, options.input),
    options.format === undefined ? {} : { format: options.format },
  );
  const out = resolve(cwd, options.out);
  if (resolve(source.file, "..") === out)
    throw new UsageError(
      `--out ${options.out} is the input's own folder: choose another, the input is never modified`,
    );
  const bounds: number[] = [];
  let cumulative = 0;
  for (const share of options.into) bounds.push((cumulative += share.fraction));
  bounds[bounds.length - 1] = 1;

  // Pass 1: the split of each line.
  // Split index + 1 per line (0: not a row).
  const splitOf = new LineArray(new Uint8Array(1024), (size) => new Uint8Array(size));
  const scanner = new TextScanner();
  let invalid = 0;
  const reader = layoutReader(source);
  for await (const row of readDatasetRows(source, {
    reader,
    skipInvalid: options.skipInvalid === true,
    onInvalid: () => invalid++,
    withTrace: false,
  })) {
    scanner.scan(by === "prompt" ? row.prompt : row.id);
    const unit = unitHash(scanner.exactHigh, scanner.exactLow, seed);
    splitOf.set(row.line, bounds.findIndex((bound) => unit < bound) + 1);
  }

  // Pass 2: copy each line to its split.
  mkdirSync(out, { recursive: true });
  const files = options.into.map((share) => new LineFile(join(out, `${share.name}.jsonl`)));
  let rows = 0;
  for await (const { line, text } of readTextLines(source.file, { skipBlank: true })) {
    const index = splitOf.get(line);
    if (index === 0) continue;
    rows++;
    files[index - 1]!.write(text);
  }
  for (const file of files) file.finish();
  const stats: SplitStats = {
    schema: "charter-split/1",
    input: options.input,
    format: source.format,
    ...layoutsField(reader),
    by,
    seed,
    rows,
    invalid,
    splits: options.into.map((share, index) => ({
      name: share.name,
      fraction: share.fraction,
      file: `${share.name}.jsonl`,
      rows: files[index]!.lines,
    })),
  };
  writeJsonAtomic(join(out, "stats.json"), stats);
  return stats;
}
