// Word-level diff of two replies (jsdiff's diffWordsWithSpace), as spans the page and the terminal
// view mark up. Bounded: a pair of long, unrelated texts gives up after a time limit and is shown
// as one removal and one addition rather than stalling the build.

import { diffWordsWithSpace } from "diff";
import type { DiffSpan } from "./run-data.js";

const DIFF_TIMEOUT_MS = 250;

/** The spans that turn `before` into `after`: 0 kept, -1 removed, 1 added. */
export function wordDiff(before: string, after: string): DiffSpan[] {
  const changes = diffWordsWithSpace(before, after, { timeout: DIFF_TIMEOUT_MS });
  if (changes === undefined) {
    return [
      [-1, before],
      [1, after],
    ];
  }
  const spans: DiffSpan[] = [];
  for (const change of changes) {
    const op = change.added ? 1 : change.removed ? -1 : 0;
    const last = spans[spans.length - 1];
    if (last !== undefined && last[0] === op)
      spans[spans.length - 1] = [op, last[1] + change.value];
    else spans.push([op, change.value]);
  }
  return spans;
}

/** Words in a text (whitespace-separated), for length changes. */
export function wordCount(value: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < value.length; i++) {
    const space = value.charCodeAt(i) <= 32;
    if (!space && !inWord) count += 1;
    inWord = !space;
  }
  return count;
}
