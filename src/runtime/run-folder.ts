// The run folder's small JSON files: manifest.json (what this run is) and stats.json (how it went),
// and the check that a resumed run has the same settings as the folder it resumes.

import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";
import {
  FileReadError,
  FileWriteError,
  canonicalJson,
  onlyAppended,
  writeJsonAtomic,
  type InputIdentity,
} from "../io/index.js";
import { CharterError } from "../errors.js";
import { CHARTER_VERSION } from "../version.js";
import type { RunStatus } from "./engine-types.js";

export const MANIFEST_FILE = "manifest.json";
export const STATS_FILE = "stats.json";
export const TRACE_FILE = "trace.jsonl";
export const JOURNAL_DIR = ".journal";

/** A folder's status as its manifest records it. */
export type FolderStatus = Exclude<RunStatus, "already-complete"> | "running";

/** What makes two runs the same run: any difference refuses a resume. */
export interface RunIdentity {
  readonly command: string;
  readonly seed: number;
  /** `i/n`, or null for an unsharded run. */
  readonly shard: string | null;
  readonly outputFiles: readonly string[];
  readonly settings: Readonly<Record<string, unknown>>;
}

export interface Manifest extends RunIdentity {
  readonly charterVersion: string;
  readonly manifestInfo: Readonly<Record<string, unknown>>;
  /** When the first run of this folder started. */
  readonly startedAt: string;
  /** When the latest run of this folder started. */
  readonly lastStartedAt: string;
  readonly finishedAt: string | null;
  readonly status: FolderStatus;
  /** Set on folders written by mergeShards: the shard folders merged. */
  readonly mergedFrom?: readonly string[];
  /** The input files as read by the latest run of the folder (absent in folders from before). */
  readonly inputs?: readonly InputIdentity[];
}

export interface Failure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export interface Stats {
  readonly items: number;
  readonly done: number;
  readonly failed: number;
  readonly failures: readonly (Failure & { readonly index: number })[];
  readonly resumed: number;
  readonly counters: Readonly<Record<string, number>>;
  readonly timing: {
    readonly startedAt: string;
    readonly finishedAt: string;
    /** Wall time of the latest run of the folder. */
    readonly elapsedMs: number;
    readonly itemsPerSecond: number;
  };
  /** The batch tier's batch ids by model (from `.journal/batches.jsonl`), when there were any. */
  readonly batches?: Readonly<Record<string, readonly string[]>>;
}

/** The folder's manifest, or undefined for a new (missing or empty) folder. */
export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST_FILE);
  if (!existsSync(path)) {
    // What a first run leaves if killed before its manifest landed counts as empty.
    const foreign = existsSync(dir) ? readdirSync(dir).filter((name) => !isOwnLeftover(name)) : [];
    if (foreign.length > 0)
      throw new CharterError(
        "run-folder-not-a-run",
        `${dir} is not empty and holds no ${MANIFEST_FILE}: choose a new or empty --out folder`,
      );
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Manifest;
  } catch (error) {
    throw new CharterError("run-folder-damaged", `cannot read ${path}: ${String(error)}`, {
      cause: error,
    });
  }
}

/** The journal folder, or a temporary file of an atomic write that a crash interrupted. */
function isOwnLeftover(name: string): boolean {
  return name === JOURNAL_DIR || isTemporaryFile(name);
}

export function isTemporaryFile(name: string): boolean {
  return /^(manifest|stats)\.json\.tmp-\d+$/.test(name);
}

/** Remove temporary files left by atomic writes of killed runs (call with the folder locked). */
export function removeTemporaryFiles(dir: string): void {
  for (const name of readdirSync(dir))
    if (isTemporaryFile(name)) rmSync(join(dir, name), { force: true });
  const journalDir = join(dir, JOURNAL_DIR);
  if (existsSync(journalDir))
    for (const name of readdirSync(journalDir))
      if (/^(journal|batches)\.jsonl\.tmp-\d+$/.test(name))
        rmSync(join(journalDir, name), { force: true });
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeJsonAtomic(join(dir, MANIFEST_FILE), manifest);
}

