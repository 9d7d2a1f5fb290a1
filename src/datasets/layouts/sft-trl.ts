// `sft-trl`: TRL's conversational SFT layout as `charter revise --format trl` writes it: the item's
// id, its round with `--emit all-rounds`, and the conversation ending with the taught reply.

import type { MessageTurn } from "../../io/index.js";
import { readSftRow, sftConversation, type DatasetLayout } from "./layout.js";

export const sftTrl: DatasetLayout = {
  name: "sft-trl",
  kind: "sft",
  // An id tells it from OpenAI's layout, which allows no other key.
  recognises: (row) => Array.isArray(row.messages) && "id" in row && !("chosen" in row),
  read: (row, line) => readSftRow(row, line),
  conversation: sftConversation,
};

/** A row of `sft-trl`. */
export function writeSftTrl(id: string, messages: readonly MessageTurn[], round?: number): unknown {
  return { id, ...(round === undefined ? {} : { round }), messages };
}
