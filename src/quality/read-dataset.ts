// Opens what the user named (a JSONL file or a run folder), detects its format from the first
// row, and streams its rows as DatasetRows, each read in its own layout of that kind (unless
// `--format` named one); a Phase 1 run's rows carry their item's trace.

import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { CharterError } from "../errors.js";
import { readJsonLines, type InvalidLine } from "../io/index.js";
import {
  DATASET_FORMATS,
  RowShapeError,
  idOf,
  kindOf,
  layoutReader,
  looksLike,
  mixedLayouts,
  type DatasetFormat,
  type DatasetKind,
  type DatasetRow,
  type LayoutReader,
} from "../datasets/index.js";
import { linesAt } from "./lines-at.js";
import { TraceCursor, type ItemTrace, type TraceEvents } from "./run-trace.js";

/** No known format fits the first row of a file (or the file has no rows). */
export class UnknownFormatError extends CharterError {
  constructor(message: string) {
    super("unknown-dataset-format", message);
  }
}

/** A row that does not fit its file's format (and `skipInvalid` was not asked for). */
export class InvalidRowError extends CharterError {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super("invalid-row", `${file}:${line}: ${message}`);
  }
}

/** A dataset ready to stream: which file, in which format, and the run around it if any. */
export interface DatasetSource {
  /** The path as the user gave it. */
  readonly path: string;
  /** The JSONL file whose rows are the dataset. */
  readonly file: string;
  /** The first row's layout, or the one `--format` named. */
  readonly format: DatasetFormat;
  /** Whether `--format` named it: every row is read as `format`, none in its own layout. */
  readonly forced: boolean;
  readonly kind: DatasetKind;
  /** Set when `path` is a run folder. */
  readonly run?: RunFolder;
}

export interface RunFolder {
  readonly command: string;
  /** trace.jsonl of a Phase 1 run. */
  readonly trace?: string;
  /** ties.jsonl of a Phase 2 run. */
  readonly ties?: string;
}

/** A row, with its item's trace when it comes from a Phase 1 run folder. */
export interface SourcedRow extends DatasetRow {
  readonly trace?: ItemTrace;
}

export interface OpenDatasetOptions {
  /** Skip format detection. */
  readonly format?: DatasetFormat;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    throw new CharterError("file-not-found", `${path}: ${(error as Error).message}`);
  }
}

async function openRunFolder(path: string): Promise<{ file: string; run: RunFolder }> {
  let manifest: { command?: unknown };
  try {
    manifest = JSON.parse(await readFile(join(path, "manifest.json"), "utf8")) as typeof manifest;
  } catch {
    throw new UnknownFormatError(
      `${path} is a folder without a readable manifest.json: name a JSONL file or a run folder`,
    );
  }
  switch (manifest.command) {
    case "revise":
      return {
        file: join(path, "sft.jsonl"),
        run: { command: "revise", trace: join(path, "trace.jsonl") },
      };
    case "judge":
      return {
        file: join(path, "preferences.jsonl"),
        run: { command: "judge", ties: join(path, "ties.jsonl") },
      };
    default:
      throw new UnknownFormatError(
        `${path}: run folders of 'charter ${String(manifest.command)}' have no dataset to read (tried revise → sft.jsonl, judge → preferences.jsonl)`,
      );
  }
}

/** The format of the first row of `file` that parses, by the detection order of DATASET_FORMATS. */
async function detectFormat(file: string): Promise<DatasetFormat> {
  for await (const { line, value } of readJsonLines(file, { skipInvalid: true })) {
    const format = DATASET_FORMATS.find((candidate) => looksLike(value, candidate));
    if (format !== undefined) return format;
    const keys =
      typeof value === "object" && value !== null && !Array.isArray(value)
        ? `keys ${Object.keys(value).join(", ") || "(none)"}`
        : `a JSON ${Array.isArray(value) ? "array" : typeof value}`;
    throw new UnknownFormatError(
      `${file}:${line}: unknown dataset format (row has ${keys}); tried ${DATASET_FORMATS.join(", ")}; name one with --format`,
    );
  }
  throw new UnknownFormatError(`${file}: no rows to detect a format from`);
}

