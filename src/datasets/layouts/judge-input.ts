// `judge-input`: replies to compare, `{prompt, responses: [...]}`, the input of `charter judge
// --pairs` and `charter score --input`. Charter reads it and writes none (the replies come from elsewhere).

import { RowShapeError, idOf, promptOf, promptTurns, type DatasetLayout } from "./layout.js";

export const judgeInput: DatasetLayout = {
  name: "judge-input",
  kind: "preference",
  recognises: (row) => Array.isArray(row.responses),
  read(row, line) {
    const responses = row.responses;
    if (!Array.isArray(responses) || responses.some((reply) => typeof reply !== "string"))
      throw new RowShapeError("`responses` is not a list of strings");
    return {
      line,
      id: idOf(row, line),
      prompt: promptOf(promptTurns(row)),
      turns: 2,
      reply: (responses[0] as string | undefined) ?? "",
      ...(responses.length > 1 ? { rejected: responses[1] as string } : {}),
      replies: responses as string[],
    };
  },
  conversation: promptTurns,
};
