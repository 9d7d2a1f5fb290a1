// What every dataset layout module provides (its name, what it teaches, how a row of it is
// recognised and read into the one shape the quality stage works on), and the JSON helpers they share.

import type { MessageTurn } from "../../io/index.js";

/** Every layout Charter reads and writes; `inspect --format` takes these names. */
export type DatasetFormat =
  | "sft-trl"
  | "sft-openai"
  | "sft-hf-cai"
  | "preference-trl"
  | "preference-trl-chat"
  | "preference-openai-dpo"
  | "preference-hh"
  | "judge-input"
  | "prompts";

/** What a row of a layout teaches: a reply (SFT), a choice between two replies, or only a prompt. */
export type DatasetKind = "sft" | "preference" | "prompts";

/** One judge verdict as the TRL preference layouts record it. */
export interface RowVerdict {
  readonly principle: string;
  readonly probabilityFirst: number;
  readonly consistent?: boolean;
}

/** A row of any layout, in the one shape the quality stage works on. */
export interface DatasetRow {
  /** 1-based line in its file. */
  readonly line: number;
  /** The row's `id`, or `line:N` for layouts without one. */
  readonly id: string;
  /** The conversation before the reply, user and system turns' text joined by newlines. */
  readonly prompt: string;
  /** Messages in the conversation, the reply included. */
  readonly turns: number;
  /** The reply the row teaches (SFT), the chosen reply (preference), or a prompt row's response. */
  readonly reply: string;
  /** The rejected reply of a preference row. */
  readonly rejected?: string;
  /**
   * Why `judge --pairs` would refuse the row though its layout reads it (a conversation ending with
   * the assistant, replies continuing different conversations), when the reader was asked to check.
   */
  readonly pairProblem?: string;
  /** Every reply of a row that lists them (judge-input's `responses`, which may hold more than two). */
  readonly replies?: readonly string[];
  /** The reply before revision (hf-cai's `init_response`, or the trace of a run). */
  readonly firstReply?: string;
  /** Judge probability that the chosen reply is better (Charter's TRL layouts). */
  readonly probability?: number;
  readonly decidedBy?: string;
  readonly verdicts?: readonly RowVerdict[];
}

/** A row that does not fit its layout: its problem, for a `file:line:` message. */
export class RowShapeError extends Error {}

export type JsonRow = Record<string, unknown>;

/**
 * One layout: its name, what it teaches, how a row of it is recognised from its keys (detection
 * tries the layouts in DATASET_FORMATS' order) and read into a DatasetRow. Each layout's module
 * also exports the function Charter's commands write its rows with.
 */
export interface DatasetLayout {
  readonly name: DatasetFormat;
  readonly kind: DatasetKind;
  /** Whether a row has the keys that mark this layout. */
  recognises(row: JsonRow): boolean;
  /** The row in the common shape; throws RowShapeError when it does not fit. */
  read(row: JsonRow, line: number): DatasetRow;
  /**
   * The conversation before the reply, every turn in order with its role, as a viewer shows it
   * (`charter report`); `read`'s `prompt` is the text of its user and system turns. Throws
   * RowShapeError as `read` does.
   */
  conversation(row: JsonRow): RowTurn[];
}

export function isObject(value: unknown): value is JsonRow {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A message as read for metrics: any role a file may hold (`tool`, ...), content as text. */
export interface RowTurn {
  readonly role: string;
  readonly content: string;
}

/** A message list as read for metrics: roles kept, content as text (OpenAI's parts joined). */
export function turns(value: unknown, field: string): RowTurn[] {
  if (!Array.isArray(value)) throw new RowShapeError(`\`${field}\` is not a list of messages`);
  return value.map((message, index) => {
    if (!isObject(message) || typeof message.role !== "string")
      throw new RowShapeError(`\`${field}[${index}]\` is not a {role, content} message`);
    return { role: message.role, content: contentText(message.content, `${field}[${index}]`) };
  });
}

/** A message's content: a string, or OpenAI's list of parts whose text parts are joined. */
export function contentText(content: unknown, field: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content))
    return content
      .map((part) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
      .join("");
  throw new RowShapeError(`\`${field}.content\` is not text`);
}

