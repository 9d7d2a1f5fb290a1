// Merging shard folders back into one run folder whose dataset files and trace are in input order,
// byte-identical to an unsharded run's. Streams every file: memory does not grow with the run.

import { mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { AppendFile, readRawLines, type RawLine } from "../io/index.js";
import { CharterError } from "../errors.js";
import { systemClock, type Clock } from "./clock.js";
import { addCounters, type PositionEntry } from "./journal.js";
import {
  TRACE_FILE,
  newManifest,
  readManifest,
  readStats,
  inputDifferences,
  settingsDifferences,
  writeManifest,
  writeStats,
  type Manifest,
  type Stats,
} from "./run-folder.js";
import { POSITIONS_FILE } from "./recover.js";
import { parseShard } from "./shard.js";

export interface MergeSummary {
  readonly dir: string;
  readonly items: number;
  readonly done: number;
  readonly failed: number;
}

/** Lines of one shard's file, taken a few at a time in order. */
class LineCursor {
  private readonly lines: AsyncGenerator<RawLine>;

  constructor(path: string) {
    this.lines = readRawLines(path);
  }

  async take(count: number, into: string[], path: string): Promise<void> {
    for (let n = 0; n < count; n++) {
      const next = await this.lines.next();
      if (next.done)
        throw new CharterError(
          "run-folder-damaged",
          `${path} has fewer lines than its positions say`,
        );
      into.push(next.value.text, "\n");
    }
  }

  /** Ends the read early, closing the file (a generator left mid-way holds its handle open). */
  async close(): Promise<void> {
    await this.lines.return(undefined);
  }
}

interface ShardReader {
  readonly dir: string;
  readonly positions: AsyncGenerator<RawLine>;
  readonly files: LineCursor[];
  head: PositionEntry | undefined;
}

/**
 * Merge the folders of a sharded run (`--shard i/n` for every i) into `outDir`: dataset files and
 * trace.jsonl in input order, stats summed. Every shard must have finished.
 *
 * @example
 * await mergeShards(["runs/s0", "runs/s1"], "runs/all");
 */
export async function mergeShards(
  dirs: readonly string[],
  outDir: string,
  options: {
    readonly clock?: Clock;
    /**
     * Phase-specific stats for the merged folder (rates, served models, skipped rows), from the
     * summed stats, every shard's stats.json as written, and the run's manifest.
     */
    readonly extraStats?: (
      merged: Stats,
      shards: readonly Readonly<Record<string, unknown>>[],
      manifest: Manifest,
    ) => Readonly<Record<string, unknown>>;
  } = {},
): Promise<MergeSummary> {
  const clock = options.clock ?? systemClock;
  const startedAt = new Date(clock.now()).toISOString();
  const manifests = dirs.map((dir) => requireFinishedShard(dir));
  const first = manifests[0];
  if (!first)
    throw new CharterError("shards-missing", "mergeShards needs at least one shard folder");
  checkShardSet(dirs, manifests);
  if (readManifest(outDir))
    throw new CharterError(
      "run-folder-exists",
      `${outDir} already holds a run: merge into a new folder`,
    );
  // Build beside the target and rename at the end: a merge that dies leaves no half folder there.
  const building = `${outDir}.merging-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });

  const orderedFiles = [...first.outputFiles, TRACE_FILE];
  const outputs = orderedFiles.map((file) => AppendFile.open(join(building, file), 0));
  const readers: ShardReader[] = dirs.map((dir) => ({
    dir,
    positions: readRawLines(join(dir, POSITIONS_FILE)),
    files: orderedFiles.map((file) => new LineCursor(join(dir, file))),
    head: undefined,
  }));
  const advance = async (reader: ShardReader): Promise<void> => {
    const next = await reader.positions.next();
    reader.head = next.done ? undefined : (JSON.parse(next.value.text) as PositionEntry);
  };
  for (const reader of readers) await advance(reader);

  const buffers: string[][] = orderedFiles.map(() => []);
  let buffered = 0;
  const flush = (): void => {
    buffers.forEach((parts, n) => {
      if (parts.length > 0) outputs[n]?.append(parts.join(""));
      parts.length = 0;
    });
    buffered = 0;
  };
  for (;;) {
    let smallest: ShardReader | undefined;
    for (const reader of readers)
      if (reader.head && (!smallest?.head || reader.head[0] < smallest.head[0])) smallest = reader;
    const entry = smallest?.head;
    if (!smallest || !entry) break;
    for (let n = 0; n < orderedFiles.length; n++) {
      const parts = buffers[n] ?? [];
      await smallest.files[n]?.take(
        entry[2][n] ?? 0,
        parts,
        join(smallest.dir, orderedFiles[n] ?? ""),
      );
      buffered += entry[3][n] ?? 0;
    }
    if (buffered > 1 << 20) flush();
    await advance(smallest);
  }
  flush();
  for (const reader of readers) {
    await reader.positions.return(undefined);
    for (const file of reader.files) await file.close();
  }
  for (const output of outputs) {
    output.sync();
    output.close();
  }

  const shardStats = dirs.map((dir) => readStats(dir));
  const stats = mergeStats(shardStats);
  const finishedAt = new Date(clock.now()).toISOString();
  const extra = options.extraStats?.(
    stats,
    shardStats.map((shard) => (shard ?? {}) as Readonly<Record<string, unknown>>),
    first,
  );
  writeStats(building, { ...stats, timing: { ...stats.timing, finishedAt }, ...extra });
  const manifest: Manifest = {
    // Where one shard's index came from (--shard auto) says nothing of the merged run.
    ...newManifest({ ...first, shard: null }, withoutShardSource(first.manifestInfo), startedAt),
    finishedAt,
    status: stats.failed > 0 ? "complete-with-failures" : "complete",
    mergedFrom: [...dirs],
    ...(first.inputs === undefined ? {} : { inputs: first.inputs }),
  };
  writeManifest(building, manifest);
  // readManifest above made sure it holds nothing of anyone's; rename needs it gone.
  rmSync(outDir, { recursive: true, force: true });
  renameSync(building, outDir);
  return { dir: outDir, items: stats.items, done: stats.done, failed: stats.failed };
}

function withoutShardSource(
  info: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const { shardFrom: _shardFrom, ...rest } = info;
  return rest;
}

function requireFinishedShard(dir: string): Manifest {
  const manifest = readManifest(dir);
  if (!manifest) throw new CharterError("shard-not-a-run", `${dir} holds no run`);
  if (manifest.status !== "complete" && manifest.status !== "complete-with-failures")
    throw new CharterError(
      "shard-incomplete",
      `${dir} has not finished (status ${manifest.status}): resume it before merging`,
    );
  if (manifest.shard === null)
    throw new CharterError(
      "shard-not-sharded",
      `${dir} is not a shard (it was run without --shard)`,
    );
  return manifest;
}

/** All shards of one run, each of 0..n-1 exactly once. */
function checkShardSet(dirs: readonly string[], manifests: readonly Manifest[]): void {
  const first = manifests[0];
  if (!first) return;
  const seen = new Map<number, string>();
  let count = 0;
  manifests.forEach((manifest, n) => {
    const dir = dirs[n] ?? "";
    const differences = settingsDifferences(
      { ...first, shard: null },
      { ...manifest, shard: null },
    );
    // Each shard reads the whole input: all must have read the same one (folders from before
    // inputs were recorded have none to compare).
    if (first.inputs !== undefined && manifest.inputs !== undefined)
      differences.push(
        ...inputDifferences(first.inputs, manifest.inputs).map((line) => `input ${line}`),
      );
    if (differences.length > 0)
      throw new CharterError(
        "shards-differ",
        `${dir} is not a shard of the same run as ${dirs[0]}:\n  ${differences.join("\n  ")}`,
      );
    const shard = parseShard(manifest.shard ?? "");
    if (count !== 0 && shard.count !== count)
      throw new CharterError(
        "shards-differ",
        `${dir} is shard ${manifest.shard}, but others are of ${count}`,
      );
    count = shard.count;
    const other = seen.get(shard.index);
    if (other !== undefined)
      throw new CharterError(
        "shards-duplicate",
        `${dir} and ${other} are both shard ${manifest.shard}`,
      );
    seen.set(shard.index, dir);
  });
  const missing = Array.from({ length: count }, (_, index) => index).filter(
    (index) => !seen.has(index),
  );
  if (missing.length > 0)
    throw new CharterError(
      "shards-incomplete-set",
      `shards missing: ${missing.map((index) => `${index}/${count}`).join(", ")}`,
    );
}

function mergeStats(all: readonly (Stats | undefined)[]): Stats {
  const counters: Record<string, number> = {};
  const failures: Stats["failures"][number][] = [];
  let items = 0;
  let done = 0;
  let elapsedMs = 0;
  let startedAt = "";
  for (const stats of all) {
    if (!stats) continue;
    items += stats.items;
    done += stats.done;
    addCounters(counters, stats.counters);
    failures.push(...stats.failures);
    elapsedMs = Math.max(elapsedMs, stats.timing.elapsedMs);
    if (startedAt === "" || stats.timing.startedAt < startedAt) startedAt = stats.timing.startedAt;
  }
  failures.sort((a, b) => a.index - b.index);
  return {
    items,
    done,
    failed: failures.length,
    failures,
    resumed: 0,
    counters,
    timing: { startedAt, finishedAt: "", elapsedMs, itemsPerSecond: 0 },
  };
}
