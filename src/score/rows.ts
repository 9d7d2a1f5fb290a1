// Input rows of a scoring run: `{id?, prompt | messages, response}`, `{..., responses: [...]}`,
// and every layout Phase 1 and Phase 2 write (`sft.jsonl` conversations ending in the reply,
// `chosen`/`rejected` pairs, OpenAI's preference rows, read by Phase 2's pair-row reader). A row
// may carry `tags` and its own `rubric` (a list of criteria, or the name of a constitution rubric).

import { CharterError } from "../errors.js";
import {
  IdRegistry,
  parseMessageList,
  readJsonLines,
  rowAtLine,
  stableId,
  type MessageTurn,
} from "../io/index.js";
import { OPENAI_DPO_KEYS, parsePairRow } from "../datasets/index.js";
import type { WorkItem } from "../runtime/index.js";
import { parseRowRubric, type ScoringRubric } from "./rubric.js";

/** A row of the input that cannot be scored as it is (shape, or a bad rubric). */
export class InvalidScoreRowError extends CharterError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super("invalid-input-row", `${file}:${line}: ${reason}`);
  }
}

/**
 * How the row gave its replies: one `response` (or a conversation ending in it), several
 * `responses`, or a labelled `chosen`/`rejected` pair (the chosen reply is the row's target).
 */
export type RowLayout = "single" | "several" | "labelled";

export interface ScoreRow {
  readonly id?: string;
  /** The turns before the replies, ending with a user turn. */
  readonly conversation: readonly MessageTurn[];
  /** `text` when the prompt was a string: pairs made from the row keep that shape. */
  readonly shape: "text" | "messages";
  readonly responses: readonly string[];
  readonly layout: RowLayout;
  readonly tags: readonly string[];
  /** The row's own rubric, or the name of a constitution rubric it asks for. */
  readonly rubric?: ScoringRubric | { readonly name: string };
  /** The row as read, for kept.jsonl and dropped.jsonl. */
  readonly source: Readonly<Record<string, unknown>>;
}

export interface ScoreItemInput {
  readonly row: ScoreRow;
  readonly line: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Keys that make a row a pair row (read by Phase 2's pair reader): TRL's and OpenAI's. */
const PAIR_KEYS = ["chosen", "rejected", ...OPENAI_DPO_KEYS];

/** A prompt as a string or a message list ending with a user turn. */
function readPrompt(
  value: unknown,
  field: string,
): { conversation: MessageTurn[]; shape: "text" | "messages" } | string {
  if (typeof value === "string") {
    if (value.trim() === "") return `'${field}' is empty`;
    return { conversation: [{ role: "user", content: value }], shape: "text" };
  }
  const turns = parseMessageList(value, field);
  if (typeof turns === "string") return turns;
  return { conversation: turns, shape: "messages" };
}

/** A row with one reply: `prompt | messages` and `response`, or `messages` ending with the reply. */
function singleRow(row: Record<string, unknown>): Omit<ScoreRow, "tags" | "source"> | string {
  const { prompt, messages } = row;
  let response = row["response"];
  if (prompt !== undefined && messages !== undefined)
    return "give 'prompt' or 'messages', not both";
  if (prompt === undefined && messages === undefined)
    return "a row needs 'prompt' or 'messages', and 'response' or 'responses'";
  const read = readPrompt(prompt ?? messages, prompt !== undefined ? "prompt" : "messages");
  if (typeof read === "string") return read;
  let turns = read.conversation;
  if (turns.at(-1)?.role === "assistant") {
    if (response !== undefined)
      return "'messages' ends with an assistant turn and 'response' is also given";
    response = (turns.at(-1) as MessageTurn).content;
    turns = turns.slice(0, -1);
  }
  if (response === undefined) return "a row needs 'response' (or 'responses') to score";
  if (typeof response !== "string") return "'response' must be a string";
  if (turns.at(-1)?.role !== "user") return "the turns before the reply must end with a user turn";
  return { conversation: turns, shape: read.shape, responses: [response], layout: "single" };
}

function rowRubric(value: unknown): ScoreRow["rubric"] | string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") {
    if (value.trim() === "") return "'rubric' must be a rubric name or a list of criteria";
    return { name: value };
  }
  return parseRowRubric(value, "rubric");
}

