// Streaming line readers: text files and JSON Lines, one line at a time, never the whole file.

import { CharterError } from "../errors.js";
import { splitLines } from "./read-raw-lines.js";

/** One line of a text file: its 1-based number and its text without the line break. */
export interface TextLine {
  readonly line: number;
  readonly text: string;
}

/** One parsed line of a JSON Lines file. */
export interface JsonLine {
  readonly line: number;
  readonly value: unknown;
}

/** A line that is not valid JSON, with where it is. */
export interface InvalidLine {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** A JSON Lines file has a line that does not parse (and `skipInvalid` was not asked for). */
export class InvalidJsonLineError extends CharterError {
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super("invalid-json-line", `${file}:${line}: not valid JSON: ${message}`);
    this.file = file;
    this.line = line;
  }
}

/**
 * A line's text as Charter reads it: the CR of a CRLF dropped and, on line 1, a byte-order mark.
 * (`readTextLines` applies it; readers that split lines themselves call it too.)
 */
export function lineText(raw: string, number: number): string {
  let text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
  if (number === 1 && text.startsWith("\uFEFF")) text = text.slice(1);
  return text;
}

export interface ReadTextLinesOptions {
  /** Skip lines that are empty or only whitespace (their numbers still count). */
  readonly skipBlank?: boolean;
}

/**
 * Every line of a text file, streamed: CRLF and LF endings, a leading byte-order mark removed.
 *
 * @example
 * for await (const { line, text } of readTextLines("prompts.txt", { skipBlank: true })) ...
 */
export async function* readTextLines(
  file: string,
  options: ReadTextLinesOptions = {},
): AsyncGenerator<TextLine> {
  // Split on LF only (a lone CR is text, as in JSON whitespace), then drop the CR of a CRLF.
  let number = 0;
  for await (const raw of splitLines(file, { unterminated: true, missingIsEmpty: false })) {
    number += 1;
    const text = lineText(raw.text, number);
    if (options.skipBlank && text.trim() === "") continue;
    yield { line: number, text };
  }
}

/**
 * Prompts from a plain text file, one per non-blank line.
 *
 * @example
 * for await (const { line, text } of readPromptLines("prompts.txt")) ...
 */
export function readPromptLines(file: string): AsyncGenerator<TextLine> {
  return readTextLines(file, { skipBlank: true });
}

export interface ReadJsonLinesOptions {
  /** Count and report malformed lines instead of stopping at the first. */
  readonly skipInvalid?: boolean;
  /** Told about each skipped line (only with `skipInvalid`). */
  readonly onInvalid?: (invalid: InvalidLine) => void;
}

/**
 * The values of a JSON Lines file, streamed, blank lines skipped. A malformed line throws an
 * InvalidJsonLineError naming the file and line, or with `skipInvalid` goes to `onInvalid`.
 *
 * @example
 * for await (const { line, value } of readJsonLines("prompts.jsonl")) ...
 */
export async function* readJsonLines(
  file: string,
  options: ReadJsonLinesOptions = {},
): AsyncGenerator<JsonLine> {
  for await (const { line, text } of readTextLines(file, { skipBlank: true })) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!options.skipInvalid) throw new InvalidJsonLineError(file, line, message);
      options.onInvalid?.({ file, line, message });
      continue;
    }
    yield { line, value };
  }
}
