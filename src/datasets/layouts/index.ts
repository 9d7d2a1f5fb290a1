// Front door of the dataset layouts: every JSONL layout Charter reads and writes, one module each
// (name, kind, how a row is recognised, read and written), and the detector that tries them in
// order. `charter inspect`/`filter`/`split` read through it; Phase 1, Phase 2 and `score` write
// through the same modules, so a layout is defined once for both sides.

import { judgeInput } from "./judge-input.js";
import {
  LayoutReader,
  readRowIn,
  type LayoutChoice,
  type LayoutCounts,
  type LayoutTable,
} from "./layout-reader.js";
import {
  RowShapeError,
  isObject,
  promptOf,
  promptTurns,
  type DatasetFormat,
  type DatasetKind,
  type DatasetLayout,
  type DatasetRow,
  type RowTurn,
} from "./layout.js";
import { preferenceHh } from "./preference-hh.js";
import { preferenceOpenAiDpo } from "./preference-openai-dpo.js";
import { preferenceTrlChat } from "./preference-trl-chat.js";
import { preferenceTrl } from "./preference-trl.js";
import { prompts } from "./prompts.js";
import { sftHfCai } from "./sft-hf-cai.js";
import { sftOpenai } from "./sft-openai.js";
import { sftTrl } from "./sft-trl.js";

export {
  RowShapeError,
  copyTurn,
  idOf,
  type DatasetFormat,
  type DatasetKind,
  type DatasetLayout,
  type DatasetRow,
  type RowTurn,
  type RowVerdict,
} from "./layout.js";
export { LayoutReader, type LayoutChoice, type LayoutCounts } from "./layout-reader.js";
export { writeSftTrl } from "./sft-trl.js";
export { writeSftOpenai } from "./sft-openai.js";
export { writeSftHfCai, type HfCaiColumns } from "./sft-hf-cai.js";
export { writePreferenceTrl } from "./preference-trl.js";
export { writePreferenceTrlChat } from "./preference-trl-chat.js";
export {
  writePreferenceOpenAiDpo,
  openAiPairFields,
  OPENAI_DPO_KEYS,
} from "./preference-openai-dpo.js";
export { writePreferenceHh, hhTranscript, hhPairReplies } from "./preference-hh.js";

/** Every layout, by name. */
export const LAYOUTS: { readonly [Name in DatasetFormat]: DatasetLayout } = {
  "sft-trl": sftTrl,
  "sft-openai": sftOpenai,
  "sft-hf-cai": sftHfCai,
  "preference-trl": preferenceTrl,
  "preference-trl-chat": preferenceTrlChat,
  "preference-openai-dpo": preferenceOpenAiDpo,
  "preference-hh": preferenceHh,
  "judge-input": judgeInput,
  prompts,
};

/**
 * In the order detection tries them (the first that recognises a row wins): the layouts with
 * distinctive keys before those whose keys others share (hf-cai rows also have `messages`; TRL's
 * id tells it from OpenAI's; string `chosen`/`rejected` with a prompt are TRL's, without one HH's).
 */
export const DATASET_FORMATS: readonly DatasetFormat[] = [
  "sft-hf-cai",
  "sft-trl",
  "sft-openai",
  "preference-trl",
  "preference-trl-chat",
  "preference-openai-dpo",
  "preference-hh",
  "judge-input",
  "prompts",
];

export function kindOf(format: DatasetFormat): DatasetKind {
  return LAYOUTS[format].kind;
}

/** Whether a row has the keys that mark `format` (used to detect a file's format). */
export function looksLike(row: unknown, format: DatasetFormat): boolean {
  return isObject(row) && LAYOUTS[format].recognises(row);
}

/** The first layout, in detection order, that recognises the row; undefined when none does. */
export function detectLayout(row: unknown): DatasetFormat | undefined {
  return DATASET_FORMATS.find((format) => looksLike(row, format));
}

/**
 * Brings one parsed row of `format` to a DatasetRow, or throws RowShapeError saying what is wrong.
 *
 * @example
 * toDatasetRow({ prompt: "Hi", chosen: "Hello", rejected: "Go away" }, "preference-trl", 1)
 */
export function toDatasetRow(value: unknown, format: DatasetFormat, line: number): DatasetRow {
  if (!isObject(value)) throw new RowShapeError("row is not a JSON object");
  return LAYOUTS[format].read(value, line);
}

const TABLE: LayoutTable = { layouts: LAYOUTS, order: DATASET_FORMATS };

/**
 * One row of a file, read in its own layout among those of the file's kind (or in `choice.format`
 * when forced); throws RowShapeError with the whole message for a `file:line:` error.
 *
 * @example
 * readRow({ prompt: "Hi", chosen: "Hello", rejected: "No" }, { format: "judge-input", forced: false }, 9)
 * // { format: "preference-trl", row: { line: 9, ... } }
 */
export function readRow(
  value: unknown,
  choice: LayoutChoice,
  line: number,
): { readonly format: DatasetFormat; readonly row: DatasetRow } {
  return readRowIn(value, choice, line, TABLE);
}

/** A reader of one file's rows (see readRow) that counts the rows it read in each layout. */
export function layoutReader(
  choice: LayoutChoice,
  check?: (row: Record<string, unknown>) => string | undefined,
): LayoutReader {
  return new LayoutReader(choice, TABLE, check);
}

/** The rows per layout, for a report, when a file mixed layouts; undefined when it had one. */
export function mixedLayouts(reader: LayoutReader): LayoutCounts | undefined {
  return reader.mixed ? reader.layouts() : undefined;
}

/** A row as a viewer shows it: read in its layout, with the whole conversation before the reply. */
export interface ShownRow extends DatasetRow {
  /** Every turn before the reply, in order with its role (assistant turns included). */
  readonly conversation: readonly RowTurn[];
}

/**
 * A row read as far as its own layout says, for a reader that shows rows rather than checks them
 * (`charter report`): undefined when no layout recognises it or it does not fit the one that does.
 *
 * @example
 * rowOfAnyLayout({ chosen: "\n\nHuman: Hi\n\nAssistant: Hello", rejected: "..." }, 1)?.prompt // "Hi"
 */
export function rowOfAnyLayout(value: unknown, line: number): ShownRow | undefined {
  const format = detectLayout(value);
  if (format === undefined || !isObject(value)) return undefined;
  try {
    return {
      ...toDatasetRow(value, format, line),
      conversation: LAYOUTS[format].conversation(value),
    };
  } catch (error) {
    if (error instanceof RowShapeError) return undefined;
    throw error;
  }
}

/**
 * A prompt given as a string (one user turn) or a message list, every turn with its role; [] when
 * it is neither.
 */
export function promptMessages(prompt: unknown): RowTurn[] {
  try {
    return promptTurns({ prompt });
  } catch (error) {
    if (error instanceof RowShapeError) return [];
    throw error;
  }
}

/**
 * The text of a prompt given as a string or a message list, as every layout reads it (user and
 * system turns joined by newlines); "" when it is neither.
 */
export function promptText(prompt: unknown): string {
  return promptOf(promptMessages(prompt));
}
