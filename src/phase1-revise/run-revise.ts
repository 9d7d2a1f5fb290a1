// A whole Phase 1 run: prompts stream through the critique-and-revise loop into the shared run
// engine, which owns the folder (manifest, ordered files, trace, stats, resume). This file only
// says what an item's outcome is and which settings identify the run.

import type { CompiledConstitution } from "../constitution/index.js";
import { CharterError } from "../errors.js";
import { sha256Hex, type InvalidLine } from "../io/index.js";
import {
  DEFAULT_TRUNCATION_RETRY,
  splitServedModels,
  type ChatModel,
  type CallLedgerOptions,
  promptCacheSection,
} from "../providers/index.js";
import {
  runItems,
  type ItemOutcome,
  type RunnerControls,
  type RunSummary,
} from "../runtime/index.js";
import { pairRecord, sftRecords } from "./formats.js";
import { readPrompts } from "./input.js";
import { resolveTemplates, type PhaseTemplates } from "./prompts.js";
import { reviseItem } from "./revise-item.js";
import { isRevisable } from "./sampling.js";
import type { EmitMode, LoopOptions, SftFormat } from "./types.js";
import { DEFAULT_TRACE_MODE, runTraceSetup } from "../io/index.js";

export const SFT_FILE = "sft.jsonl";
export const PAIRS_FILE = "pairs.jsonl";

export interface ReviseRunOptions
  extends RunnerControls, Pick<CallLedgerOptions, "prices" | "truncationRetry" | "trace"> {
  readonly constitution: CompiledConstitution;
  /** A `.jsonl` file of rows, or a `.txt` file of one prompt per line. */
  readonly prompts: string;
  readonly model: ChatModel;
  /** The run folder. */
  readonly out: string;
  readonly loop: LoopOptions;
  readonly format: SftFormat;
  readonly emit: EmitMode;
  /** Result-changing settings the caller adds (e.g. the endpoint kind). */
  readonly extraSettings?: Readonly<Record<string, unknown>>;
  readonly onInvalid?: (invalid: InvalidLine) => void;
}

