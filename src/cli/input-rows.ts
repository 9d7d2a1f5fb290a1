// Input rows are read once before a run starts, so a file with bad rows stops with every problem
// listed and the way past them (--skip-invalid), and no half-made run folder is left behind.

import { CharterError } from "../errors.js";

/** Bad rows quoted in the message; the rest are counted. */
const LISTED = 5;

/** Reads every row of an input file, telling `onInvalid` about each bad one (and not stopping). */
export type RowScan = (
  onInvalid: (line: number, message: string) => void,
) => AsyncIterable<unknown>;

/**
 * Reads the whole input through `scan` before anything is created. Bad rows are an error listing
 * them (as `shown:line: why`) with the hint of `--skip-invalid`, unless the user asked to skip
 * them; a repeated id still stops the reader (skipping cannot fix it). Returns the row count.
 *
 * @example
 * await checkInputRows("--prompts", "prompts.jsonl", (onInvalid) =>
 *   readPrompts(file, { skipInvalid: true, onInvalid: (row) => onInvalid(row.line, row.message) }), false);
 */
export async function checkInputRows(
  flag: string,
  shown: string,
  scan: RowScan,
  skipInvalid: boolean,
): Promise<number> {
  const listed: string[] = [];
  let bad = 0;
  let rows = 0;
  for await (const _ of scan((line, message) => {
    bad += 1;
    if (listed.length < LISTED) listed.push(`  ${shown}:${line}: ${message}`);
  }))
    rows += 1;
  if (bad === 0 || skipInvalid) return rows;
  const more = bad > LISTED ? [`  ... and ${bad - LISTED} more`] : [];
  throw new CharterError(
    "invalid-input-rows",
    [
      `${flag} ${shown} has ${bad} invalid row${bad === 1 ? "" : "s"} (${rows} valid); nothing was run:`,
      ...listed,
      ...more,
      `fix ${bad === 1 ? "it" : "them"}, or add --skip-invalid to run the valid rows and list the skipped ones in the summary`,
    ].join("\n"),
  );
}
