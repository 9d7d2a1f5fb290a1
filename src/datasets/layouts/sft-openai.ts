// `sft-openai`: OpenAI's fine-tuning chat layout (`charter revise --format openai`): `messages`
// only, because OpenAI's fine-tuning files reject unknown top-level keys.

import type { MessageTurn } from "../../io/index.js";
import { readSftRow, sftConversation, type DatasetLayout } from "./layout.js";

export const sftOpenai: DatasetLayout = {
  name: "sft-openai",
  kind: "sft",
  recognises: (row) => Array.isArray(row.messages) && !("chosen" in row),
  read: (row, line) => readSftRow(row, line),
  conversation: sftConversation,
};

/** A row of `sft-openai`. */
export function writeSftOpenai(messages: readonly MessageTurn[]): unknown {
  return { messages };
}