/**
 * Resolves a file or run folder and its format.
 *
 * @example
 * const source = await openDataset("runs/demo"); // sft.jsonl, sft-trl, with the run's trace
 */
export async function openDataset(
  path: string,
  options: OpenDatasetOptions = {},
): Promise<DatasetSource> {
  const folder = (await isDirectory(path)) ? await openRunFolder(path) : undefined;
  const file = folder?.file ?? path;
  const format = options.format ?? (await detectFormat(file));
  return {
    path,
    file,
    format,
    forced: options.format !== undefined,
    kind: kindOf(format),
    ...(folder === undefined ? {} : { run: folder.run }),
  };
}

export interface ReadRowsOptions {
  /** Count and report bad rows (JSON or shape) instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (invalid: InvalidLine) => void;
  /** Join each row to its item's trace (Phase 1 runs; default true). */
  readonly withTrace?: boolean;
  /** The run's trace events from a reader that reads trace.jsonl anyway, instead of a second read. */
  readonly traceEvents?: TraceEvents;
  /** Reads the rows and counts them per layout (a caller that reports the layouts it saw). */
  readonly reader?: LayoutReader;
}

/** The rows of a dataset, streamed, in file order. */
export async function* readDatasetRows(
  source: DatasetSource,
  options: ReadRowsOptions = {},
): AsyncGenerator<SourcedRow> {
  const trace =
    options.withTrace !== false && source.run?.trace !== undefined
      ? new TraceCursor(options.traceEvents ?? source.run.trace)
      : undefined;
  const reader = options.reader ?? layoutReader(source);
  try {
    for await (const { line, value } of readJsonLines(source.file, {
      skipInvalid: options.skipInvalid === true,
      ...(options.onInvalid === undefined ? {} : { onInvalid: options.onInvalid }),
    })) {
      let row: DatasetRow;
      try {
        row = reader.read(value, line);
      } catch (error) {
        if (!(error instanceof RowShapeError)) throw error;
        const message = error.message;
        if (options.skipInvalid !== true) throw new InvalidRowError(source.file, line, message);
        options.onInvalid?.({ file: source.file, line, message });
        continue;
      }
      const item = trace === undefined ? undefined : await trace.find(row.id);
      if (item === undefined) yield row;
      else
        yield {
          ...row,
          trace: item,
          ...(row.firstReply === undefined && item.firstReply !== undefined
            ? { firstReply: item.firstReply }
            : {}),
        };
    }
  } finally {
    await trace?.close();
  }
}

/** The rows read in one layout, as the reports list them. */
export interface LayoutRows {
  readonly format: DatasetFormat;
  readonly rows: number;
}

/**
 * A report's `layouts` field when the rows mixed layouts (of one kind), its first row's first; none
 * for a file in one layout, whose reports stay as they were.
 */
export function layoutsField(reader: LayoutReader): { readonly layouts?: readonly LayoutRows[] } {
  const counts = mixedLayouts(reader);
  return counts === undefined
    ? {}
    : { layouts: counts.map(([format, rows]) => ({ format, rows })) };
}

/** Lines of a file (for sizing tables before a pass): its size over the mean of the first lines. */
export async function estimateRowCount(file: string): Promise<number> {
  const { size } = await stat(file);
  let bytes = 0;
  let lines = 0;
  for await (const { value } of readJsonLines(file, { skipInvalid: true })) {
    bytes += JSON.stringify(value).length + 1;
    if (++lines >= 200) break;
  }
  return lines === 0 ? 0 : Math.ceil(size / (bytes / lines));
}

/**
 * The ids of the rows at some lines (the rows a report or a removal names), by a second read that
 * parses only those lines.
 */
export async function idsAtLines(
  source: DatasetSource,
  lines: ReadonlySet<number>,
): Promise<Map<number, string>> {
  const ids = new Map<number, string>();
  for await (const { line, text } of linesAt(source.file, lines)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof value === "object" && value !== null && !Array.isArray(value))
      ids.set(line, idOf(value as Record<string, unknown>, line));
  }
  return ids;
}
