// `charter rubrics`: a strong model writes a rubric for each prompt (from a reference answer when
// the row gives one, as RaR does), validated like a hand-written rubric; invalid output is sent
// back with the problem and retried, then reported. Output rows are the input rows plus `rubric`.

import { extname, resolve } from "node:path";
import type { CompiledConstitution } from "../constitution/index.js";
import {
  IdRegistry,
  parseMessageList,
  readJsonLines,
  readPromptLines,
  rowAtLine,
  stableId,
  type MessageTurn,
} from "../io/index.js";
import {
  CallLedger,
  promptCacheSection,
  ProviderError,
  TruncatedReplyError,
  type ChatMessage,
  type ChatModel,
  type CallLedgerOptions,
} from "../providers/index.js";
import {
  runItems,
  type ItemContext,
  type ItemOutcome,
  type RunnerControls,
  type RunSummary,
  type WorkItem,
} from "../runtime/index.js";
import { parseRowRubric, rubricRows, type CriterionCount } from "./rubric.js";
import { InvalidScoreRowError } from "./rows.js";
import { rubricRequestMessages, scoreTemplate } from "./templates.js";
import { DEFAULT_TRACE_MODE } from "../io/index.js";

export const RUBRICS_FILE = "rubrics.jsonl";

interface PromptRow {
  readonly conversation: readonly MessageTurn[];
  readonly reference?: string;
  /** The row as read (a `.txt` line becomes `{prompt}`). */
  readonly source: Readonly<Record<string, unknown>>;
}

export interface RubricsRunOptions
  extends RunnerControls, Pick<CallLedgerOptions, "prices" | "truncationRetry" | "trace"> {
  readonly dir: string;
  readonly prompts: string;
  readonly model: ChatModel;
  readonly count: CriterionCount;
  /** The row field holding a reference answer (`--reference FIELD`). */
  readonly reference?: string;
  readonly temperature: number;
  readonly maxTokens: number;
  /** Re-asks after an invalid rubric, each with the problem, before the row fails. */
  readonly retries: number;
  /** For a `rubric-request` template override. */
  readonly constitution?: CompiledConstitution;
}