/**
 * Validates one parsed JSONL row; never throws. The message names the field, and the caller adds
 * file and line.
 *
 * @example
 * parseScoreRow({ prompt: "Hi", response: "Hello!", rubric: [{ criterion: "Greets back", weight: 1 }] })
 */
export function parseScoreRow(value: unknown): ScoreRow | string {
  if (!isRecord(value)) return "a row must be a JSON object";
  const { id, tags } = value;
  if (id !== undefined && id !== null && typeof id !== "string" && typeof id !== "number")
    return "'id' must be a string or a number";
  if (id === "") return "'id' must not be empty";
  if (tags !== undefined && (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")))
    return "'tags' must be an array of strings";
  const rubric = rowRubric(value["rubric"]);
  if (typeof rubric === "string") return rubric;
  const responses = value["responses"];
  let body: Omit<ScoreRow, "tags" | "source"> | string;
  if (Array.isArray(responses) && responses.length === 1) {
    const { responses: _one, ...rest } = value;
    body = singleRow({ ...rest, response: responses[0] });
  } else if (responses !== undefined || PAIR_KEYS.some((key) => value[key] !== undefined)) {
    const pair = parsePairRow(value);
    if (!pair.ok) return pair.message.replace(/`/g, "'");
    body = {
      conversation: pair.group.conversation,
      shape: pair.group.shape,
      responses: pair.group.responses,
      layout: pair.group.givenChosen === undefined ? "several" : "labelled",
    };
  } else body = singleRow(value);
  if (typeof body === "string") return body;
  return {
    ...(id === undefined || id === null ? {} : { id: String(id) }),
    ...body,
    tags: (tags as string[] | undefined) ?? [],
    ...(rubric === undefined ? {} : { rubric }),
    source: value,
  };
}

/** The id of a row: given, or derived from what is scored (so reruns agree on it). */
export function rowId(row: ScoreRow): string {
  return row.id ?? stableId({ conversation: row.conversation, responses: row.responses });
}

export interface ReadScoreRowsOptions {
  /** Skip malformed rows (JSON, shape or rubric) instead of stopping; each is told to `onInvalid`. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (file: string, line: number, message: string) => void;
}

/**
 * The work items of a scoring input, in file order. A bad row stops the run naming file and line
 * (or is skipped and listed); a repeated id stops it naming both lines, even with `skipInvalid`.
 */
export async function* readScoreItems(
  file: string,
  options: ReadScoreRowsOptions = {},
): AsyncGenerator<WorkItem<ScoreItemInput>> {
  const seen = new IdRegistry();
  let index = 0;
  const idAt = async (line: number): Promise<string | undefined> => {
    const earlier = await rowAtLine(readJsonLines(file, { skipInvalid: true }), line);
    const parsed = earlier === undefined ? undefined : parseScoreRow(earlier.value);
    return parsed === undefined || typeof parsed === "string" ? undefined : rowId(parsed);
  };
  const lines = readJsonLines(file, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: ({ line, message }) => options.onInvalid?.(file, line, `not valid JSON: ${message}`),
  });
  for await (const { line, value } of lines) {
    const row = parseScoreRow(value);
    if (typeof row === "string") {
      if (options.skipInvalid !== true) throw new InvalidScoreRowError(file, line, row);
      options.onInvalid?.(file, line, row);
      continue;
    }
    const id = rowId(row);
    if (seen.add(id, line) !== undefined) {
      const first = await seen.confirm(id, line, idAt);
      if (first !== undefined)
        throw new InvalidScoreRowError(
          file,
          line,
          row.id === undefined
            ? `repeats the content of line ${first} (give the rows ids to keep both)`
            : `repeats id '${id}' of line ${first}`,
        );
    }
    yield { id, index: index++, input: { row, line } };
  }
}
