// `sft-hf-cai`: the Hugging Face CAI column layout (HuggingFaceH4/cai-conversation-harmless, as
// llm-swarm's recipe writes it), `charter revise --format hf-cai`: the six steps as strings, then
// `prompt` and the `messages`/`chosen`/`rejected` lists.

import type { MessageTurn } from "../../io/index.js";
import {
  contentText,
  isObject,
  readSftRow,
  sftConversation,
  type DatasetLayout,
} from "./layout.js";

export const sftHfCai: DatasetLayout = {
  name: "sft-hf-cai",
  kind: "sft",
  recognises: (row) => "init_response" in row && "revision_response" in row,
  // The first reply is a string (the recipe's layout), or, in files written before Charter
  // matched it, a {role, content} turn.
  read: (row, line) =>
    readSftRow(row, line, () =>
      typeof row.init_response === "string"
        ? row.init_response
        : isObject(row.init_response)
          ? contentText(row.init_response.content, "init_response")
          : undefined,
    ),
  conversation: sftConversation,
};

/** The columns of an `sft-hf-cai` row, in the recipe's terms. */
export interface HfCaiColumns {
  readonly initPrompt: string;
  readonly initResponse: string;
  readonly criticPrompt: string;
  readonly criticResponse: string;
  readonly revisionPrompt: string;
  readonly revisionResponse: string;
  readonly prompt: string;
  readonly messages: readonly MessageTurn[];
  readonly chosen: readonly MessageTurn[];
  readonly rejected: readonly MessageTurn[];
  /** Only with `--emit all-rounds`. */
  readonly round?: number;
}

/** A row of `sft-hf-cai`: no column beyond the recipe's (`round` only when given). */
export function writeSftHfCai(columns: HfCaiColumns): unknown {
  return {
    init_prompt: columns.initPrompt,
    init_response: columns.initResponse,
    critic_prompt: columns.criticPrompt,
    critic_response: columns.criticResponse,
    revision_prompt: columns.revisionPrompt,
    revision_response: columns.revisionResponse,
    prompt: columns.prompt,
    messages: columns.messages,
    chosen: columns.chosen,
    rejected: columns.rejected,
    ...(columns.round === undefined ? {} : { round: columns.round }),
  };
}
