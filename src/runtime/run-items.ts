// The shared run engine: items stream in, up to `concurrency` are processed at once, outcomes are
// journaled as they finish and written to the run folder in input order; a rerun resumes.

import { setMaxListeners } from "node:events";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { inputIdentity, writeFileAtomic, type InputIdentity } from "../io/index.js";
import { CharterError, RunStoppingError } from "../errors.js";
import { systemClock } from "./clock.js";
import type {
  ItemContext,
  ItemOutcome,
  RunOptions,
  RunProgress,
  RunStatus,
  RunSummary,
  WorkItem,
} from "./engine-types.js";
import {
  addCounters,
  commitRecordLine,
  IdChain,
  itemRecordLine,
  readRecordAt,
  recordTexts,
  type ItemRecord,
  type PositionEntry,
  type RecordLocation,
} from "./journal.js";
import {
  JOURNAL_DIR,
  TRACE_FILE,
  assertSameRun,
  checkSameInputs,
  newManifest,
  readManifest,
  readStats,
  removeTemporaryFiles,
  writeManifest,
  writeStats,
  type Manifest,
  type RunIdentity,
} from "./run-folder.js";
import { lockRunFolder } from "./folder-lock.js";
import { lengthMap, openRunFiles } from "./recover.js";
import { seededRandom, type SeededRandom } from "./seeded-random.js";
import { checkShard, formatShard, shardOf } from "./shard.js";

/** An item between being read and being written. */
interface Slot {
  readonly index: number;
  readonly id: string;
  state: "running" | "settled" | "skipped" | "abandoned";
  /** Text per ordered file (dataset files, then trace), once settled. */
  texts?: string[];
}

/**
 * Run `process` over every item and write the run folder (see src/runtime/README.md).
 *
 * @example
 * const summary = await runItems({
 *   dir: "runs/a", command: "revise", settings: { revisions: 2 }, seed: 1,
 *   outputFiles: ["sft.jsonl"], items, concurrency: 8,
 *   process: async (item, { random }) => ({ outputs: { "sft.jsonl": [row] }, trace: [] }),
 * });
 */
export async function runItems<I>(options: RunOptions<I>): Promise<RunSummary> {
  const { dir, concurrency } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new CharterError(
      "invalid-concurrency",
      `concurrency must be a positive integer, got ${concurrency}`,
    );
  if (options.shard) checkShard(options.shard);
  for (const file of options.outputFiles)
    if (file === TRACE_FILE || file.includes("/") || file.includes("\\") || file.startsWith("."))
      throw new CharterError("invalid-output-file", `output file name "${file}" is not allowed`);

  const identity: RunIdentity = {
    command: options.command,
    seed: options.seed,
    shard: options.shard ? formatShard(options.shard) : null,
    outputFiles: options.outputFiles,
    settings: options.settings,
  };

  // Stage 1: the folder. A new one gets a manifest; an old one must be the same run, on the same
  // input (or, with `extend`, an input that only grew).
  const inputs = await Promise.all((options.inputs ?? []).map((path) => inputIdentity(path)));
  const previous = readManifest(dir);
  let extending = false;
  if (previous) {
    assertSameRun(dir, previous, identity);
    extending = await checkSameInputs(dir, previous, inputs, options.extend === true);
    if (previous.status === "complete" && !extending) return alreadyComplete(dir);
    if (previous.mergedFrom)
      throw new CharterError(
        "run-merged-folder",
        `${dir} was merged from shards and has failures: resume the shard folders, then merge again`,
      );
  }
  mkdirSync(join(dir, JOURNAL_DIR), { recursive: true });
  const unlock = lockRunFolder(dir);
  try {
    removeTemporaryFiles(dir);
    // Read again under the lock: another process may have finished the run meanwhile.
    const current = previous ? readManifest(dir) : undefined;
    if (current?.status === "complete" && !extending) return alreadyComplete(dir);
    return await runInFolder(options, identity, current, inputs);
  } finally {
    unlock();
  }
}

