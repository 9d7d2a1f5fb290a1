// Reads one run folder into a RunReport: the overview, then one streaming pass over the run's
// trace or dataset files (by run type) giving a summary of every item, the per-item values the
// plots draw, and the full detail of a bounded seeded sample (diffs computed for those only);
// `charter inspect`'s metrics are computed beside that pass, from the same read of the trace.

import { access } from "node:fs/promises";
import { join } from "node:path";
import { readJsonLines, readTraceEvents } from "../io/index.js";
import { inspectDataset, rowOfAnyLayout, type DatasetReport } from "../quality/index.js";
import { DetailSample } from "./detail-sample.js";
import { foldJudgeRecords } from "./judge-items.js";
import { isRecord, readOverview, text } from "./read-overview.js";
import { foldGenericRecords, foldScoreRecords } from "./record-items.js";
import { foldReviseTrace, snippet, type ItemSink } from "./revise-items.js";
import { TraceHandOver } from "./shared-trace.js";
import type {
  ItemDetail,
  ItemSummary,
  ItemValues,
  RunOverview,
  RunReport,
  Turn,
} from "./run-data.js";
import { wordDiff } from "./word-diff.js";

type Json = Readonly<Record<string, unknown>>;

export interface ReadRunOptions {
  /** At most this many items keep their full detail (default 500). */
  readonly sampleLimit?: number;
  /** Seed of the detail sample (default: the run's seed, else 1). */
  readonly sampleSeed?: number;
  /** This run's position among the runs of one report. */
  readonly runIndex?: number;
  /** Read `charter inspect`'s metrics of the run's dataset (default true). */
  readonly inspect?: boolean;
  /** Keep the detail of this item only, instead of a sample (`charter show RUN ID`). */
  readonly detailOf?: string;
}

export const DEFAULT_SAMPLE_LIMIT = 500;

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** The JSON objects of a JSON Lines file, malformed lines counted into `notes` instead of thrown. */
async function* objects(
  file: string,
  notes: string[],
): AsyncGenerator<{ record: Json; line: number }> {
  let invalid = 0;
  for await (const { line, value } of readJsonLines(file, {
    skipInvalid: true,
    onInvalid: () => (invalid += 1),
  })) {
    if (isRecord(value)) yield { record: value, line };
  }
  if (invalid > 0)
    notes.push(`${invalid} unreadable line${invalid === 1 ? "" : "s"} in ${file} skipped`);
}

/** The trace's events through the one trace reader (compact lines expanded), unreadable lines noted. */
async function* traceEvents(file: string, notes: string[]): AsyncGenerator<Json> {
  let invalid = 0;
  for await (const { event } of readTraceEvents(file, {
    skipInvalid: true,
    onInvalid: () => (invalid += 1),
  }))
    yield event;
  if (invalid > 0)
    notes.push(`${invalid} unreadable line${invalid === 1 ? "" : "s"} in ${file} skipped`);
}

/** Input tags by id, where the run's prompts file is at hand and its rows carry ids and tags. */
async function inputTags(overview: RunOverview): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>();
  const input = overview.inputFile;
  if (
    overview.kind !== "revise" ||
    input === undefined ||
    !input.endsWith(".jsonl") ||
    !(await exists(input))
  )
    return tags;
  // The input is only a source of tags: a line it cannot read is the run's business, not the report's.
  for await (const { record } of objects(input, [])) {
    const id = text(record.id);
    if (id !== undefined && Array.isArray(record.tags)) tags.set(id, record.tags.map(String));
  }
  return tags;
}

function emptyValues(): ItemValues {
  return { pairs: [], verdicts: [], criterionNames: new Map() };
}

/** The existing dataset files of a run, in the manifest's order (or the usual names). */
async function datasetFiles(
  folder: string,
  listed: readonly string[],
  fallback: readonly string[],
): Promise<string[]> {
  const names = listed.length > 0 ? listed : fallback;
  const present: string[] = [];
  for (const name of names)
    if (name.endsWith(".jsonl") && (await exists(join(folder, name)))) present.push(name);
  return present;
}