export interface RubricsRunResult {
  readonly summary: RunSummary;
  readonly invalid: readonly {
    readonly file: string;
    readonly line: number;
    readonly message: string;
  }[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function parsePromptRow(value: unknown, reference: string | undefined): PromptRow | string {
  if (!isRecord(value)) return "a row must be a JSON object";
  const { prompt, messages } = value;
  if ((prompt === undefined) === (messages === undefined))
    return "a row needs 'prompt' or 'messages' (one of them)";
  let conversation: MessageTurn[];
  if (typeof prompt === "string") {
    if (prompt.trim() === "") return "'prompt' is empty";
    conversation = [{ role: "user", content: prompt }];
  } else if (prompt !== undefined) return "'prompt' must be a string";
  else {
    const turns = parseMessageList(messages, "messages");
    if (typeof turns === "string") return turns;
    // A conversation ending in a reply (Phase 1's sft.jsonl) is rated up to its last user turn.
    const end = turns.findLastIndex((turn) => turn.role === "user");
    if (end < 0) return "'messages' has no user turn";
    conversation = turns.slice(0, end + 1);
  }
  const given = reference === undefined ? undefined : value[reference];
  if (given !== undefined && typeof given !== "string") return `'${reference}' must be a string`;
  return { conversation, ...(given === undefined ? {} : { reference: given }), source: value };
}

const promptId = (row: PromptRow): string =>
  typeof row.source["id"] === "string" || typeof row.source["id"] === "number"
    ? String(row.source["id"])
    : stableId({ conversation: row.conversation });

/** The prompts of a rubrics run, in file order (bad rows to `invalid` when skipped). */
export async function* readRows(
  file: string,
  reference: string | undefined,
  skipInvalid: boolean,
  onInvalid: (invalid: { file: string; line: number; message: string }) => void,
): AsyncGenerator<WorkItem<PromptRow>> {
  const text = extname(file).toLowerCase() === ".txt";
  const rows = async function* (): AsyncGenerator<{ line: number; value: unknown }> {
    if (text) {
      for await (const { line, text: prompt } of readPromptLines(file))
        yield { line, value: { prompt } };
      return;
    }
    yield* readJsonLines(file, {
      skipInvalid,
      onInvalid: ({ line, message }) =>
        onInvalid({ file, line, message: `not valid JSON: ${message}` }),
    });
  };
  const seen = new IdRegistry();
  const idAt = async (line: number): Promise<string | undefined> => {
    const row = await rowAtLine(rows(), line);
    const parsed = row === undefined ? undefined : parsePromptRow(row.value, reference);
    return parsed === undefined || typeof parsed === "string" ? undefined : promptId(parsed);
  };
  let index = 0;
  for await (const { line, value } of rows()) {
    const row = parsePromptRow(value, reference);
    if (typeof row === "string") {
      if (!skipInvalid) throw new InvalidScoreRowError(file, line, row);
      onInvalid({ file, line, message: row });
      continue;
    }
    const id = promptId(row);
    if (seen.add(id, line) !== undefined) {
      const first = await seen.confirm(id, line, idAt);
      if (first !== undefined)
        throw new InvalidScoreRowError(file, line, `repeats id '${id}' of line ${first}`);
    }
    yield { id, index: index++, input: row };
  }
}

/** The JSON list in a model's reply: bare, or inside a ``` fence, or between the first [ and last ]. */
export function extractJsonList(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const body = fenced ?? text;
  const start = body.indexOf("[");
  const end = body.lastIndexOf("]");
  if (start < 0 || end <= start) throw new Error("the reply holds no JSON list");
  return JSON.parse(body.slice(start, end + 1)) as unknown;
}

async function writeRubric(
  item: WorkItem<PromptRow>,
  options: RubricsRunOptions,
  context: ItemContext,
): Promise<ItemOutcome> {
  const template = scoreTemplate(options.constitution, "rubric-request");
  const messages: ChatMessage[] = rubricRequestMessages(
    template,
    item.input.conversation,
    item.input.reference,
    options.count,
  );
  const ledger = new CallLedger({
    ...(options.prices === undefined ? {} : { prices: options.prices }),
    ...(options.truncationRetry === undefined ? {} : { truncationRetry: options.truncationRetry }),
    trace: options.trace ?? DEFAULT_TRACE_MODE,
    seedFor: (key) => context.random.fork(key).int(2 ** 31),
  });
  const finish = (outcome: Omit<ItemOutcome, "trace" | "counters">): ItemOutcome => ({
    ...outcome,
    trace: ledger.trace(),
    counters: ledger.counters(),
  });
  let problem = "";
  for (let attempt = 0; attempt <= options.retries; attempt++) {
    let response;
    try {
      response = await ledger.complete(options.model, {
        request: {
          messages: [...messages],
          params: { temperature: options.temperature, maxTokens: options.maxTokens },
          sampleIndex: attempt,
          purpose: "rubric",
          signal: context.signal,
        },
        place: { attempt },
      });
    } catch (error) {
      if (!(error instanceof ProviderError || error instanceof TruncatedReplyError)) throw error;
      if (context.signal.aborted) throw error;
      return finish({ outputs: {}, failure: { code: error.code, message: error.message } });
    }
    let parsed: ReturnType<typeof parseRowRubric>;
    try {
      parsed = parseRowRubric(extractJsonList(response.text), "rubric", options.count);
    } catch (error) {
      parsed = `not a JSON list: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (typeof parsed === "string")
      ledger.event({ event: "invalid-rubric", attempt, error: parsed });
    if (typeof parsed !== "string") {
      ledger.count("criteria", parsed.criteria.length);
      ledger.count("rubrics");
      const source = item.input.source;
      const record = {
        ...(source["id"] === undefined ? { id: item.id } : {}),
        ...source,
        rubric: rubricRows(parsed),
      };
      return finish({ outputs: { [RUBRICS_FILE]: [record] } });
    }
    problem = parsed;
    ledger.count("invalid-rubrics");
    // The next attempt sees its own mistake: the reply and what was wrong with it.
    messages.push(
      { role: "assistant", content: response.text },
      {
        role: "user",
        content: `That rubric cannot be used: ${problem}. Answer again with the JSON list only.`,
      },
    );
  }
  return finish({
    outputs: {},
    failure: {
      code: "invalid-rubric",
      message: `after ${options.retries + 1} attempt(s): ${problem}`,
    },
  });
}

/**
 * Writes a rubric for every prompt of `prompts` into `dir/rubrics.jsonl` (the input rows plus
 * `rubric`), with trace.jsonl, manifest.json and stats.json. Running it again resumes.
 */
export async function runRubrics(options: RubricsRunOptions): Promise<RubricsRunResult> {
  const invalid: { file: string; line: number; message: string }[] = [];
  const summary = await runItems({
    dir: options.dir,
    command: "rubrics",
    settings: {
      model: options.model.id,
      min: options.count.min,
      max: options.count.max,
      reference: options.reference ?? null,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
      retries: options.retries,
      template: scoreTemplate(options.constitution, "rubric-request"),
      trace: options.trace ?? DEFAULT_TRACE_MODE,
    },
    manifestInfo: { input: resolve(options.prompts), ...options.manifestInfo },
    seed: options.seed,
    outputFiles: [RUBRICS_FILE],
    inputs: [options.prompts],
    ...(options.extend === true ? { extend: true } : {}),
    items: readRows(options.prompts, options.reference, options.skipInvalid === true, (row) =>
      invalid.push(row),
    ),
    process: (item, context) => writeRubric(item, options, context),
    concurrency: options.concurrency,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.total === undefined ? {} : { total: options.total }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.activity === undefined ? {} : { activity: options.activity }),
    extraStats: (done) => ({
      ...promptCacheSection(done.counters),
      ...(invalid.length === 0 ? {} : { invalidRows: { count: invalid.length, rows: invalid } }),
    }),
  });
  return { summary, invalid };
}
