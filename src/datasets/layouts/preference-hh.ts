// `preference-hh`: Anthropic HH-RLHF's layout: `chosen` and `rejected` each the whole exchange as
// one `\n\nHuman: ...\n\nAssistant: ...` transcript (`charter judge --format hh`).

import type { MessageTurn } from "../../io/index.js";
import {
  RowShapeError,
  idOf,
  promptOf,
  text,
  type DatasetLayout,
  type JsonRow,
  type RowTurn,
} from "./layout.js";

const HUMAN = "\n\nHuman:";
const ASSISTANT = "\n\nAssistant:";

/**
 * Splits an HH-RLHF transcript into its turns before the last Assistant turn (the conversation)
 * and that turn (the reply).
 */
function splitHh(transcript: string): { conversation: RowTurn[]; reply: string; turns: number } {
  const all = hhTurns(transcript);
  const at = all.findLastIndex((turn) => turn.role === "assistant");
  if (at < 0) throw new RowShapeError("transcript has no `\\n\\nAssistant:` turn");
  return { conversation: all.slice(0, at), reply: all[at]!.content, turns: all.length };
}

export const preferenceHh: DatasetLayout = {
  name: "preference-hh",
  kind: "preference",
  recognises: (row) => typeof row.chosen === "string" && typeof row.rejected === "string",
  read(row, line) {
    const chosen = splitHh(text(row, "chosen"));
    const rejected = splitHh(text(row, "rejected"));
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(chosen.conversation),
      turns: chosen.turns,
      reply: chosen.reply,
      rejected: rejected.reply,
    };
  },
  conversation: (row) => splitHh(text(row, "chosen")).conversation,
};

/** An HH transcript as turns (Human → user, Assistant → assistant), each trimmed as HH writes them. */
function hhTurns(transcript: string): RowTurn[] {
  const turns: RowTurn[] = [];
  for (const match of transcript.matchAll(
    /\n\n(Human|Assistant):([\s\S]*?)(?=\n\n(?:Human|Assistant):|$)/g,
  ))
    turns.push({
      role: match[1] === "Human" ? "user" : "assistant",
      content: (match[2] ?? "").trim(),
    });
  return turns;
}

/**
 * An HH row as the pair reader (`charter judge --pairs`, `charter score --input`) takes it: no
 * `prompt`, both replies transcripts, each given as the message list it spells (the conversation
 * and the reply as its last turn), which the reader checks like any conversation-carrying reply.
 * Undefined for a row of another layout.
 */
export function hhPairReplies(row: JsonRow): { chosen: unknown; rejected: unknown } | undefined {
  const { prompt, chosen, rejected } = row;
  if (prompt !== undefined || typeof chosen !== "string" || typeof rejected !== "string")
    return undefined;
  if (!chosen.startsWith(HUMAN) || !rejected.startsWith(HUMAN)) return undefined;
  return { chosen: hhTurns(chosen), rejected: hhTurns(rejected) };
}

/**
 * The whole exchange as one string, every earlier turn included. HH has no system turn: a system
 * message is left out.
 */
export function hhTranscript(conversation: readonly MessageTurn[], reply: string): string {
  const turns = conversation
    .filter((turn) => turn.role !== "system")
    .map((turn) => `\n\n${turn.role === "user" ? "Human" : "Assistant"}: ${turn.content}`);
  return `${turns.join("")}${ASSISTANT} ${reply}`;
}

/** A row of `preference-hh`. */
export function writePreferenceHh(
  conversation: readonly MessageTurn[],
  chosen: string,
  rejected: string,
): unknown {
  return {
    chosen: hhTranscript(conversation, chosen),
    rejected: hhTranscript(conversation, rejected),
  };
}