export interface ReviseRunResult {
  readonly summary: RunSummary;
  /** Rows skipped by `skipInvalid` (also written to stats.json as `invalidRows`). */
  readonly invalid: readonly InvalidLine[];
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Everything that changes results: a resume with any of it different is refused. */
export function reviseSettings(
  options: Pick<
    ReviseRunOptions,
    | "constitution"
    | "model"
    | "loop"
    | "format"
    | "emit"
    | "extraSettings"
    | "truncationRetry"
    | "trace"
  >,
  templates: PhaseTemplates,
): Record<string, unknown> {
  const { constitution, loop } = options;
  return {
    constitution: {
      name: constitution.name,
      version: constitution.version,
      hash: constitution.hash,
    },
    model: options.model.id,
    revisions: loop.revisions,
    sampling: loop.sampling,
    recheck: loop.recheck,
    noChangeMarker: loop.noChangeMarker,
    calls: loop.calls,
    format: options.format,
    emit: options.emit,
    truncationRetry: options.truncationRetry ?? DEFAULT_TRUNCATION_RETRY,
    trace: options.trace ?? DEFAULT_TRACE_MODE,
    templates: `sha256:${sha256Hex(JSON.stringify([templates.critique, templates.revision]))}`,
    ...options.extraSettings,
  };
}

/**
 * Phase 1's own stats.json fields, written in the engine's one write of it: the model ids the
 * server said it served, as a list (`counters` here replaces the engine's copy without them; see
 * splitServedModels), and the input rows `skipInvalid` skipped.
 */
export function reviseStats(
  summary: RunSummary,
  invalid: readonly InvalidLine[],
): Record<string, unknown> {
  const { counters, servedModels } = splitServedModels(summary.counters);
  return {
    counters,
    servedModels,
    ...promptCacheSection(counters),
    ...(invalid.length === 0
      ? {}
      : {
          invalidRows: {
            count: invalid.length,
            rows: invalid.map(({ line, message }) => ({ line, message })),
          },
        }),
  };
}

/**
 * Phase 1 stats of a merged sharded run: the served models of every shard, and the skipped rows
 * (every shard read the whole input, so each saw the same ones: the first shard's stand for all).
 */
export function mergedReviseStats(
  shards: readonly Readonly<Record<string, unknown>>[],
): Record<string, unknown> {
  const served = new Set<string>();
  for (const shard of shards) {
    const list = shard["servedModels"];
    if (Array.isArray(list)) for (const id of list) if (typeof id === "string") served.add(id);
  }
  const invalidRows = shards[0]?.["invalidRows"];
  return {
    servedModels: [...served].sort(),
    ...(invalidRows === undefined ? {} : { invalidRows }),
  };
}

/**
 * Refuses, before any call, a run whose every item would come out unrevised: its SFT targets would
 * be the first replies, paid for and labelled as revisions.
 */
export function assertSomethingToRevise(
  constitution: CompiledConstitution,
  loop: Pick<LoopOptions, "revisions">,
): void {
  if (loop.revisions === 0)
    throw new CharterError(
      "nothing-to-revise",
      "nothing would be revised: `revisions` is 0, so every training target would be the first reply. Set --revisions (or `revisions` in the constitution's defaults) to 1 or more",
    );
  if (!constitution.principles.some(isRevisable))
    throw new CharterError(
      "nothing-to-revise",
      `nothing would be revised: no principle of "${constitution.name}" has both \`critique\` and \`revise\` (Phase 1 uses only those; \`compare\`-only principles serve \`charter judge\`)`,
    );
}

/**
 * Runs Phase 1 over a prompts file into `out`. Running it again on the same folder resumes.
 *
 * @example
 * const { summary } = await runRevise({ constitution, prompts: "examples/prompts.jsonl",
 *   model: createModel("offline:rehearsal"), out: "runs/demo", seed: 1, loop, format: "trl",
 *   emit: "final", concurrency: 8 });
 */
export async function runRevise(options: ReviseRunOptions): Promise<ReviseRunResult> {
  assertSomethingToRevise(options.constitution, options.loop);
  const templates = resolveTemplates(options.constitution, options.loop.noChangeMarker);
  const settings = reviseSettings(options, templates);
  const invalid: InvalidLine[] = [];
  const traceSetup = runTraceSetup(options.trace ?? DEFAULT_TRACE_MODE, options.constitution);
  const deps = {
    model: options.model,
    constitution: options.constitution,
    templates,
    options: options.loop,
    calls: {
      ...(options.prices === undefined ? {} : { prices: options.prices }),
      ...(options.truncationRetry === undefined
        ? {}
        : { truncationRetry: options.truncationRetry }),
      ...traceSetup.ledger,
    },
  };
  const summary = await runItems({
    dir: options.out,
    command: "revise",
    settings,
    manifestInfo: { ...options.manifestInfo, ...traceSetup.manifestInfo },
    seed: options.seed,
    outputFiles: [SFT_FILE, PAIRS_FILE],
    inputs: [options.prompts],
    ...(options.extend === true ? { extend: true } : {}),
    items: readPrompts(options.prompts, {
      skipInvalid: options.skipInvalid ?? false,
      onInvalid: (row) => {
        invalid.push(row);
        options.onInvalid?.(row);
      },
    }),
    concurrency: options.concurrency,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.total === undefined ? {} : { total: options.total }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.activity === undefined ? {} : { activity: options.activity }),
    extraStats: (done) => reviseStats(done, invalid),
    process: async (item, context): Promise<ItemOutcome> => {
      const result = await reviseItem(item, context, deps);
      const counters = result.counters;
      if (result.revised === undefined)
        return {
          outputs: {},
          trace: result.trace,
          counters,
          ...(result.failure ? { failure: result.failure } : {}),
        };
      const pair = pairRecord(result.revised, options.format);
      if (pair === undefined) counters["pairs-skipped-unrevised"] = 1;
      return {
        outputs: {
          [SFT_FILE]: sftRecords(result.revised, options.format, options.emit),
          [PAIRS_FILE]: pair === undefined ? [] : [pair],
        },
        trace: result.trace,
        counters,
      };
    },
  });
  return { summary, invalid, settings };
}