/** Stages 2 to 4, with the folder locked. */
async function runInFolder<I>(
  options: RunOptions<I>,
  identity: RunIdentity,
  previous: Manifest | undefined,
  inputs: readonly InputIdentity[],
): Promise<RunSummary> {
  const { dir, concurrency } = options;
  const clock = options.clock ?? systemClock;
  const startedMs = clock.now();
  const startedAt = new Date(startedMs).toISOString();
  let manifest: Manifest = {
    ...(previous
      ? {
          ...previous,
          manifestInfo: options.manifestInfo ?? {},
          charterVersion: newManifest(identity, {}, startedAt).charterVersion,
          lastStartedAt: startedAt,
          finishedAt: null,
          status: "running" as const,
        }
      : newManifest(identity, options.manifestInfo ?? {}, startedAt)),
    ...(options.inputs === undefined ? {} : { inputs }),
  };
  writeManifest(dir, manifest);

  // Stage 2: recover. Cut torn tails, rewind to the first failure to retry, find reusable records.
  const orderedFiles = [...options.outputFiles, TRACE_FILE];
  const { journalPath, journal, outputs, positions, tally, reusable, ...recovered } =
    await openRunFiles(dir, orderedFiles);
  // A finished folder's journal was cut to its last commit, so its totals live on in stats.json
  // alone: an extended run starts from them.
  if (previous?.status === "complete" && tally.done === 0 && tally.failures.size === 0) {
    const before = readStats(dir);
    tally.done += before?.done ?? 0;
    addCounters(tally.counters, before?.counters);
  }
  const { failures, counters } = tally;
  let next = recovered.next;
  // The ids already written, to check the input against before going past them.
  let expectedIds = recovered.expectedIds;
  let reuseCursor = 0;

  // Stage 3: run.
  let resumed = 0;
  let peakBuffered = 0;
  const window = Math.max(4 * concurrency, 4);
  const queue: Slot[] = [];
  let running = 0;
  let lastIndex = -1;
  // The main loop sleeps on `waiter` until an item finishes (`dirty` covers a finish while awake).
  let dirty = false;
  let waiter: (() => void) | undefined;
  const controller = new AbortController();
  // Every in-flight item (and each of its model calls) listens to this one signal.
  setMaxListeners(0, controller.signal);
  let stopped = false;
  const stop = (): void => {
    stopped = true;
    controller.abort(options.signal?.reason);
    wake();
  };
  options.signal?.addEventListener("abort", stop, { once: true });
  if (options.signal?.aborted) stop();

  function wake(): void {
    dirty = true;
    waiter?.();
  }
  const progress = (): void => {
    if (!options.onProgress) return;
    const report: RunProgress = {
      done: tally.done,
      failed: failures.size,
      resumed,
      counters: { ...counters },
      ...(options.total !== undefined ? { total: options.total } : {}),
    };
    options.onProgress(report);
  };

  function settle(slot: Slot, record: ItemRecord): void {
    slot.texts = recordTexts(record, options.outputFiles);
    slot.state = "settled";
  }

  const chain = new IdChain();
  /** Once: the input's items before `next` must be the ones the folder already holds. */
  function checkWrittenPrefix(): void {
    if (expectedIds === undefined) return;
    const expected = expectedIds;
    expectedIds = undefined;
    if (chain.digest() !== expected)
      throw new CharterError(
        "run-input-changed",
        `the input's items before #${next} are not the ones already written in ${dir}: the input changed since the run started. Restore it, or use a new --out folder`,
      );
  }

  function admit(item: WorkItem<I>): void {
    if (!(item.index > lastIndex))
      throw new CharterError(
        "run-item-order",
        `item indexes must increase: ${item.index} came after ${lastIndex}`,
      );
    lastIndex = item.index;
    options.activity?.itemAdmitted?.(item.index);
    if (item.index >= next) checkWrittenPrefix();
    const slot: Slot = { index: item.index, id: item.id, state: "skipped" };
    queue.push(slot);
    peakBuffered = Math.max(peakBuffered, queue.length);
    if (options.shard && shardOf(item.id, options.shard.count) !== options.shard.index) return;
    if (item.index < next) {
      chain.add(item.id);
      resumed += 1; // written by an earlier run
      return;
    }
    while (reuseCursor < reusable.length && (reusable[reuseCursor]?.index ?? 0) < item.index)
      reuseCursor += 1;
    const location: RecordLocation | undefined = reusable[reuseCursor];
    if (location && location.index === item.index) {
      if (location.id !== item.id)
        throw new CharterError(
          "run-input-changed",
          `item ${item.index} was "${location.id}" in ${dir} and is "${item.id}" now: the input changed; use a new --out folder`,
        );
      settle(slot, readRecordAt(journalPath, location));
      resumed += 1;
      return;
    }
    slot.state = "running";
    running += 1;
    void attempt(item, slot);
  }

  async function attempt(item: WorkItem<I>, slot: Slot): Promise<void> {
    let outcome: ItemOutcome;
    try {
      outcome = await options.process(item, itemContext(options.seed, item.id, controller.signal));
    } catch (error) {
      // Every other item would fail the same way: stop the run, leaving this item unwritten.
      if (error instanceof RunStoppingError && !stopped) {
        fatal ??= error;
        stop();
      }
      outcome = { outputs: {}, trace: [], failure: describeError(error) };
    }
    running -= 1;
    if (stopped) {
      slot.state = "abandoned"; // partially processed: never written, done again on resume
    } else {
      try {
        settleOutcome(slot, item, outcome);
      } catch (error) {
        fatal = error;
        stop();
      }
    }
    wake();
  }

  let pendingRecords = "";
  function settleOutcome(slot: Slot, item: WorkItem<I>, outcome: ItemOutcome): void {
    let line: string;
    const unknown = Object.keys(outcome.outputs).filter(
      (file) => !options.outputFiles.includes(file),
    );
    try {
      // Records for a file the run does not write would be lost without a word: fail instead.
      if (outcome.failure === undefined && unknown.length > 0)
        line = outcomeLine(item, {
          ...outcome,
          failure: {
            code: "unknown-output-file",
            message: `outputs for ${unknown.join(", ")}, which this run does not write (${options.outputFiles.join(", ")})`,
          },
        });
      else line = outcomeLine(item, outcome);
    } catch (error) {
      // An outcome that cannot be JSON (a cycle, a BigInt) is the item's failure, not the run's.
      line = outcomeLine(item, {
        outputs: {},
        trace: [],
        failure: { code: "item-outcome-not-json", message: describeError(error).message },
      });
    }
    pendingRecords += line; // journaled at the next flush, before any commit that covers it
    // Parse back what was journaled, so fresh and resumed items are written by the same code.
    const record = JSON.parse(line) as ItemRecord;
    tally.add(record);
    settle(slot, record);
    progress();
  }

  /** Every item below this index has its outcome in the journal (told to the batch tier). */
  let journaledBelow = 0;
  /** Write the settled prefix of the queue to the ordered files, then commit it. */
  function flush(): void {
    if (pendingRecords !== "") {
      journal.append(pendingRecords);
      pendingRecords = "";
    }
    writeSettledPrefix();
    // (Only once the outputs are written: a failing write is the error to report, not whatever
    // the batch tier's housekeeping would meet after it.)
    const below = queue.find((slot) => slot.state === "running" || slot.state === "abandoned");
    const journaled = below?.index ?? lastIndex + 1;
    if (journaled > journaledBelow) {
      journaledBelow = journaled;
      options.activity?.itemsJournaled?.(journaled);
    }
  }

  function writeSettledPrefix(): void {
    const chunks = orderedFiles.map(() => "");
    let positionLines = "";
    let last = -1;
    while (queue.length > 0) {
      const head = queue[0];
      if (!head || head.state === "running" || head.state === "abandoned") break;
      queue.shift();
      if (head.state === "settled" && head.texts) {
        const texts = head.texts;
        chain.add(head.id);
        texts.forEach((text, n) => (chunks[n] += text));
        const entry: PositionEntry = [
          head.index,
          head.id,
          texts.map(countLines),
          texts.map((text) => Buffer.byteLength(text, "utf8")),
        ];
        positionLines += `${JSON.stringify(entry)}\n`;
        last = head.index;
      }
    }
    if (last < 0) return;
    chunks.forEach((chunk, n) => {
      if (chunk.length > 0) outputs[n]?.append(chunk);
    });
    positions.append(positionLines);
    next = last + 1;
    const sizes = outputs.map((file) => file.size);
    journal.append(
      commitRecordLine(next, lengthMap(orderedFiles, sizes, positions.size), chain.digest()),
    );
  }

  let fatal: unknown;
  const iterator = options.items[Symbol.asyncIterator]();
  let exhausted = false;
  const activity = options.activity;
  progress();
  activity?.engineBusy(true);
  try {
    for (;;) {
      while (!exhausted && !stopped && running < concurrency && queue.length < window) {
        const result = await iterator.next();
        if (result.done) {
          exhausted = true;
          checkWrittenPrefix();
        } else admit(result.value);
      }
      flush();
      if ((exhausted || stopped) && running === 0) break;
      // Nothing in flight means nothing will wake us: go back to reading instead.
      if (running > 0 && !dirty) {
        // Nothing more starts until an item finishes: the batch tier may send its step now.
        activity?.engineBusy(false);
        await new Promise<void>((resolve) => (waiter = resolve));
        activity?.engineBusy(true);
        // Let the other items finishing in this turn of the event loop settle too: one flush
        // (a handful of write calls) then covers them all.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      waiter = undefined;
      dirty = false;
    }
  } catch (error) {
    fatal ??= error;
    stop();
    while (running > 0) await new Promise<void>((resolve) => (waiter = resolve));
    try {
      flush(); // keep what finished; if the disk is what failed, the journal still has it
    } catch {
      // the first error is the one to report
    }
  } finally {
    activity?.engineBusy(false);
    options.signal?.removeEventListener("abort", stop);
    if (!exhausted) await iterator.return?.();
  }
  // Stage 4: finish. Close files, write stats and the manifest's final status.
  for (const file of [...outputs, positions, journal]) {
    file.sync();
    file.close();
  }
  const status: RunStatus = stopped
    ? "interrupted"
    : failures.size > 0
      ? "complete-with-failures"
      : "complete";
  const finishedMs = clock.now();
  const failureList = [...failures.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, failure]) => ({ index, ...failure }));
  const elapsedMs = Math.max(0, finishedMs - startedMs);
  const summary: RunSummary = {
    dir,
    status,
    items: tally.done + failures.size,
    done: tally.done,
    failed: failures.size,
    resumed,
    failures: failureList,
    counters: { ...counters },
    peakBuffered,
  };
  writeStats(dir, {
    items: summary.items,
    done: summary.done,
    failed: summary.failed,
    failures: failureList,
    resumed,
    counters,
    timing: {
      startedAt: manifest.startedAt,
      finishedAt: new Date(finishedMs).toISOString(),
      elapsedMs,
      itemsPerSecond: elapsedMs > 0 ? round((summary.items - resumed) / (elapsedMs / 1000)) : 0,
    },
    ...options.extraStats?.(summary),
  });
  manifest = {
    ...manifest,
    finishedAt: status === "interrupted" ? null : new Date(finishedMs).toISOString(),
    status,
  };
  writeManifest(dir, manifest);
  if (status === "complete") {
    // A finished run is never resumed again, so the journal's copies of every outcome are only
    // disk space: keep just the final commit. (A crash before this line leaves the full journal,
    // which is equally valid.)
    const sizes = outputs.map((file) => file.size);
    writeFileAtomic(
      journalPath,
      commitRecordLine(next, lengthMap(orderedFiles, sizes, positions.size), chain.digest()),
    );
  }
  if (fatal instanceof RunStoppingError) fatal.stoppedRun = { dir, done: summary.done };
  if (fatal !== undefined) throw fatal;
  // Every item settled and journaled: no later run asks this one's batches (batch tier). Last,
  // once the datasets, stats and manifest are written: this only shrinks the batch journal.
  if (!stopped && exhausted) options.activity?.itemsJournaled?.(Number.POSITIVE_INFINITY);
  return summary;
}