async function foldRun(
  folder: string,
  overview: RunOverview,
  values: ItemValues,
  sink: ItemSink<ItemDetail>,
  notes: string[],
  tagsOf: (id: string) => readonly string[],
  handOver: TraceHandOver | undefined,
): Promise<void> {
  switch (overview.kind) {
    case "revise": {
      const trace = join(folder, "trace.jsonl");
      if (!(await exists(trace)))
        return void notes.push("trace.jsonl is missing: no items to show");
      const events = traceEvents(trace, notes);
      return foldReviseTrace(handOver === undefined ? events : handOver.tee(events), sink, tagsOf);
    }
    case "judge": {
      const files = await datasetFiles(folder, overview.outputFiles, [
        "preferences.jsonl",
        "ties.jsonl",
      ]);
      async function* records(): AsyncGenerator<{ record: Json; tie: boolean }> {
        for (const name of files) {
          const tie = name.includes("ties");
          for await (const { record } of objects(join(folder, name), notes)) yield { record, tie };
        }
      }
      return foldJudgeRecords(records(), values, sink);
    }
    case "score":
    case "other": {
      const files = await datasetFiles(
        folder,
        overview.outputFiles,
        overview.kind === "score" ? ["scores.jsonl"] : [],
      );
      const first = files[0];
      if (first === undefined) return void notes.push("no dataset file found: no items to show");
      async function* records(): AsyncGenerator<{ record: Json; file: string; line: number }> {
        for await (const { record, line } of objects(join(folder, first as string), notes))
          yield { record, file: first as string, line };
      }
      return overview.kind === "score"
        ? foldScoreRecords(records(), values, sink)
        : foldGenericRecords(records(), sink);
    }
  }
}

/**
 * The run's quality metrics from `charter inspect` (the one place they are computed), or why there
 * are none. A run type inspect does not read (score runs, unknown commands, an empty folder) simply
 * has none; for a revise or judge run the reason is a note. Never rejects: it runs beside the fold.
 */
async function qualityOf(
  folder: string,
  overview: RunOverview,
  handOver: TraceHandOver | undefined,
): Promise<{ quality?: DatasetReport; note?: string }> {
  try {
    if (overview.outputFiles.length === 0 && overview.files.length === 0) return {};
    return {
      quality: await inspectDataset(folder, {
        skipInvalid: true,
        ...(handOver === undefined ? {} : { traceEvents: handOver }),
      }),
    };
  } catch (error) {
    if (overview.kind !== "revise" && overview.kind !== "judge") return {};
    const reason = error instanceof Error ? error.message : String(error);
    return { note: `charter inspect could not read this run: ${reason}` };
  } finally {
    // Whether inspect read every event, stopped early or never started, the fold must not wait on it.
    handOver?.abandon();
  }
}

/**
 * Inspect's metrics, computed while the run is folded: a revise run's trace is read once, its
 * events handed to inspect as the fold reads them (`shared-trace.ts`).
 */
async function foldWithQuality(
  folder: string,
  overview: RunOverview,
  inspect: boolean,
  fold: (handOver: TraceHandOver | undefined) => Promise<void>,
): Promise<{ quality?: DatasetReport; note?: string }> {
  if (!inspect) {
    await fold(undefined);
    return {};
  }
  const shares = overview.kind === "revise" && (await exists(join(folder, "trace.jsonl")));
  const handOver = shares ? new TraceHandOver() : undefined;
  const quality = qualityOf(folder, overview, handOver);
  try {
    await fold(handOver);
  } finally {
    // A fold that failed leaves inspect with the events it had; it ends instead of waiting.
    handOver?.end();
  }
  return quality;
}

/**
 * A score run's input row (any layout `score --input` takes), read by its layout's module: the
 * prompt's text, its whole conversation, and the replies in the order `charter score` numbers them.
 */
function inputTexts(
  record: Json,
  line: number,
): { prompt: string; conversation: readonly Turn[]; replies: readonly string[] } {
  const row = rowOfAnyLayout(record, line);
  if (row === undefined) return { prompt: "", conversation: [], replies: [] };
  const replies =
    row.replies ?? (row.rejected === undefined ? [row.reply] : [row.reply, row.rejected]);
  return { prompt: row.prompt, conversation: row.conversation, replies };
}

/**
 * scores.jsonl holds no texts: a second pass over the run's input fills in each item's prompt
 * snippet and the full prompt and replies of the sampled items only.
 */
