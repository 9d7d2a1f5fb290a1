// Work items of a judging run, streamed from the input file: pair rows (`responses` or
// `chosen`/`rejected`) or prompts to generate replies for. Bad rows stop the run with file:line,
// or are counted and skipped.

import { CharterError } from "../errors.js";
import { readJsonLines, readPromptLines, stableId } from "../io/index.js";
import type { WorkItem } from "../runtime/index.js";
import type { GenerateRow, JudgeItemInput } from "./judge-group.js";
import { parsePairRow } from "./pairs-input.js";

/** A row of the input file that is not a pair row (or not a prompt row). */
export class InvalidPairRowError extends CharterError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super("invalid-input-row", `${file}:${line}: ${message}`);
    this.file = file;
    this.line = line;
  }
}

export interface ReadItemsOptions {
  /** Skip malformed lines (JSON or shape) instead of stopping; each is told to `onInvalid`. */
  readonly skipInvalid?: boolean;
  readonly onInvalid?: (file: string, line: number, message: string) => void;
}

/** Fails or skips one bad line, as the options say. */
function invalid(file: string, line: number, message: string, options: ReadItemsOptions): void {
  if (options.skipInvalid !== true) throw new InvalidPairRowError(file, line, message);
  options.onInvalid?.(file, line, message);
}

/** Rows without an `id` get one from their content (stableId), so reruns agree on it. */
export async function* readPairItems(
  file: string,
  options: ReadItemsOptions = {},
): AsyncGenerator<WorkItem<JudgeItemInput>> {
  let index = 0;
  const lines = readJsonLines(file, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: ({ line, message }) => options.onInvalid?.(file, line, `not valid JSON: ${message}`),
  });
  for await (const { line, value } of lines) {
    const row = parsePairRow(value);
    if (!row.ok) {
      invalid(file, line, row.message, options);
      continue;
    }
    const { group } = row;
    const id = group.id ?? stableId({ prompt: group.prompt, responses: group.responses });
    yield { id, index: index++, input: { kind: "pairs", group } };
  }
}

function promptRow(value: unknown): GenerateRow | string {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return "expected a JSON object with `prompt`";
  const record = value as Record<string, unknown>;
  const prompt = record["prompt"];
  if (typeof prompt !== "string") return "expected `prompt` (a string)";
  const id = record["id"];
  if (typeof id === "string" && id.length > 0) return { id, prompt };
  if (typeof id === "number" && Number.isFinite(id)) return { id: String(id), prompt };
  if (id === undefined || id === null) return { prompt };
  return "`id` must be a non-empty string or a number";
}

/** Prompts for `--generate`: a `.jsonl` file of `{ id?, prompt }` rows, or plain text, one per line. */
export async function* readPromptItems(
  file: string,
  options: ReadItemsOptions = {},
): AsyncGenerator<WorkItem<JudgeItemInput>> {
  let index = 0;
  const emit = (row: GenerateRow): WorkItem<JudgeItemInput> => ({
    id: row.id ?? stableId({ prompt: row.prompt }),
    index: index++,
    input: { kind: "generate", row },
  });
  if (!file.endsWith(".jsonl")) {
    for await (const { text } of readPromptLines(file)) yield emit({ prompt: text });
    return;
  }
  const lines = readJsonLines(file, {
    skipInvalid: options.skipInvalid === true,
    onInvalid: ({ line, message }) => options.onInvalid?.(file, line, `not valid JSON: ${message}`),
  });
  for await (const { line, value } of lines) {
    const row = promptRow(value);
    if (typeof row === "string") invalid(file, line, row, options);
    else yield emit(row);
  }
}