export function readStats(dir: string): Stats | undefined {
  const path = join(dir, STATS_FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as Stats;
}

/** Writes stats.json; counters sorted by name, so their order does not depend on completion order. */
export function writeStats(dir: string, stats: Stats): void {
  const counters = Object.fromEntries(
    Object.entries(stats.counters).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  const batches = batchIds(dir);
  writeJsonAtomic(join(dir, STATS_FILE), {
    ...stats,
    counters,
    ...(Object.keys(batches).length > 0 ? { batches } : {}),
  });
}

/** The batch tier's batches of this folder, by model: `{ "openai:gpt-4o-mini": ["batch_abc"] }`. */
function batchIds(dir: string): Record<string, string[]> {
  const ids: Record<string, string[]> = {};
  // (Only batch records are parsed: intents hold every request's id.)
  for (const record of openBatchLog(dir).records((line) => line.startsWith('{"t":"batch",'))) {
    const { t, model, batch } = (record ?? {}) as { t?: unknown; model?: unknown; batch?: unknown };
    if (t !== "batch" || typeof model !== "string" || typeof batch !== "string") continue;
    const list = (ids[model] ??= []);
    if (!list.includes(batch)) list.push(batch);
  }
  return ids;
}

export function newManifest(
  identity: RunIdentity,
  manifestInfo: Readonly<Record<string, unknown>>,
  startedAt: string,
): Manifest {
  return {
    command: identity.command,
    charterVersion: CHARTER_VERSION,
    seed: identity.seed,
    shard: identity.shard,
    outputFiles: identity.outputFiles,
    settings: identity.settings,
    manifestInfo,
    startedAt,
    lastStartedAt: startedAt,
    finishedAt: null,
    status: "running",
  };
}

/** Each setting that differs, as `name: old -> new` (values as canonical JSON). */
export function settingsDifferences(before: RunIdentity, after: RunIdentity): string[] {
  const differences: string[] = [];
  const compare = (name: string, old: unknown, now: unknown): void => {
    const oldText = old === undefined ? "(not set)" : canonicalJson(old);
    const newText = now === undefined ? "(not set)" : canonicalJson(now);
    if (oldText !== newText) differences.push(`${name}: ${oldText} -> ${newText}`);
  };
  compare("command", before.command, after.command);
  compare("seed", before.seed, after.seed);
  compare("shard", before.shard, after.shard);
  compare("outputFiles", before.outputFiles, after.outputFiles);
  const names = new Set([...Object.keys(before.settings), ...Object.keys(after.settings)]);
  for (const name of [...names].sort()) compare(name, before.settings[name], after.settings[name]);
  return differences;
}

/** Refuse to resume `dir` with settings other than those it was started with. */
export function assertSameRun(dir: string, manifest: Manifest, identity: RunIdentity): void {
  const differences = settingsDifferences(manifest, identity);
  if (differences.length === 0) return;
  throw new CharterError(
    "run-settings-differ",
    [
      `${dir} holds a run with different settings, so it cannot be resumed:`,
      ...differences.map((line) => `  ${line}`),
      "Use a new --out folder for a run with these settings, or rerun with the folder's settings to resume it.",
    ].join("\n"),
  );
}

/** How each input differs from the one the folder was run on (`path: N bytes sha256:… -> …`). */
export function inputDifferences(
  before: readonly InputIdentity[],
  now: readonly InputIdentity[],
): string[] {
  const differences: string[] = [];
  for (let n = 0; n < Math.max(before.length, now.length); n++) {
    const old = before[n];
    const current = now[n];
    if (old !== undefined && current !== undefined && sameContent(old, current)) continue;
    const describe = (input: InputIdentity | undefined): string =>
      input === undefined ? "(none)" : `${input.size} bytes ${input.sha256.slice(0, 19)}…`;
    differences.push(
      `${current?.path ?? old?.path ?? "input"}: ${describe(old)} -> ${describe(current)}`,
    );
  }
  return differences;
}

function sameContent(a: InputIdentity, b: InputIdentity): boolean {
  return a.size === b.size && a.sha256 === b.sha256;
}

/**
 * Refuses to resume `dir` on inputs other than those it was run on, unless `extend` and every
 * changed input only grew by whole rows at its end (then the new rows run). Returns whether any
 * input changed. Folders from before inputs were recorded are not checked.
 */
export async function checkSameInputs(
  dir: string,
  manifest: Manifest,
  inputs: readonly InputIdentity[],
  extend: boolean,
): Promise<boolean> {
  if (manifest.inputs === undefined) return false;
  const differences = inputDifferences(manifest.inputs, inputs);
  if (differences.length === 0) return false;
  const lines = differences.map((line) => `  ${line}`);
  if (!extend)
    throw new CharterError(
      "run-input-changed",
      [
        `${dir} was run on other input, so it cannot be resumed:`,
        ...lines,
        "Restore the input, use a new --out folder, or, if rows were only added at the end, run the same command with --extend to run the new rows.",
      ].join("\n"),
    );
  if (manifest.mergedFrom !== undefined)
    throw new CharterError(
      "run-merged-folder",
      `${dir} was merged from shards: extend each shard folder, then merge them into a new folder`,
    );
  for (let n = 0; n < Math.max(inputs.length, manifest.inputs.length); n++) {
    const old = manifest.inputs[n];
    const current = inputs[n];
    if (old !== undefined && current !== undefined && sameContent(old, current)) continue;
    if (old === undefined || current === undefined || !(await onlyAppended(old, current)))
      throw new CharterError(
        "run-input-changed",
        [
          `${dir} cannot be extended: --extend runs rows added at the end of the input, but its earlier rows changed:`,
          ...lines,
          "Restore the rows the folder was run on (new rows go at the end), or use a new --out folder.",
        ].join("\n"),
      );
  }
  return true;
}

/** The batch tier's journal in a run folder: batch intents, files and ids (see README.md). */
export const BATCH_LOG_FILE = "batches.jsonl";

/**
 * The run folder's batch journal, `.journal/batches.jsonl`: records appended one write call each,
 * read back one line at a time (never the whole file in memory) with a torn last line (a kill
 * mid-write) cut off once the read reaches it, so the next append starts on a line of its own; and
 * rewritten whole (`rewrite`: a temporary file renamed over it, so a kill leaves the old file or
 * the new one). The records are the providers' (`BatchLogRecord`); this file only keeps them.
 *
 * @example
 * const model = createModel("openai:gpt-4o-mini", { tier: "batch", batchLog: openBatchLog("runs/a") });
 */
export function openBatchLog(dir: string): {
  records(where?: (line: string) => boolean): Iterable<unknown>;
  append(record: unknown): void;
  rewrite(keep: (line: string) => boolean): void;
} {
  const path = join(dir, JOURNAL_DIR, BATCH_LOG_FILE);
  const damaged = (number: number): CharterError =>
    new CharterError(
      "run-folder-damaged",
      `${path}:${number}: the batch journal is damaged (a complete line is not JSON); move the file aside and run again to resume: the batches it names are then asked for (and paid for) again`,
    );
  // `keep` reads the line itself; a line it cannot parse is the same damage.
  const kept = (keep: (line: string) => boolean, line: string, number: number): boolean => {
    try {
      return keep(line);
    } catch (error) {
      if (error instanceof SyntaxError) throw damaged(number);
      throw error;
    }
  };
  return {
    *records(where) {
      for (const [line, number] of journalLines(path)) {
        if (where !== undefined && !where(line)) continue;
        let record: unknown;
        try {
          record = JSON.parse(line);
        } catch {
          throw damaged(number);
        }
        yield record;
      }
    },
    append(record) {
      mkdirSync(dirname(path), { recursive: true });
      appendFileSync(path, `${JSON.stringify(record)}\n`);
    },
    rewrite(keep) {
      const temporary = `${path}.tmp-${process.pid}`;
      const written = (write: () => void): void => {
        try {
          write();
        } catch (error) {
          throw new FileWriteError(temporary, error);
        }
      };
      let out = -1;
      let renamed = false;
      try {
        written(() => (out = openSync(temporary, "w")));
        let chunk = "";
        for (const [line, number] of journalLines(path)) {
          if (!kept(keep, line, number)) continue;
          chunk += `${line}\n`;
          if (chunk.length >= READ_CHUNK) {
            written(() => writeSync(out, chunk));
            chunk = "";
          }
        }
        if (chunk !== "") written(() => writeSync(out, chunk));
        const fd = out;
        out = -1;
        written(() => closeSync(fd));
        written(() => renameSync(temporary, path));
        renamed = true;
      } finally {
        // A failed rewrite leaves the journal as it was, and no temporary file beside it.
        if (out !== -1) closeSync(out);
        if (!renamed) rmSync(temporary, { force: true });
      }
    },
  };
}

/** Bytes read (and written) per call when going through the batch journal. */
const READ_CHUNK = 1 << 20;

/**
 * The complete lines of a journal file with their 1-based numbers, read a chunk at a time; a last
 * line without its newline is a torn write, cut off the file when the read gets there. Nothing
 * when the file is absent; a file that cannot be read is an error (it would read as empty, and
 * every batch it names would be paid for again).
 */
function* journalLines(path: string): Generator<[string, number]> {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw new FileReadError(path, error);
  }
  let number = 0;
  let complete = 0;
  let torn = false;
  try {
    const buffer = Buffer.alloc(READ_CHUNK);
    // The start of a line longer than what was read so far (copies: `buffer` is read into again),
    // joined once its newline comes, so a long line is copied once, not once per read.
    let parts: Buffer[] = [];
    let partsLength = 0;
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, buffer, 0, buffer.length, null);
      } catch (error) {
        throw new FileReadError(path, error);
      }
      if (read === 0) break;
      const data = buffer.subarray(0, read);
      let start = 0;
      for (let end = data.indexOf(10, start); end !== -1; end = data.indexOf(10, start)) {
        if (parts.length > 0) {
          parts.push(data.subarray(start, end));
          const line = Buffer.concat(parts, partsLength + end - start);
          complete += line.length + 1;
          parts = [];
          partsLength = 0;
          yield [line.toString("utf8"), ++number];
        } else {
          complete += end + 1 - start;
          number++;
          if (end > start) yield [data.toString("utf8", start, end), number];
        }
        start = end + 1;
      }
      if (start < read) {
        parts.push(Buffer.from(data.subarray(start)));
        partsLength += read - start;
      }
    }
    torn = partsLength > 0;
  } finally {
    closeSync(fd);
  }
  if (torn) truncateSync(path, complete);
}
