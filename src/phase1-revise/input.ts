// Reads the prompts of a run: JSON Lines rows `{id?, prompt | messages, response?, tags?}` or a
// plain text file with one prompt per line, streamed. Rows without an id get one derived from
// their content. A bad row stops the run naming file and line, unless the caller skips invalid rows.

import { extname } from "node:path";
import { misspeltKeyHint } from "../did-you-mean.js";
import { CharterError } from "../errors.js";
import {
  IdRegistry,
  parseMessageList,
  readJsonLines,
  readPromptLines,
  rowAtLine,
  stableId,
  type InvalidLine,
} from "../io/index.js";
import type { ChatMessage } from "../providers/index.js";
import type { WorkItem } from "../runtime/index.js";
import type { PromptInput } from "./types.js";

/** A row that is not a usable prompt, or an id seen twice. */
export class InvalidPromptError extends CharterError {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super("invalid-prompt", `${file}:${line}: ${reason}`);
  }
}

export interface ReadPromptsOptions {
  /** Count and list bad rows (through `onInvalid`) instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (invalid: InvalidLine) => void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Turns one JSON row into a prompt, or says what is wrong with it. A `messages` row that ends
 * with an assistant turn and gives no `response` starts from that turn.
 */
export function parsePromptRow(
  value: unknown,
  line: number,
): { id?: string; input: PromptInput } | string {
  if (!isRecord(value)) return "a row must be a JSON object";
  const { id, prompt, messages, response, tags } = value;
  if (id !== undefined && typeof id !== "string" && typeof id !== "number")
    return "'id' must be a string or a number";
  if (id === "") return "'id' must not be empty";
  if (response !== undefined && typeof response !== "string") return "'response' must be a string";
  if (tags !== undefined && (!Array.isArray(tags) || !tags.every((tag) => typeof tag === "string")))
    return "'tags' must be an array of strings";
  let turns: ChatMessage[];
  if (prompt !== undefined && messages !== undefined)
    return "give 'prompt' or 'messages', not both";
  if (typeof prompt === "string") {
    if (prompt.trim() === "") return "'prompt' is empty";
    turns = [{ role: "user", content: prompt }];
  } else if (prompt !== undefined) {
    return "'prompt' must be a string";
  } else if (messages !== undefined) {
    const parsed = parseMessageList(messages, "messages");
    if (typeof parsed === "string") return parsed;
    turns = parsed;
  } else {
    return `a row needs 'prompt' or 'messages'${misspeltKeyHint(Object.keys(value), ["prompt", "messages"])}`;
  }
  let given = response;
  const last = turns.at(-1);
  if (last?.role === "assistant") {
    if (given !== undefined)
      return "'messages' ends with an assistant turn and 'response' is also given";
    given = last.content;
    turns = turns.slice(0, -1);
  }
  if (!turns.some((turn) => turn.role === "user")) return "'messages' has no user turn";
  const input: PromptInput = {
    messages: turns,
    ...(given === undefined ? {} : { response: given }),
    tags: tags ?? [],
    line,
  };
  return id === undefined ? { input } : { id: String(id), input };
}

/** The id of a row without one: a hash of what the model will see. */
function contentId(input: PromptInput): string {
  return stableId({ messages: input.messages, response: input.response ?? null });
}

async function* rows(
  file: string,
  options: ReadPromptsOptions,
): AsyncGenerator<{ line: number; value: unknown }> {
  if (extname(file).toLowerCase() === ".txt") {
    for await (const { line, text } of readPromptLines(file))
      yield { line, value: { prompt: text } };
    return;
  }
  yield* readJsonLines(file, {
    ...(options.skipInvalid === undefined ? {} : { skipInvalid: options.skipInvalid }),
    ...(options.onInvalid === undefined
      ? {}
      : {
          onInvalid: (row: InvalidLine) =>
            options.onInvalid?.({ ...row, message: `not valid JSON: ${row.message}` }),
        }),
  });
}

/**
 * The work items of a prompts file, in file order. Ids are unique: an id seen twice (or two
 * id-less rows with the same content) is an error naming both lines, even with `skipInvalid`.
 *
 * @example
 * for await (const item of readPrompts("examples/prompts.jsonl")) console.log(item.id);
 */
export async function* readPrompts(
  file: string,
  options: ReadPromptsOptions = {},
): AsyncGenerator<WorkItem<PromptInput>> {
  // A hash and a line per row (not the id strings): memory stays flat however long the file.
  const seen = new IdRegistry();
  let index = 0;
  for await (const { line, value } of rows(file, options)) {
    const parsed = parsePromptRow(value, line);
    if (typeof parsed === "string") {
      if (!options.skipInvalid) throw new InvalidPromptError(file, line, parsed);
      options.onInvalid?.({ file, line, message: parsed });
      continue;
    }
    const id = parsed.id ?? contentId(parsed.input);
    const match = seen.add(id, line);
    const first = match === undefined ? undefined : await seen.confirm(id, line, idAt(file));
    if (first !== undefined) {
      const what =
        parsed.id === undefined
          ? `repeats the content of line ${first} (give the rows ids to keep both)`
          : `repeats id '${id}' of line ${first}`;
      throw new InvalidPromptError(file, line, what);
    }
    yield { id, index: index++, input: parsed.input };
  }
}

/** Re-reads the id of an earlier (valid) row, to tell a repeated id from a hash collision. */
function idAt(file: string): (line: number) => Promise<string | undefined> {
  return async (line) => {
    const row = await rowAtLine(rows(file, { skipInvalid: true }), line);
    const parsed = row === undefined ? undefined : parsePromptRow(row.value, row.line);
    if (parsed === undefined || typeof parsed === "string") return undefined;
    return parsed.id ?? contentId(parsed.input);
  };
}
