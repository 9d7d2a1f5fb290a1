// `preference-openai-dpo`: OpenAI's preference fine-tuning layout (`input.messages`,
// `preferred_output`, `non_preferred_output`), only its documented keys because OpenAI validates
// strictly. Written by `charter judge`/`score --format openai-dpo` and `revise --format openai`'s pairs.

import type { MessageTurn } from "../../io/index.js";
import {
  copyTurn,
  idOf,
  isObject,
  promptOf,
  replyOf,
  RowShapeError,
  turns,
  type DatasetLayout,
  type JsonRow,
  type RowTurn,
} from "./layout.js";

/** The keys of the layout; any of them marks a pair row as OpenAI's (see `openAiPairFields`). */
export const OPENAI_DPO_KEYS = ["input", "preferred_output", "non_preferred_output"] as const;

/** The conversation before the replies: `input.messages`. */
function conversationOf(row: JsonRow): RowTurn[] {
  const input = row.input;
  if (!isObject(input)) throw new RowShapeError("`input` is not an object with `messages`");
  return turns(input.messages, "input.messages");
}

export const preferenceOpenAiDpo: DatasetLayout = {
  name: "preference-openai-dpo",
  kind: "preference",
  recognises: (row) => "preferred_output" in row && "non_preferred_output" in row,
  read(row, line) {
    const prompt = conversationOf(row);
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(prompt),
      turns: prompt.length + 1,
      reply: replyOf(turns(row.preferred_output, "preferred_output"), "preferred_output"),
      rejected: replyOf(
        turns(row.non_preferred_output, "non_preferred_output"),
        "non_preferred_output",
      ),
    };
  },
  conversation: conversationOf,
};

/**
 * Where a pair row of this layout keeps its prompt and replies, for the pair reader (`charter
 * judge --pairs`, `charter score --input`): undefined when the row has none of the layout's keys.
 */
export function openAiPairFields(row: JsonRow):
  | {
      readonly prompt: unknown;
      readonly promptField: string;
      readonly chosen: unknown;
      readonly rejected: unknown;
      readonly names: readonly [string, string];
    }
  | string
  | undefined {
  if (OPENAI_DPO_KEYS.every((key) => row[key] === undefined)) return undefined;
  const input = row.input;
  if (!isObject(input)) return "expected `input` to be an object with `messages`";
  return {
    prompt: input.messages,
    promptField: "input.messages",
    chosen: row.preferred_output,
    rejected: row.non_preferred_output,
    names: ["preferred_output", "non_preferred_output"],
  };
}

/** A row of `preference-openai-dpo`. */
export function writePreferenceOpenAiDpo(
  conversation: readonly MessageTurn[],
  chosen: string,
  rejected: string,
): unknown {
  return {
    input: { messages: conversation.map(copyTurn) },
    preferred_output: [{ role: "assistant", content: chosen }],
    non_preferred_output: [{ role: "assistant", content: rejected }],
  };
}
