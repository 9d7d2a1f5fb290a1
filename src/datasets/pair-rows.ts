// Pair sources: validates one input row (`responses`, `chosen`/`rejected`, OpenAI's
// `input`/`preferred_output` and HH-RLHF's transcripts as their layout modules map them, Phase 1's
// `pairs.jsonl` as written), with a prompt given as a string or a message list, and lists the pairs
// of a group in a fixed order so pair ids are stable.

import { misspeltKeyHint } from "../did-you-mean.js";
import { parseMessageList, type MessageTurn } from "../io/index.js";
import { hhPairReplies, openAiPairFields } from "./layouts/index.js";

/** How a row with more than two replies is split into pairs. */
export type Pairing = "all" | "reference";
export const PAIRINGS: readonly Pairing[] = ["all", "reference"];

/**
 * How the row gave its prompt: `text` (a string, replies strings) or `messages` (a message list,
 * or replies as message lists). The `trl` output keeps the shape it was given.
 */
export type PromptShape = "text" | "messages";

/** One input row, validated: a conversation and the replies to compare. */
export interface PairGroup {
  /** The row's own `id`, when it has one (otherwise the caller derives a stable one). */
  readonly id?: string;
  /** The turns before the replies, ending with a user turn (a string prompt is one user turn). */
  readonly conversation: readonly MessageTurn[];
  readonly shape: PromptShape;
  readonly responses: readonly string[];
  /**
   * Set for `{ chosen, rejected }` rows (relabelling): the index of the reply the dataset
   * already prefers. Such rows have `responses: [chosen, rejected]`, so this is always 0.
   */
  readonly givenChosen?: number;
}

/** A pair inside a group: indexes into `responses`, `first < second`. */
export interface PairRef {
  /** `${groupId}:${first}-${second}` */
  readonly id: string;
  readonly first: number;
  readonly second: number;
}

