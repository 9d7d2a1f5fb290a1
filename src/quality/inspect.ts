// `charter inspect` as a library: one streaming pass over a dataset feeds every accumulator
// (shape and diversity per response set, duplicates, bad targets, preference and run metrics),
// then a short second read looks up the ids of the example duplicate clusters. The pass is in two
// halves (inspect-rows.ts: what does not depend on row order; inspect-order.ts: what does), so a
// large file's rows can be parsed and measured by worker threads (inspect-parallel.ts) with the
// same result as one thread.

import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { CHARTER_VERSION } from "../version.js";
import { readTextLines } from "../io/index.js";
import { compareReports } from "./compare.js";
import type { DatasetFormat } from "../datasets/index.js";
import type { DuplicateGroups } from "./duplicates.js";
import { BatchBuilder, BufferPool, batchBuffers } from "./inspect-batch.js";
import { OrderedPass } from "./inspect-order.js";
import { parallelPass, setText } from "./inspect-parallel.js";
import { InspectPool, defaultWorkers } from "./inspect-pool.js";
import { RowPass, type RowPassSettings } from "./inspect-rows.js";
import {
  INSPECT_SCHEMA,
  type ClusterExample,
  type DatasetReport,
  type DuplicateCount,
  type InspectReport,
  type ResponseSetName,
} from "./inspect-schema.js";
import { DEFAULT_MINHASH, lshThreshold, type MinHashParams } from "./minhash.js";
import type { PhraseLists } from "./phrases.js";
import {
  estimateRowCount,
  idsAtLines,
  layoutsField,
  openDataset,
  readDatasetRows,
  type DatasetSource,
  type SourcedRow,
} from "./read-dataset.js";
import { responseSetReport } from "./response-set.js";
import type { TraceEvents } from "./run-trace.js";
import { ratio, round } from "./sketches.js";

export interface InspectOptions {
  /** Skip format detection. */
  readonly format?: DatasetFormat;
  /** Near-duplicate settings, or null to skip near duplicates (default 5-word shingles, 14 × 8). */
  readonly near?: MinHashParams | null;
  /** Extra phrases per bad-target category. */
  readonly phrases?: PhraseLists;
  /** Count and list malformed rows instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** Relative paths are read from here (default: the process's working directory). */
  readonly cwd?: string;
  /**
   * A Phase 1 run's trace events, from a caller that reads trace.jsonl itself (`charter report`),
   * so the trace is read once; without it inspect reads the run's trace.jsonl.
   */
  readonly traceEvents?: TraceEvents;
  /**
   * Worker threads that parse and measure the rows beside the calling thread (0: the calling
   * thread alone). Default without near duplicates: one per core beside this one that other
   * processes leave free (`defaultWorkers`, at most 3) for files of at least `parallelBytes`
   * (4 MiB once workers run, 24 MiB to start them); none for smaller files, with near duplicates,
   * or for run folders with a trace. The report is the same whatever the number.
   */
  readonly workers?: number;
  /** Bytes of file per block handed to a worker (default 1 MiB; tests use small blocks). */
  readonly blockBytes?: number;
}

/**
 * Files smaller than this are read by the calling thread. With the workers already running (kept
 * from an earlier pass) one pays from about 2–4 MiB; starting them (a thread, its module, code
 * that runs cold at first) costs about as much as one saves on a file of 20–25 MB, as whole
 * `charter inspect` processes measured it (bench/quality-threshold.ts, src/quality/README.md).
 */
export function parallelBytes(runningWorkers: number): number {
  return runningWorkers > 0 ? 4 << 20 : 24 << 20;
}

/**
 * Rows the single-threaded pass measures before handing their records to the ordered half. Few:
 * the batch holds its rows until then, and rows held past a young collection are promoted (with
 * 1,024 rows a batch, the pass's peak memory was 20 MB higher at 50,000 rows).
 */
const INLINE_BATCH_ROWS = 64;

/**
 * Inspects one dataset (a JSONL file or a run folder).
 *
 * @example
 * const report = await inspectDataset("runs/demo");
 * report.duplicates.exact.duplicateRows;
 */
export async function inspectDataset(
  path: string,
  options: InspectOptions = {},
): Promise<DatasetReport> {
  const opened = await openDataset(
    resolve(options.cwd ?? ".", path),
    options.format === undefined ? {} : { format: options.format },
  );
  const source: DatasetSource = { ...opened, path };
  const near = options.near === undefined ? DEFAULT_MINHASH : options.near;
  const settings: RowPassSettings = {
    format: source.format,
    forced: source.forced,
    kind: source.kind,
    near,
    phrases: options.phrases,
  };
  const trace = source.run?.trace;
  const rows = new RowPass(settings, trace === undefined ? undefined : source.run!.command);
  const fileBytes = (await stat(source.file)).size;
  const ordered = new OrderedPass(
    source.file,
    source.kind === "preference",
    near,
    await estimateRowCount(source.file),
    fileBytes,
  );
  const skipInvalid = options.skipInvalid === true;
  // A run's trace is joined row by row as the file is read: that pass stays in this thread. With
  // near duplicates, by default too: the LSH index is then the ordered half's (serial) largest
  // share and the pass's largest memory, and a worker's heap on top of it took 10^6 rows past
  // 400 MB (src/quality/README.md, "Speed and memory").
  const workers =
    trace !== undefined
      ? 0
      : (options.workers ??
        (near === null && fileBytes >= parallelBytes(InspectPool.running) ? defaultWorkers() : 0));
  if (workers > 0)
    await parallelPass(
      source.file,
      settings,
      skipInvalid,
      workers,
      rows,
      ordered,
      options.blockBytes,
    );
  else await inlinePass(source, skipInvalid, options.traceEvents, rows, ordered);
  return report(
    source,
    near,
    rows,
    ordered,
    source.run?.ties === undefined ? null : await countLines(source.run.ties),
  );
}

