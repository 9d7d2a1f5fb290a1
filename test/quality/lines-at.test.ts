// linesAt against readTextLines: the same numbers and texts (CRLF, byte-order mark, blank lines,
// lines longer than a read chunk, a last line without a newline), reading only what is asked.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readTextLines } from "../../src/io/index.js";
import { linesAt } from "../../src/quality/lines-at.js";
import { tempDir } from "./planted.js";

async function collect(file: string, lines: Set<number>): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  for await (const { line, text } of linesAt(file, lines)) texts.set(line, text);
  return texts;
}

describe("linesAt", () => {
  it("gives the lines readTextLines gives, by number", async () => {
    const long = "x".repeat(1_500_000);
    const file = join(tempDir(), "lines.jsonl");
    writeFileSync(file, `\uFEFFfirst\r\nsecond\n\n${long}\ncafé ☕\r\n${long}y\nlast`);
    const expected = new Map<number, string>();
    for await (const { line, text } of readTextLines(file)) expected.set(line, text);
    expect(expected.size).toBe(7);
    expect(await collect(file, new Set(expected.keys()))).toEqual(expected);
    const some = await collect(file, new Set([1, 5, 7]));
    expect([...some]).toEqual([
      [1, "first"],
      [5, "café ☕"],
      [7, "last"],
    ]);
    expect(await collect(file, new Set([9]))).toEqual(new Map());
    expect(await collect(file, new Set())).toEqual(new Map());
  });
});
