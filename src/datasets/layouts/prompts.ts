// `prompts`: prompt rows (`{prompt}` or `{messages}`, an optional `response`), the input of
// `charter revise` and `charter rubrics`. Charter reads it; `rubrics.jsonl` passes its rows through.

import {
  idOf,
  promptOf,
  text,
  turns,
  type DatasetLayout,
  type JsonRow,
  type RowTurn,
} from "./layout.js";

/** The whole conversation: `messages`, or `prompt` as one user turn. */
function conversationOf(row: JsonRow): RowTurn[] {
  return Array.isArray(row.messages)
    ? turns(row.messages, "messages")
    : [{ role: "user", content: text(row, "prompt") }];
}

export const prompts: DatasetLayout = {
  name: "prompts",
  kind: "prompts",
  recognises: (row) => typeof row.prompt === "string" || Array.isArray(row.messages),
  read(row, line) {
    const conversation = conversationOf(row);
    const response = typeof row.response === "string" ? row.response : "";
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(conversation),
      turns: conversation.length + (response === "" ? 0 : 1),
      reply: response,
    };
  },
  conversation: conversationOf,
};
