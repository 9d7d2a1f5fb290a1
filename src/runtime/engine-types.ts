// The contract of the shared run engine that both phases use: streaming items in, ordered
// records out, a run folder that resumes. Phase code supplies `process`; the engine does the rest.

import type { Clock } from "./clock.js";
import type { SeededRandom } from "./seeded-random.js";

/** One unit of work: a prompt (Phase 1) or a pair group (Phase 2). */
export interface WorkItem<I> {
  /** Stable id from the input row, or derived from its content. */
  readonly id: string;
  /** 0-based position in the input; outputs are written in this order. Must increase (gaps allowed). */
  readonly index: number;
  readonly input: I;
}

/** What processing one item produced. Everything here is JSON-serialisable. */
export interface ItemOutcome {
  /** Records to append per dataset file, e.g. `{ "sft.jsonl": [record] }`. Ignored when failed. */
  readonly outputs: Readonly<Record<string, readonly unknown[]>>;
  /**
   * Events for trace.jsonl (each model call, rule decision, skip...), written as
   * `{"item": id, ...event}` (an event that is not an object, or has its own `item`, is written as
   * `{"item": id, "event": event}`). Kept for failed items too.
   */
  readonly trace: readonly unknown[];
  /** Set when the item failed; it is listed in stats.json and the exit code says so. */
  readonly failure?: { readonly code: string; readonly message: string };
  /**
   * Counters summed into stats.json and progress, over every attempt. Names the progress display
   * reads (COUNTER_NAMES): `calls`, `inputTokens`, `outputTokens`, `cachedTokens`, `cost` (USD),
   * `retries`; add any others (`principle:<id>`...).
   */
  readonly counters?: Readonly<Record<string, number>>;
}

export interface ItemContext {
  /** Seeded by (run seed, item id): independent of order and concurrency. */
  readonly random: SeededRandom;
  readonly signal: AbortSignal;
}

export interface RunProgress {
  /** Items finished successfully, including those finished by earlier runs of this folder. */
  readonly done: number;
  readonly failed: number;
  /** Items taken over from earlier runs of this folder (not processed again). */
  readonly resumed: number;
  /** From `RunOptions.total`, when the caller knows it. */
  readonly total?: number;
  /** Summed counters of every attempt so far (see RunOptions.process). */
  readonly counters: Readonly<Record<string, number>>;
}

/**
 * What every run command's runner (revise, judge, score, rubrics) takes besides its own work:
 * the run's seed and width, resume, sharding, progress and stopping. Each runner's options extend
 * it, so these are declared (and documented) once.
 */
export interface RunnerControls {
  /** The run seed: every seeded choice and sampled call derives from it and the item id. */
  readonly seed: number;
  /** Items in flight at once. */
  readonly concurrency: number;
  /** Count and list invalid input rows instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** Resume a folder whose input only grew by rows at its end, running the new rows (`--extend`). */
  readonly extend?: boolean;
  readonly shard?: { readonly index: number; readonly count: number };
  readonly onProgress?: (progress: RunProgress) => void;
  /** Items in the input, when known (progress and ETA only). */
  readonly total?: number;
  readonly signal?: AbortSignal;
  /** Versions, endpoints and other facts for the manifest that may change between resumes. */
  readonly manifestInfo?: Readonly<Record<string, unknown>>;
  /** Told when the engine works and when it waits for items (RunOptions.activity). */
  readonly activity?: EngineActivity;
}

/**
 * Told whether the engine is at work (reading input, starting and writing items) or waiting for an
 * item to finish, when it admits nothing new until one does. The batch tier (src/providers
 * `CallActivity`) sends a step's requests once the engine waits and every model call waits on a
 * batch.
 */
export interface EngineActivity {
  engineBusy(busy: boolean): void;
  /** An item is admitted (indexes increase; skipped and replayed items too). */
  itemAdmitted?(index: number): void;
  /**
   * After each write of the run journal: every item with an index below `below` has its outcome
   * there; `Infinity` when the run ends with every item settled. The batch tier then forgets the
   * batches only those items asked.
   */
  itemsJournaled?(below: number): void;
}

export interface RunOptions<I> {
  /** The run folder. */
  readonly dir: string;
  /** `revise` or `judge`: written to the manifest. */
  readonly command: string;
  /** Every setting that changes results; a resume with different settings is refused. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Extra manifest fields that may differ between resumes (versions, model ids). */
  readonly manifestInfo?: Readonly<Record<string, unknown>>;
  readonly seed: number;
  /** Dataset files this run writes (besides trace.jsonl). */
  readonly outputFiles: readonly string[];
  readonly items: AsyncIterable<WorkItem<I>>;
  /**
   * The files `items` are read from. Their identity (path, size, sha256) goes into the manifest;
   * a resume on changed files is refused (`run-input-changed`, saying what changed) unless
   * `extend` is set and they only grew by whole rows at the end, which then run.
   */
  readonly inputs?: readonly string[];
  /** Allow a resume (even of a finished folder) on inputs that only grew: the new rows run. */
  readonly extend?: boolean;
  readonly process: (item: WorkItem<I>, context: ItemContext) => Promise<ItemOutcome>;
  /** Items processed at once. */
  readonly concurrency: number;
  /** Deterministic sharding by item id: process only items with hash(id) % count === index. */
  readonly shard?: { readonly index: number; readonly count: number };
  readonly onProgress?: (progress: RunProgress) => void;
  readonly signal?: AbortSignal;
  /** How many items the input holds, when known (progress display and ETA only). */
  readonly total?: number;
  /** Time source for manifest and stats timestamps (tests fix it); defaults to the system clock. */
  readonly clock?: Clock;
  /**
   * Phase-specific fields for stats.json (rates derived from the summed counters...), merged into
   * the engine's one atomic write of it. Not called when the folder was already complete.
   */
  readonly extraStats?: (summary: RunSummary) => Readonly<Record<string, unknown>>;
  /** Told when the engine works and when it waits for items to finish (the batch tier counts it). */
  readonly activity?: EngineActivity;
}

/**
 * How a call to runItems ended. `already-complete`: the folder held a finished run without
 * failures and nothing was touched. `interrupted`: the signal fired or the input failed; the
 * folder is resumable.
 */
export type RunStatus = "complete" | "complete-with-failures" | "interrupted" | "already-complete";

export interface RunSummary {
  readonly dir: string;
  readonly status: RunStatus;
  /** Items settled in this folder (done + failed), over all runs of it. */
  readonly items: number;
  readonly done: number;
  readonly failed: number;
  /** Items this call took over from earlier runs instead of processing them. */
  readonly resumed: number;
  readonly failures: readonly {
    readonly index: number;
    readonly id: string;
    readonly code: string;
    readonly message: string;
  }[];
  readonly counters: Readonly<Record<string, number>>;
  /** Most items held at once between reading and writing (bounded by 4 x concurrency). */
  readonly peakBuffered: number;
}