/** The pass in this thread, rows as `readDatasetRows` gives them (a run's trace joined). */
async function inlinePass(
  source: DatasetSource,
  skipInvalid: boolean,
  traceEvents: TraceEvents | undefined,
  rows: RowPass,
  ordered: OrderedPass,
): Promise<void> {
  const buffers = new BufferPool();
  let batch = new BatchBuilder(rows.signatureSize, buffers);
  let held: SourcedRow[] = [];
  const flush = (): void => {
    const texts = held;
    const finished = batch.finish();
    ordered.consume(finished, (row, set) => setText(texts[row]!, set));
    for (const buffer of batchBuffers(finished)) buffers.give(buffer);
    batch = new BatchBuilder(rows.signatureSize, buffers);
    held = [];
  };
  for await (const row of readDatasetRows(source, {
    skipInvalid,
    ...(traceEvents === undefined ? {} : { traceEvents }),
    reader: rows.reader,
    onInvalid: (line) => ordered.addInvalid(line),
  })) {
    rows.add(row, batch);
    held.push(row);
    if (held.length >= INLINE_BATCH_ROWS) flush();
  }
  flush();
}

async function countLines(file: string): Promise<number> {
  let count = 0;
  try {
    for await (const _line of readTextLines(file, { skipBlank: true })) count++;
  } catch {
    return 0;
  }
  return count;
}

const SET_NAMES: readonly ResponseSetName[] = ["reply", "rejected", "first-reply"];

async function report(
  source: DatasetSource,
  nearParams: MinHashParams | null,
  rows: RowPass,
  ordered: OrderedPass,
  ties: number | null,
): Promise<DatasetReport> {
  const total = rows.rows;
  // Compressing the gzip samples (thread pool) overlaps the second read below.
  const gzipRatios = Promise.all(ordered.orders.map((order) => order?.gzipRatio() ?? 0));
  const exact = ordered.duplicates.exactGroups();
  const near = ordered.duplicates.nearGroups();
  const lines = new Set<number>();
  for (const groups of [exact, ...(near === null ? [] : [near])])
    for (const cluster of groups.largest) for (const line of cluster.rows) lines.add(line);
  const ids = await idsAtLines(source, lines);
  const count = (groups: DuplicateGroups): DuplicateCount => ({
    duplicateRows: groups.duplicateRows,
    rate: ratio(groups.duplicateRows, total),
    clusters: groups.clusters,
    examples: groups.largest.map((cluster): ClusterExample => ({
      size: cluster.size,
      ids: cluster.rows.map((line) => ids.get(line) ?? `line:${line}`),
    })),
  });
  const preference = source.kind === "preference";
  const gzip = await gzipRatios;
  const sets = rows.sets.flatMap((stats, index) => {
    const order = ordered.orders[index];
    if (stats === undefined || order === undefined) return [];
    const name = index === 0 && preference ? "chosen" : SET_NAMES[index]!;
    return [responseSetReport(name, stats, order, gzip[index]!)];
  });
  return {
    source: {
      path: source.path,
      file: source.file,
      format: source.format,
      kind: source.kind,
      runCommand: source.run?.command ?? null,
      ...layoutsField(rows.reader),
    },
    rows: total,
    invalid: { count: ordered.invalidCount, examples: ordered.invalid },
    shape: {
      turns: rows.turnSummary.summary(),
      emptyReplies: rows.emptyReplyCount,
      emptyReplyRate: ratio(rows.emptyReplyCount, total),
    },
    sets,
    duplicates: {
      key: "example",
      exact: count(exact),
      near:
        near === null || nearParams === null
          ? null
          : {
              ...count(near),
              shingleWords: nearParams.shingleWords,
              bands: nearParams.bands,
              rows: nearParams.rows,
              seed: nearParams.seed,
              threshold: round(lshThreshold(nearParams)),
              indexBytes: near.bytes,
              indexBytesPerRow: round(total === 0 ? 0 : near.bytes / total),
            },
    },
    badTargets: rows.badTargets.report(),
    preference: rows.preference?.report(ties) ?? null,
    run: rows.run?.report() ?? null,
  };
}

/**
 * Inspects datasets; with `compare`, those too, and the comparison of all against the first.
 *
 * @example
 * const report = await inspect(["runs/gen1"], { compare: ["runs/gen2"] });
 */
export async function inspect(
  paths: readonly string[],
  options: InspectOptions & { readonly compare?: readonly string[] } = {},
): Promise<InspectReport> {
  const all = [...paths, ...(options.compare ?? [])];
  const datasets: DatasetReport[] = [];
  for (const path of all) datasets.push(await inspectDataset(path, options));
  return {
    schema: INSPECT_SCHEMA,
    charterVersion: CHARTER_VERSION,
    datasets,
    comparison:
      options.compare !== undefined && options.compare.length > 0 ? compareReports(datasets) : null,
  };
}