async function addInputTexts(
  overview: RunOverview,
  items: readonly ItemSummary[],
  details: ReadonlyMap<string, ItemDetail>,
): Promise<void> {
  const input = overview.inputFile;
  if (overview.kind !== "score" || input === undefined || !(await exists(input))) return;
  const byId = new Map(items.map((item) => [item.id, item]));
  for await (const { record, line } of objects(input, [])) {
    const id = text(record.id);
    const summary = id === undefined ? undefined : byId.get(id);
    const detail = id === undefined ? undefined : details.get(id);
    if (summary?.text !== "" && detail?.kind !== "score") continue;
    const { prompt, conversation, replies } = inputTexts(record, line);
    if (summary !== undefined && summary.text === "") summary.text = snippet(prompt);
    if (detail?.kind !== "score") continue;
    detail.prompt = conversation;
    for (const reply of detail.replies) {
      const replyText = replies[reply.index];
      if (replyText !== undefined) reply.text = replyText;
    }
  }
}

/**
 * A Phase 1 item's conversation from the run's sft.jsonl where a row names the item (TRL's layout,
 * the default, carries ids): the trace only has the requests, whose first turns may be the
 * constitution's few-shot examples, indistinguishable there from the item's own earlier turns.
 * Items without such a row (failed, or a layout without ids) keep the trace's.
 */
async function addSftConversations(
  folder: string,
  overview: RunOverview,
  details: ReadonlyMap<string, ItemDetail>,
): Promise<void> {
  if (overview.kind !== "revise" || details.size === 0) return;
  const file = join(folder, "sft.jsonl");
  if (!(await exists(file))) return;
  const done = new Set<string>();
  for await (const { record, line } of objects(file, [])) {
    const id = text(record.id);
    if (id === undefined || done.has(id)) continue;
    const detail = details.get(id);
    if (detail?.kind !== "revise") continue;
    const row = rowOfAnyLayout(record, line);
    if (row === undefined) continue;
    detail.prompt = row.conversation;
    done.add(id);
    if (done.size === details.size) return;
  }
}

/** Adds the word diffs of each round (against the reply before it) to a sampled Phase 1 detail. */
function withDiffs(detail: ItemDetail): ItemDetail {
  if (detail.kind !== "revise") return detail;
  for (const round of detail.rounds) {
    if (round.revision !== undefined && round.before !== undefined)
      round.diff = wordDiff(round.before, round.revision);
  }
  return detail;
}

/** Everything the report shows of one run folder. */
export async function readRun(folder: string, options: ReadRunOptions = {}): Promise<RunReport> {
  const overview = await readOverview(folder);
  const notes = overview.notes as string[];
  const run = options.runIndex ?? 0;
  const seed = options.sampleSeed ?? overview.seed ?? 1;
  const limit = options.detailOf === undefined ? (options.sampleLimit ?? DEFAULT_SAMPLE_LIMIT) : 1;
  const sample = new DetailSample<ItemDetail>(seed, limit);
  const items: ItemSummary[] = [];
  const seen = new Set<string>();
  const values = emptyValues();
  const tags = await inputTags(overview);
  const sink: ItemSink<ItemDetail> = (summary, detail) => {
    items.push({ ...summary, run, detailed: false });
    seen.add(summary.id);
    if (
      options.detailOf === undefined ? sample.wants(summary.id) : options.detailOf === summary.id
    ) {
      sample.offer(summary.id, detail());
    }
  };
  const measured = await foldWithQuality(folder, overview, options.inspect !== false, (handOver) =>
    foldRun(folder, overview, values, sink, notes, (id) => tags.get(id) ?? [], handOver),
  );
  // Failed items that left no record (a failed pair writes no preference) still get a row.
  for (const failure of overview.failures) {
    if (seen.has(failure.id)) continue;
    seen.add(failure.id);
    items.push({
      run,
      id: failure.id,
      text: failure.message,
      outcome: `failed: ${failure.code}`,
      facets: [`failure:${failure.code}`],
      detailed: false,
    });
  }
  // Inspect's note comes after the fold's, as when the two ran one after the other.
  if (measured.note !== undefined) notes.push(measured.note);
  const quality = measured.quality;
  const details = new Map<string, ItemDetail>();
  for (const [id, detail] of sample.entries()) details.set(id, withDiffs(detail));
  await addInputTexts(overview, items, details);
  await addSftConversations(folder, overview, details);
  for (const item of items) if (details.has(item.id)) item.detailed = true;
  return {
    overview,
    items,
    details,
    values,
    ...(quality === undefined ? {} : { quality }),
    sample: { size: details.size, of: items.length, seed, limit },
  };
}
