// The dataset layouts Charter reads and writes, recognised from a row's keys, and each row brought
// to one shape (DatasetRow) that every metric, filter and split works on.

import { assertNever } from "../errors.js";

/** Every layout `inspect`, `filter` and `split` read; `--format` takes these names. */
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

/** In the order detection tries them (the first whose keys a row has wins). */
export const DATASET_FORMATS: readonly DatasetFormat[] = [
  "sft-hf-cai",
  "sft-trl",
  "sft-openai",
  "preference-trl",
  "preference-trl-chat",
  "preference-openai-dpo",
  "preference-hh",
  "judge-input",
  "prompts",
];

/** What a row of a format teaches: a reply (SFT), a choice between two replies, or only a prompt. */
export type DatasetKind = "sft" | "preference" | "prompts";

export function kindOf(format: DatasetFormat): DatasetKind {
  switch (format) {
    case "sft-trl":
    case "sft-openai":
    case "sft-hf-cai":
      return "sft";
    case "preference-trl":
    case "preference-trl-chat":
    case "preference-openai-dpo":
    case "preference-hh":
    case "judge-input":
      return "preference";
    case "prompts":
      return "prompts";
    default:
      return assertNever(format, "dataset format");
  }
}

/** One judge verdict as the TRL preference layouts record it. */
export interface RowVerdict {
  readonly principle: string;
  readonly probabilityFirst: number;
  readonly consistent?: boolean;
}

/** A row of any format, in the one shape the quality stage works on. */
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
  /** The reply before revision (hf-cai's `init_response`, or the trace of a run). */
  readonly firstReply?: string;
  /** Judge probability that the chosen reply is better (Charter's TRL layouts). */
  readonly probability?: number;
  readonly decidedBy?: string;
  readonly verdicts?: readonly RowVerdict[];
}

/** A row that does not fit the detected format: its problem, for a `file:line:` message. */
export class RowShapeError extends Error {}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

interface Turn {
  readonly role: string;
  readonly content: string;
}

function turns(value: unknown, field: string): Turn[] {
  if (!Array.isArray(value)) throw new RowShapeError(`\`${field}\` is not a list of messages`);
  return value.map((message, index) => {
    if (!isObject(message) || typeof message.role !== "string")
      throw new RowShapeError(`\`${field}[${index}]\` is not a {role, content} message`);
    return { role: message.role, content: contentText(message.content, `${field}[${index}]`) };
  });
}

/** A message's content: a string, or OpenAI's list of parts whose text parts are joined. */
function contentText(content: unknown, field: string): string {
  if (typeof content === "string") return content;
  if (content === null || content === undefined) return "";
  if (Array.isArray(content))
    return content
      .map((part) => (isObject(part) && typeof part.text === "string" ? part.text : ""))
      .join("");
  throw new RowShapeError(`\`${field}.content\` is not text`);
}

function text(row: Json, field: string): string {
  const value = row[field];
  if (typeof value !== "string") throw new RowShapeError(`\`${field}\` is not a string`);
  return value;
}

function promptOf(conversation: readonly Turn[]): string {
  return conversation
    .filter((message) => message.role !== "assistant")
    .map((message) => message.content)
    .join("\n");
}

/** The last assistant turn of a reply list (TRL chat and OpenAI layouts give the reply as a list). */
function replyOf(list: readonly Turn[], field: string): string {
  const last = list.findLast((message) => message.role === "assistant");
  if (last === undefined) throw new RowShapeError(`\`${field}\` has no assistant message`);
  return last.content;
}

/** Splits an HH-RLHF transcript into its prompt (all but the last Assistant turn) and reply. */
function splitHh(transcript: string): { prompt: string; reply: string; turns: number } {
  const marker = "\n\nAssistant:";
  const at = transcript.lastIndexOf(marker);
  if (at < 0) throw new RowShapeError("transcript has no `\\n\\nAssistant:` turn");
  const before = transcript.slice(0, at);
  const humanTurns = before.split("\n\nHuman:").slice(1);
  return {
    prompt: humanTurns.map((turn) => turn.split("\n\nAssistant:")[0]!.trim()).join("\n"),
    reply: transcript.slice(at + marker.length).trim(),
    turns: (transcript.match(/\n\n(Human|Assistant):/g) ?? []).length,
  };
}

/** Whether a row has the keys that mark `format` (used to detect a file's format). */
export function looksLike(row: unknown, format: DatasetFormat): boolean {
  if (!isObject(row)) return false;
  switch (format) {
    case "sft-hf-cai":
      return "init_response" in row && "revision_response" in row;
    case "sft-trl":
      return Array.isArray(row.messages) && "id" in row && !("chosen" in row);
    case "sft-openai":
      return Array.isArray(row.messages) && !("chosen" in row);
    case "preference-trl":
      // Charter's trl keeps a message-list prompt as a list; the replies stay strings.
      return (
        (typeof row.prompt === "string" || Array.isArray(row.prompt)) &&
        typeof row.chosen === "string" &&
        typeof row.rejected === "string"
      );
    case "preference-trl-chat":
      return Array.isArray(row.chosen) && Array.isArray(row.rejected);
    case "preference-openai-dpo":
      return "preferred_output" in row && "non_preferred_output" in row;
    case "preference-hh":
      return typeof row.chosen === "string" && typeof row.rejected === "string";
    case "judge-input":
      return Array.isArray(row.responses);
    case "prompts":
      return typeof row.prompt === "string" || Array.isArray(row.messages);
    default:
      return assertNever(format, "dataset format");
  }
}

