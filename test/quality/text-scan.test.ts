// TextScanner's ASCII fast path against its general loop: the same words (hashes and spans), the
// same exact-duplicate key and blank flag, on random ASCII texts full of the cases that matter
// (apostrophes inside, before and after words, punctuation, whitespace runs, upper case).
import { describe, expect, it } from "vitest";
import { TextScanner } from "../../src/quality/text.js";
import { lcg } from "./planted.js";

const PIECES = [
  "don't",
  "'quoted'",
  "x'",
  "'",
  "It's",
  "A",
  "b2",
  "C++",
  "3.14",
  "e-mail",
  "!",
  ",",
  "...",
  "  ",
  " ",
  "\t",
  "\n",
  "\r\n",
  "WORD",
  "w",
  "''",
  "a'b'c",
];

function state(scanner: TextScanner): unknown {
  const n = scanner.wordCount;
  return {
    words: Array.from(scanner.wordHashes.subarray(0, n)),
    starts: Array.from(scanner.wordStarts.subarray(0, n)),
    ends: Array.from(scanner.wordEnds.subarray(0, n)),
    exact: [scanner.exactHigh, scanner.exactLow],
    blank: scanner.blank,
  };
}

describe("TextScanner", () => {
  it("scans ASCII texts as its general loop does", () => {
    const next = lcg(21);
    const fast = new TextScanner();
    const general = new TextScanner();
    for (let round = 0; round < 2000; round++) {
      let text = "";
      const pieces = Math.floor(next() * 12);
      for (let k = 0; k < pieces; k++) text += PIECES[Math.floor(next() * PIECES.length)];
      fast.scan(text);
      general.scanGeneral(text);
      expect(state(fast), JSON.stringify(text)).toEqual(state(general));
    }
  });
});
