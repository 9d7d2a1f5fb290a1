import { mkdtempSync, rmSync, writeFileSync, createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  InvalidJsonLineError,
  readJsonLines,
  readPromptLines,
  readRawLines,
  readTextLines,
  type InvalidLine,
} from "../../src/io/index.js";

const dir = mkdtempSync(join(tmpdir(), "charter-io-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}
async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const value of iterable) all.push(value);
  return all;
}

describe("readJsonLines", () => {
  it("handles a BOM, CRLF, blank lines and a missing final newline, with 1-based line numbers", async () => {
    const path = file("mixed.jsonl", '\uFEFF{"a":1}\r\n\r\n  \n{"a":2}\n{"a":"x\\ny"}');
    expect(await collect(readJsonLines(path))).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 4, value: { a: 2 } },
      { line: 5, value: { a: "x\ny" } },
    ]);
  });

  it("names the file and line of a malformed line", async () => {
    const path = file("bad.jsonl", '{"a":1}\n{"a":\n{"a":3}\n');
    const error = await collect(readJsonLines(path)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidJsonLineError);
    expect(error).toMatchObject({ code: "invalid-json-line", file: path, line: 2 });
    expect((error as Error).message).toMatch(new RegExp(`^${path}:2: not valid JSON`));
  });

  it("with skipInvalid reports each malformed line and goes on", async () => {
    const path = file("skip.jsonl", '{"a":1}\nnope\n{"a":3}\n[1,\n');
    const invalid: InvalidLine[] = [];
    const values = await collect(
      readJsonLines(path, { skipInvalid: true, onInvalid: (bad) => invalid.push(bad) }),
    );
    expect(values.map((value) => value.line)).toEqual([1, 3]);
    expect(invalid.map((bad) => `${bad.line}`)).toEqual(["2", "4"]);
    expect(invalid[0]?.file).toBe(path);
  });

  it("fails with a typed error for a missing file", async () => {
    await expect(collect(readJsonLines(join(dir, "missing.jsonl")))).rejects.toMatchObject({
      code: "file-read-failed",
    });
  });

  it("streams a large file without holding it", async () => {
    const path = join(dir, "large.jsonl");
    const stream = createWriteStream(path);
    const padding = "p".repeat(200);
    for (let n = 0; n < 50_000; n++) stream.write(`{"n":${n},"pad":"${padding}"}\n`);
    await new Promise<void>((resolve) => stream.end(resolve));
    let count = 0;
    let last = -1;
    for await (const { value, line } of readJsonLines(path)) {
      count += 1;
      last = (value as { n: number }).n;
      expect(line).toBe(count);
    }
    expect(count).toBe(50_000);
    expect(last).toBe(49_999);
  });
});

describe("text lines", () => {
  it("reads one prompt per non-blank line, keeping the text as written", async () => {
    const path = file(
      "prompts.txt",
      "\uFEFFHow do I bake bread?\r\n\r\n  Tell me a joke.  \nLast line",
    );
    expect(await collect(readPromptLines(path))).toEqual([
      { line: 1, text: "How do I bake bread?" },
      { line: 3, text: "  Tell me a joke.  " },
      { line: 4, text: "Last line" },
    ]);
    expect((await collect(readTextLines(path))).map((line) => line.text)).toEqual([
      "How do I bake bread?",
      "",
      "  Tell me a joke.  ",
      "Last line",
    ]);
  });

  it("splits on LF only, so a lone CR stays in the text and line numbers stay true", async () => {
    const path = file("cr.txt", "a\rb\r\nc\n");
    expect(await collect(readTextLines(path))).toEqual([
      { line: 1, text: "a\rb" },
      { line: 2, text: "c" },
    ]);
  });

  it("decodes multi-byte characters that straddle read chunks", async () => {
    const long = "é".repeat(700_000); // 1.4 MB: crosses the 1 MiB chunk inside a character
    const path = file("wide.jsonl", `${JSON.stringify({ long })}\n{"n":2}\n`);
    const values = (await collect(readJsonLines(path))).map((entry) => entry.value);
    expect(values).toEqual([{ long }, { n: 2 }]);
  });

  it("gives complete raw lines with byte offsets and drops a torn last line", async () => {
    const path = file("raw.jsonl", Buffer.from('{"é":1}\n{"b":2}\n{"c":'));
    const lines = await collect(readRawLines(path));
    expect(lines).toEqual([
      { text: '{"é":1}', offset: 0, bytes: 9 },
      { text: '{"b":2}', offset: 9, bytes: 8 },
    ]);
    expect(await collect(readRawLines(path, 9, 17))).toEqual([
      { text: '{"b":2}', offset: 9, bytes: 8 },
    ]);
    expect(await collect(readRawLines(join(dir, "none.jsonl")))).toEqual([]);
  });
});