export function idOf(row: Json, line: number): string {
  return typeof row.id === "string" || typeof row.id === "number" ? String(row.id) : `line:${line}`;
}

function verdictsOf(row: Json): RowVerdict[] | undefined {
  if (!Array.isArray(row.verdicts)) return undefined;
  return row.verdicts.filter(isObject).map((verdict) => ({
    principle: typeof verdict.principle === "string" ? verdict.principle : "",
    probabilityFirst:
      typeof verdict.probability_first === "number" ? verdict.probability_first : 0.5,
    ...(typeof verdict.consistent === "boolean" ? { consistent: verdict.consistent } : {}),
  }));
}

function charterColumns(row: Json): Partial<DatasetRow> {
  const verdicts = verdictsOf(row);
  return {
    ...(typeof row.probability === "number" ? { probability: row.probability } : {}),
    ...(typeof row.decided_by === "string" ? { decidedBy: row.decided_by } : {}),
    ...(verdicts === undefined ? {} : { verdicts }),
  };
}

/**
 * Brings one parsed row of `format` to a DatasetRow, or throws RowShapeError saying what is wrong.
 *
 * @example
 * toDatasetRow({ prompt: "Hi", chosen: "Hello", rejected: "Go away" }, "preference-trl", 1)
 */
export function toDatasetRow(value: unknown, format: DatasetFormat, line: number): DatasetRow {
  if (!isObject(value)) throw new RowShapeError("row is not a JSON object");
  const id = idOf(value, line);
  switch (format) {
    case "sft-trl":
    case "sft-openai":
    case "sft-hf-cai": {
      const conversation = turns(value.messages, "messages");
      const last = conversation.at(-1);
      if (last === undefined || last.role !== "assistant")
        throw new RowShapeError("`messages` does not end with an assistant reply");
      const before = conversation.slice(0, -1);
      // hf-cai rows give the first reply as a string (the recipe's layout), or, in files written
      // before Charter matched it, as a {role, content} turn.
      const first =
        format !== "sft-hf-cai"
          ? undefined
          : typeof value.init_response === "string"
            ? value.init_response
            : isObject(value.init_response)
              ? contentText(value.init_response.content, "init_response")
              : undefined;
      return {
        line,
        id,
        prompt: promptOf(before),
        turns: conversation.length,
        reply: last.content,
        ...(first === undefined ? {} : { firstReply: first }),
      };
    }
    case "preference-trl": {
      const prompt = Array.isArray(value.prompt)
        ? turns(value.prompt, "prompt")
        : [{ role: "user", content: text(value, "prompt") }];
      return {
        line,
        id,
        prompt: promptOf(prompt),
        turns: prompt.length + 1,
        reply: text(value, "chosen"),
        rejected: text(value, "rejected"),
        ...charterColumns(value),
      };
    }
    case "preference-trl-chat": {
      const prompt = Array.isArray(value.prompt)
        ? turns(value.prompt, "prompt")
        : [{ role: "user", content: text(value, "prompt") }];
      return {
        line,
        id,
        prompt: promptOf(prompt),
        turns: prompt.length + 1,
        reply: replyOf(turns(value.chosen, "chosen"), "chosen"),
        rejected: replyOf(turns(value.rejected, "rejected"), "rejected"),
        ...charterColumns(value),
      };
    }
    case "preference-openai-dpo": {
      const input = value.input;
      if (!isObject(input)) throw new RowShapeError("`input` is not an object with `messages`");
      const prompt = turns(input.messages, "input.messages");
      return {
        line,
        id,
        prompt: promptOf(prompt),
        turns: prompt.length + 1,
        reply: replyOf(turns(value.preferred_output, "preferred_output"), "preferred_output"),
        rejected: replyOf(
          turns(value.non_preferred_output, "non_preferred_output"),
          "non_preferred_output",
        ),
      };
    }
    case "preference-hh": {
      const chosen = splitHh(text(value, "chosen"));
      const rejected = splitHh(text(value, "rejected"));
      return {
        line,
        id,
        prompt: chosen.prompt,
        turns: chosen.turns,
        reply: chosen.reply,
        rejected: rejected.reply,
      };
    }
    case "judge-input": {
      const responses = value.responses;
      if (!Array.isArray(responses) || responses.some((reply) => typeof reply !== "string"))
        throw new RowShapeError("`responses` is not a list of strings");
      const prompt = Array.isArray(value.prompt)
        ? promptOf(turns(value.prompt, "prompt"))
        : text(value, "prompt");
      return {
        line,
        id,
        prompt,
        turns: 2,
        reply: (responses[0] as string | undefined) ?? "",
        ...(responses.length > 1 ? { rejected: responses[1] as string } : {}),
      };
    }
    case "prompts": {
      const conversation = Array.isArray(value.messages)
        ? turns(value.messages, "messages")
        : [{ role: "user", content: text(value, "prompt") }];
      const response = typeof value.response === "string" ? value.response : "";
      return {
        line,
        id,
        prompt: promptOf(conversation),
        turns: conversation.length + (response === "" ? 0 : 1),
        reply: response,
      };
    }
    default:
      return assertNever(format, "dataset format");
  }
}
