// `preference-trl-chat`: TRL's conversational preference layout: the prompt and each reply as
// message lists, so the trainer applies the chat template. `charter judge --format trl-chat` (and
// `trl` for a conversation prompt) write it with Charter's columns; `charter revise`'s pairs.jsonl
// without them.

import type { MessageTurn } from "../../io/index.js";
import {
  charterColumnsOf,
  copyTurn,
  idOf,
  promptOf,
  promptTurns,
  replyOf,
  turns,
  type DatasetLayout,
  type JsonRow,
  type RowTurn,
} from "./layout.js";

/**
 * The conversation before the reply: `prompt`, or TRL's implicit prompt: with no `prompt`, each
 * reply list holds the conversation before its reply (as `judge --pairs` reads it too).
 */
function conversationOf(row: JsonRow, chosen: readonly RowTurn[]): RowTurn[] {
  return row.prompt === undefined
    ? chosen.slice(
        0,
        chosen.findLastIndex((message) => message.role === "assistant"),
      )
    : promptTurns(row);
}

export const preferenceTrlChat: DatasetLayout = {
  name: "preference-trl-chat",
  kind: "preference",
  recognises: (row) => Array.isArray(row.chosen) && Array.isArray(row.rejected),
  read(row, line) {
    const chosen = turns(row.chosen, "chosen");
    const prompt = conversationOf(row, chosen);
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(prompt),
      turns: prompt.length + 1,
      reply: replyOf(chosen, "chosen"),
      rejected: replyOf(turns(row.rejected, "rejected"), "rejected"),
      ...charterColumnsOf(row),
    };
  },
  conversation: (row) => conversationOf(row, turns(row.chosen, "chosen")),
};

/** A row of `preference-trl-chat`: each reply one assistant turn, then any of Charter's columns. */
export function writePreferenceTrlChat(
  id: string,
  conversation: readonly MessageTurn[],
  chosen: string,
  rejected: string,
  columns: Readonly<Record<string, unknown>> = {},
): unknown {
  return {
    id,
    prompt: conversation.map(copyTurn),
    chosen: [{ role: "assistant", content: chosen }],
    rejected: [{ role: "assistant", content: rejected }],
    ...columns,
  };
}