/** The journal line for an item's outcome (throws if the outcome is not JSON-serialisable). */
function outcomeLine<I>(item: WorkItem<I>, outcome: ItemOutcome): string {
  const ok = outcome.failure === undefined;
  return itemRecordLine({
    i: item.index,
    id: item.id,
    ok,
    ...(ok ? { out: outcome.outputs } : {}),
    trace: outcome.trace,
    ...(outcome.counters ? { counters: outcome.counters } : {}),
    ...(outcome.failure
      ? { failure: { code: outcome.failure.code, message: outcome.failure.message } }
      : {}),
  });
}

/** The context for one item; its generator is made on first use (seeding costs a few microseconds). */
function itemContext(seed: number, id: string, signal: AbortSignal): ItemContext {
  let random: SeededRandom | undefined;
  return {
    get random() {
      random ??= seededRandom(seed, id);
      return random;
    },
    signal,
  };
}

function alreadyComplete(dir: string): RunSummary {
  const stats = readStats(dir);
  return {
    dir,
    status: "already-complete",
    items: stats?.items ?? 0,
    done: stats?.done ?? 0,
    failed: 0,
    resumed: stats?.items ?? 0,
    failures: [],
    counters: stats?.counters ?? {},
    peakBuffered: 0,
  };
}

/** A thrown error as a failure record: its code if it has one, and its message only. */
function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      code: typeof code === "string" && code !== "" ? code : "item-failed",
      message: error.message,
    };
  }
  return { code: "item-failed", message: String(error) };
}

function countLines(text: string): number {
  let count = 0;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count += 1;
  return count;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
