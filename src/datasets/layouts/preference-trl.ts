// `preference-trl`: TRL's standard preference layout with an explicit prompt (`prompt`, `chosen`,
// `rejected` as strings), with Charter's columns beside them (probability, margin, verdicts...),
// as `charter judge` and `charter score` write it for a prompt given as a string.

import {
  charterColumnsOf,
  idOf,
  promptOf,
  promptTurns,
  text,
  type DatasetLayout,
} from "./layout.js";

export const preferenceTrl: DatasetLayout = {
  name: "preference-trl",
  kind: "preference",
  // A message-list prompt read from other tools stays a list; the replies are strings.
  recognises: (row) =>
    (typeof row.prompt === "string" || Array.isArray(row.prompt)) &&
    typeof row.chosen === "string" &&
    typeof row.rejected === "string",
  read(row, line) {
    const prompt = promptTurns(row);
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(prompt),
      turns: prompt.length + 1,
      reply: text(row, "chosen"),
      rejected: text(row, "rejected"),
      ...charterColumnsOf(row),
    };
  },
  conversation: promptTurns,
};

/** A row of `preference-trl`; `columns` are Charter's, kept after TRL's (its trainers ignore them). */
export function writePreferenceTrl(
  id: string,
  prompt: string,
  chosen: string,
  rejected: string,
  columns: Readonly<Record<string, unknown>>,
): unknown {
  return { id, prompt, chosen, rejected, ...columns };
}
