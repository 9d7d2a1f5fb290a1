// TextScanner's ASCII path (the WebAssembly kernel, and the offsets phrases are cut at) against
// its general loop: the same words (hashes and text), the same exact-duplicate key and blank flag,
// on random ASCII texts full of the cases that matter (apostrophes inside, before and after words,
// punctuation, whitespace runs, control characters, upper case), and on long texts.
import { describe, expect, it } from "vitest";
import { PhraseMatcher } from "../../src/quality/phrases.js";
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
  "\u0010",
  "'\u0011",
  "Z9",
  "\u000b",
  "\u001f",
  "\u007f",
];

function state(scanner: TextScanner): unknown {
  const n = scanner.wordCount;
  return {
    words: Array.from(scanner.wordHashes.subarray(0, n)),
    text: scanner.phrase(0, n),
    opening: scanner.phrase(0, 5),
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

  it("scans long texts (past the kernel's first memory) as its general loop does", () => {
    const next = lcg(5);
    const fast = new TextScanner();
    const general = new TextScanner();
    for (const pieces of [2000, 9000, 40_000]) {
      let text = "";
      for (let k = 0; k < pieces; k++) text += PIECES[Math.floor(next() * PIECES.length)];
      fast.scan(text);
      general.scanGeneral(text);
      expect(fast.wordCount).toBeGreaterThan(256);
      expect(state(fast)).toEqual(state(general));
    }
  });

  it("keeps each scanner's words when another scanner scans (one kernel per thread)", () => {
    const first = new TextScanner();
    const second = new TextScanner();
    first.scan("The first text, with seven words here.");
    second.scan(`${"another text ".repeat(5000)}é`);
    second.scan("a different one".repeat(3000));
    expect(first.wordCount).toBe(7);
    expect(first.phrase(0, 3)).toBe("the first text");
    const again = new TextScanner();
    again.scanGeneral("The first text, with seven words here.");
    expect(state(first)).toEqual(state(again));
  });

  it("reads a text with any non-ASCII character by the general loop", () => {
    const scanner = new TextScanner();
    scanner.scan("Ça va? DON'T — Straße");
    expect(words(scanner)).toEqual(["ça", "va", "don't", "straße"]);
  });

  it("lets a phrase matcher made after a scan see every word of it", () => {
    // The scan tests words against the anchors known when it ran: a later matcher's are not.
    const scanner = new TextScanner();
    scanner.scan("Nothing here but a quokka sighting, really.");
    const later = new PhraseMatcher({ hedge: ["quokka sighting"] });
    expect(later.mayMatch(scanner)).toBe(true);
    expect(later.match("hedge", "Nothing here but a quokka sighting")).toBe("quokka sighting");
    scanner.scan("No such animal in this one.");
    expect(later.mayMatch(scanner)).toBe(false);
  });
});

function words(scanner: TextScanner): string[] {
  return Array.from({ length: scanner.wordCount }, (_, i) => scanner.word(i));
}