export function text(row: JsonRow, field: string): string {
  const value = row[field];
  if (typeof value !== "string") throw new RowShapeError(`\`${field}\` is not a string`);
  return value;
}

/** The prompt of a conversation: its user and system turns' text, joined by newlines. */
export function promptOf(conversation: readonly RowTurn[]): string {
  // (A loop: this runs for every row a quality pass reads.)
  let prompt: string | undefined;
  for (const message of conversation)
    if (message.role !== "assistant")
      prompt = prompt === undefined ? message.content : `${prompt}\n${message.content}`;
  return prompt ?? "";
}

/** The last assistant turn of a reply list (TRL chat and OpenAI layouts give the reply as a list). */
export function replyOf(list: readonly RowTurn[], field: string): string {
  const last = list.findLast((message) => message.role === "assistant");
  if (last === undefined) throw new RowShapeError(`\`${field}\` has no assistant message`);
  return last.content;
}

/** A prompt given as a string (one user turn) or as a message list. */
export function promptTurns(row: JsonRow): RowTurn[] {
  return Array.isArray(row.prompt)
    ? turns(row.prompt, "prompt")
    : [{ role: "user", content: text(row, "prompt") }];
}

export function idOf(row: JsonRow, line: number): string {
  return typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : `line:${line}`;
}

function verdictsOf(row: JsonRow): RowVerdict[] | undefined {
  if (!Array.isArray(row.verdicts)) return undefined;
  return row.verdicts.filter(isObject).map((verdict) => ({
    principle: typeof verdict.principle === "string" ? verdict.principle : "",
    probabilityFirst:
      typeof verdict.probability_first === "number" ? verdict.probability_first : 0.5,
    ...(typeof verdict.consistent === "boolean" ? { consistent: verdict.consistent } : {}),
  }));
}

/** Charter's own columns beside TRL's (probability, decided_by, verdicts), as a DatasetRow's. */
export function charterColumnsOf(row: JsonRow): Partial<DatasetRow> {
  const verdicts = verdictsOf(row);
  return {
    ...(typeof row.probability === "number" ? { probability: row.probability } : {}),
    ...(typeof row.decided_by === "string" ? { decidedBy: row.decided_by } : {}),
    ...(verdicts === undefined ? {} : { verdicts }),
  };
}

/** A message as written: role and content only, in that order. */
export const copyTurn = (turn: MessageTurn): MessageTurn => ({
  role: turn.role,
  content: turn.content,
});

/** An SFT row's `messages` (every SFT layout keeps them), which end with the reply it teaches. */
function sftMessages(row: JsonRow): { conversation: RowTurn[]; last: RowTurn } {
  const conversation = turns(row.messages, "messages");
  const last = conversation.at(-1);
  if (last === undefined || last.role !== "assistant")
    throw new RowShapeError("`messages` does not end with an assistant reply");
  return { conversation, last };
}

/** An SFT row's conversation before the reply it teaches. */
export function sftConversation(row: JsonRow): RowTurn[] {
  return sftMessages(row).conversation.slice(0, -1);
}

/**
 * An SFT row: a conversation ending with the reply it teaches (every SFT layout keeps it in
 * `messages`), with the first reply when the layout records it.
 */
export function readSftRow(
  row: JsonRow,
  line: number,
  firstReplyOf: () => string | undefined = () => undefined,
): DatasetRow {
  const { conversation, last } = sftMessages(row);
  const firstReply = firstReplyOf();
  return {
    line,
    id: idOf(row, line),
    prompt: promptOf(conversation.slice(0, -1)),
    turns: conversation.length,
    reply: last.content,
    ...(firstReply === undefined ? {} : { firstReply }),
  };
}
