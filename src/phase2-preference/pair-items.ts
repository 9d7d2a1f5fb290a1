// Work items of a judging run, streamed from the input file: pair rows (see parsePairRow) or
// prompts (or SFT rows' conversations) to generate replies for. Bad rows stop the run with
// file:line, or are counted and skipped. Ids are unique: a repeated id stops the run naming both.

import { misspeltKeyHint } from "../did-you-mean.js";
import { CharterError } from "../errors.js";
import {
  IdRegistry,
  parseMessageList,
  readJsonLines,
  readPromptLines,
  rowAtLine,
  stableId,
  type JsonLine,
  type MessageTurn,
} from "../io/index.js";
import type { WorkItem } from "../runtime/index.js";
import type { GenerateRow, JudgeItemInput } from "./judge-group.js";
import {
  parsePairRow,
  readConversation,
  type PairGroup,
  type PromptShape,
} from "../datasets/index.js";

/** A row of the input file that is not a pair row (or not a prompt row). */
export class InvalidPairRowError extends CharterError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super("invalid-input-row", `${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

export interface ReadItemsOptions {
  /** Skip malformed lines (JSON or shape) instead of stopping; each is told to `onInvalid`. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (file: string, line: number, message: string) => void;
}

/** Fails or skips one bad line, as the options say. */
function invalid(file: string, line: number, message: string, options: ReadItemsOptions): void {
  if (options.skipInvalid !== true) throw new InvalidPairRowError(file, line, message);
  options.onInvalid?.(file, line, message);
}

/**
 * Fails naming both lines when `id` was seen before: two rows with one id would share a seeded
 * random stream and write records with the same id. An error even with `skipInvalid` (as in
 * Phase 1): no row is the bad one to skip.
 */
async function checkUnique(
  seen: IdRegistry,
  file: string,
  line: number,
  id: string,
  given: boolean,
  idAt: (line: number) => Promise<string | undefined>,
): Promise<void> {
  if (seen.add(id, line) === undefined) return;
  const first = await seen.confirm(id, line, idAt);
  if (first === undefined) return;
  throw new InvalidPairRowError(
    file,
    line,
    given
      ? `repeats id '${id}' of line ${first}`
      : `repeats the content of line ${first} (give the rows ids to keep both)`,
  );
}

/**
 * The prompt as an id hashes it: the string of a text prompt (the ids of single-turn rows stay
 * what they always were), the message list otherwise.
 */
const idPrompt = (conversation: readonly MessageTurn[], shape: PromptShape): unknown =>
  shape === "text" ? (conversation[0]?.content ?? "") : conversation;

/** The id of a pair row: given, or derived from its content (so reruns agree on it). */
function groupId(group: PairGroup): string {
  return (
    group.id ??
    stableId({ prompt: idPrompt(group.conversation, group.shape), responses: group.responses })
  );
}

/** The id of the row at `line` of a JSON Lines file, read again (see IdRegistry.confirm). */
function jsonIdAt(
  file: string,
  idOf: (value: unknown) => string | undefined,
): (line: number) => Promise<string | undefined> {
  return async (line) => {
    const row: JsonLine | undefined = await rowAtLine(
      readJsonLines(file, { skipInvalid: true }),
      line,
    );
    return row === undefined ? undefined : idOf(row.value);
  };
}

/** Pair rows in file order; rows without an `id` get one from their content (stableId). */
export async function* readPairItems(
  file: string,
  options: ReadItemsOptions = {},
): AsyncGenerator<WorkItem<JudgeItemInput>> {
  let index = 0;
  const seen = new IdRegistry();
  const idAt = jsonIdAt(file, (earlier) => {
    const parsed = parsePairRow(earlier);
    return parsed.ok ? groupId(parsed.group) : undefined;
  });
  const lines = readJsonLines(file, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: ({ line, message }) => options.onInvalid?.(file, line, `not valid JSON: ${message}`),
  });
  for await (const { line, value } of lines) {
    const row = parsePairRow(value);
    if (!row.ok) {
      invalid(file, line, row.message, options);
      continue;
    }
    const { group } = row;
    const id = groupId(group);
    await checkUnique(seen, file, line, id, group.id !== undefined, idAt);
    yield { id, index: index++, input: { kind: "pairs", group } };
  }
}

function promptRow(value: unknown): GenerateRow | string {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "expected a JSON object with `prompt` or `messages`";
  const record = value as Record<string, unknown>;
  const id = record["id"];
  const withId =
    typeof id === "string" && id.length > 0
      ? { id }
      : typeof id === "number" && Number.isFinite(id)
        ? { id: String(id) }
        : id === undefined || id === null
          ? {}
          : undefined;
  if (withId === undefined) return "`id` must be a non-empty string or a number";
  const messages = record["messages"];
  if (messages !== undefined) {
    // An SFT row (Phase 1's sft.jsonl): the conversation, whose last assistant turn is replaced
    // by the replies generated here.
    const turns = parseMessageList(messages, "messages");
    if (typeof turns === "string") return turns;
    const before = turns.at(-1)?.role === "assistant" ? turns.slice(0, -1) : turns;
    const read = readConversation(before, "messages");
    if (typeof read === "string") return read;
    return { ...withId, ...read };
  }
  if (record["prompt"] === undefined)
    return `expected \`prompt\` (a string or a list of messages)${misspeltKeyHint(Object.keys(record), ["prompt", "messages"])}`;
  const read = readConversation(record["prompt"], "prompt");
  return typeof read === "string" ? read : { ...withId, ...read };
}

/** The id of a prompt row: given, or derived from the prompt. */
function promptId(row: GenerateRow): string {
  return row.id ?? stableId({ prompt: idPrompt(row.conversation, row.shape) });
}

/**
 * Prompts for `--generate`: a `.jsonl` file of `{ id?, prompt }` rows (a string or a message
 * list) or `{ id?, messages }` rows (Phase 1's sft.jsonl: the final assistant turn is dropped),
 * or plain text, one prompt per line.
 */
export async function* readPromptItems(
  file: string,
  options: ReadItemsOptions = {},
): AsyncGenerator<WorkItem<JudgeItemInput>> {
  let index = 0;
  const seen = new IdRegistry();
  const text = !file.endsWith(".jsonl");
  const idAt = text
    ? async (line: number) => {
        const row = await rowAtLine(readPromptLines(file), line);
        return row === undefined
          ? undefined
          : promptId({ conversation: [{ role: "user", content: row.text }], shape: "text" });
      }
    : jsonIdAt(file, (value) => {
        const row = promptRow(value);
        return typeof row === "string" ? undefined : promptId(row);
      });
  const emit = async (row: GenerateRow, line: number): Promise<WorkItem<JudgeItemInput>> => {
    const id = promptId(row);
    await checkUnique(seen, file, line, id, row.id !== undefined, idAt);
    return { id, index: index++, input: { kind: "generate", row } };
  };
  if (text) {
    for await (const { line, text: prompt } of readPromptLines(file))
      yield await emit({ conversation: [{ role: "user", content: prompt }], shape: "text" }, line);
    return;
  }
  const lines = readJsonLines(file, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: ({ line, message }) => options.onInvalid?.(file, line, `not valid JSON: ${message}`),
  });
  for await (const { line, value } of lines) {
    const row = promptRow(value);
    if (typeof row === "string") invalid(file, line, row, options);
    else yield await emit(row, line);
  }
}