export type RowResult =
  | { readonly ok: true; readonly group: PairGroup }
  | { readonly ok: false; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readId(row: Record<string, unknown>): string | undefined | Error {
  const id = row["id"];
  if (id === undefined || id === null) return undefined;
  if (typeof id === "string" && id.length > 0) return id;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  return new Error("`id` must be a non-empty string or a number");
}

/** A conversation as given: a string prompt is one user turn. */
export function readConversation(
  value: unknown,
  field: string,
): { conversation: MessageTurn[]; shape: PromptShape } | string {
  if (typeof value === "string") {
    if (value.trim() === "") return `\`${field}\` is empty`;
    return { conversation: [{ role: "user", content: value }], shape: "text" };
  }
  if (!Array.isArray(value)) return `expected \`${field}\` (a string or a list of messages)`;
  const turns = parseMessageList(value, field);
  if (typeof turns === "string") return turns;
  if (turns.at(-1)?.role !== "user") return `\`${field}\` must end with a user turn`;
  return { conversation: turns, shape: "messages" };
}

/** A reply: a string, or a message list whose last turn is the assistant's reply. */
interface Reply {
  readonly text: string;
  /** The turns before the reply, when the list held the whole conversation (HF layouts). */
  readonly before: readonly MessageTurn[];
  readonly shape: PromptShape;
}

function readReply(value: unknown, field: string): Reply | string {
  if (typeof value === "string") return { text: value, before: [], shape: "text" };
  if (!Array.isArray(value)) return `expected \`${field}\` to be a string or a list of messages`;
  const turns = parseMessageList(value, field);
  if (typeof turns === "string") return turns;
  const last = turns.at(-1) as MessageTurn;
  if (last.role !== "assistant") return `\`${field}\` must end with an assistant turn`;
  return { text: last.content, before: turns.slice(0, -1), shape: "messages" };
}

const sameTurns = (one: readonly MessageTurn[], other: readonly MessageTurn[]): boolean =>
  one.length === other.length &&
  one.every((turn, i) => turn.role === other[i]?.role && turn.content === other[i]?.content);

/**
 * The conversation of a row from its prompt and its replies: replies given as whole conversations
 * (Hugging Face's `chosen`/`rejected`) carry it themselves, and must agree with each other and
 * with a given prompt (the same list, or, as in the HF CAI layout, its last user turn).
 */
function conversationOf(
  prompt: unknown,
  promptField: string,
  replies: readonly Reply[],
  replyField: (index: number) => string,
): { conversation: readonly MessageTurn[]; shape: PromptShape } | string {
  const carried = replies.find((reply) => reply.before.length > 0)?.before;
  const shape: PromptShape = replies.some((reply) => reply.shape === "messages")
    ? "messages"
    : "text";
  if (carried === undefined) {
    if (prompt === undefined) return `expected \`${promptField}\` (a string or a list of messages)`;
    const given = readConversation(prompt, promptField);
    if (typeof given === "string") return given;
    return {
      conversation: given.conversation,
      shape: given.shape === "messages" ? given.shape : shape,
    };
  }
  const differs = replies.findIndex((reply) => !sameTurns(reply.before, carried));
  if (differs >= 0)
    return `\`${replyField(differs)}\` continues a different conversation than \`${replyField(0)}\``;
  if (carried.at(-1)?.role !== "user")
    return `the turns before \`${replyField(0)}\`'s reply must end with a user turn`;
  if (prompt !== undefined) {
    const given = readConversation(prompt, promptField);
    if (typeof given === "string") return given;
    const matches =
      given.shape === "text"
        ? carried.at(-1)?.content === given.conversation[0]?.content
        : sameTurns(given.conversation, carried);
    if (!matches)
      return `\`${promptField}\` is not the conversation \`${replyField(0)}\` continues`;
  }
  return { conversation: carried, shape: "messages" };
}

/**
 * Which keys hold the prompt and the replies: OpenAI's preference layout names its own and HH's
 * replies are transcripts (their modules say how to read them), every other layout has Charter's
 * `prompt` and `chosen`/`rejected`.
 */
function rowFields(row: Record<string, unknown>):
  | {
      prompt: unknown;
      promptField: string;
      chosen: unknown;
      rejected: unknown;
      names: readonly [string, string];
    }
  | string {
  const hh = hhPairReplies(row);
  return (
    openAiPairFields(row) ?? {
      prompt: row["prompt"],
      promptField: "prompt",
      chosen: hh?.chosen ?? row["chosen"],
      rejected: hh?.rejected ?? row["rejected"],
      names: ["chosen", "rejected"],
    }
  );
}

/** The keys a pair row's shape is read from (for the misspelt-key hint). */
const PAIR_ROW_KEYS: readonly string[] = [
  "prompt",
  "messages",
  "input",
  "responses",
  "chosen",
  "rejected",
  "preferred_output",
  "non_preferred_output",
];

/**
 * Validates one parsed JSONL row. Never throws: a bad row is a message the caller reports with
 * its file and line (or counts, with --skip-invalid). Accepts `{prompt, responses}`,
 * `{prompt, chosen, rejected}` (strings, or message lists: TRL's conversational layout and the HF
 * CAI layout, where `chosen` holds the whole conversation) and OpenAI's
 * `{input: {messages}, preferred_output, non_preferred_output}` and HH-RLHF's `{chosen, rejected}`
 * transcripts: every layout Phase 1's `pairs.jsonl` and Phase 2's `preferences.jsonl` are written in.
 *
 * @example
 * parsePairRow({ prompt: "Hi", responses: ["Hello!", "Go away."] })
 * // { ok: true, group: { conversation: [{ role: "user", content: "Hi" }], shape: "text", responses: ["Hello!", "Go away."] } }
 */
export function parsePairRow(row: unknown): RowResult {
  if (!isRecord(row)) return { ok: false, message: "expected a JSON object" };
  // A missing field is often a misspelt one (`promt`, `rejectd`): say which key looks like it.
  const fail = (message: string): RowResult => ({
    ok: false,
    message: message.startsWith("expected")
      ? `${message}${misspeltKeyHint(Object.keys(row), PAIR_ROW_KEYS)}`
      : message,
  });
  const id = readId(row);
  if (id instanceof Error) return fail(id.message);
  const withId = id === undefined ? {} : { id };
  const fields = rowFields(row);
  if (typeof fields === "string") return fail(fields);
  const { prompt, promptField, chosen, rejected, names } = fields;

  const responses = row["responses"];
  if (responses !== undefined) {
    if (chosen !== undefined || rejected !== undefined)
      return fail("give either `responses` or `chosen`/`rejected`, not both");
    if (!Array.isArray(responses) || responses.length < 2)
      return fail("expected `responses` to be an array of at least two replies");
  }
  const given: unknown[] | undefined =
    responses !== undefined
      ? (responses as unknown[])
      : chosen !== undefined || rejected !== undefined
        ? [chosen, rejected]
        : undefined;
  if (given === undefined)
    return fail(`expected \`responses\` (an array) or \`${names[0]}\` and \`${names[1]}\``);
  const field = (index: number): string =>
    responses !== undefined ? `responses[${index}]` : (names[index] as string);
  if (responses === undefined && (chosen === undefined || rejected === undefined))
    return fail(`expected both \`${names[0]}\` and \`${names[1]}\``);
  const replies: Reply[] = [];
  for (const [index, value] of given.entries()) {
    const reply = readReply(value, field(index));
    if (typeof reply === "string") return fail(reply);
    replies.push(reply);
  }
  const conversation = conversationOf(prompt, promptField, replies, field);
  if (typeof conversation === "string") return fail(conversation);
  return {
    ok: true,
    group: {
      ...withId,
      ...conversation,
      responses: replies.map((reply) => reply.text),
      ...(responses === undefined ? { givenChosen: 0 } : {}),
    },
  };
}

/**
 * Why `charter judge --pairs` would refuse a row, or undefined when it takes it (for `inspect`,
 * which reads rows more leniently and flags these).
 */
export function pairProblem(row: unknown): string | undefined {
  const result = parsePairRow(row);
  return result.ok ? undefined : result.message;
}

/**
 * The pairs of a group, in a fixed order: `all` gives (0,1), (0,2), ..., (1,2), ...;
 * `reference` compares each reply with the first: (0,1), (0,2), ...
 */
export function pairsOf(groupId: string, responseCount: number, pairing: Pairing): PairRef[] {
  const pairs: PairRef[] = [];
  const lastFirst = pairing === "reference" ? 0 : responseCount - 2;
  for (let first = 0; first <= lastFirst; first++)
    for (let second = first + 1; second < responseCount; second++)
      pairs.push({ id: `${groupId}:${first}-${second}`, first, second });
  return pairs;
}
