// Reading prompts: JSONL rows and text files, ids, malformed rows, duplicates, --skip-invalid.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidPromptError, readPrompts } from "../../src/phase1-revise/input.js";
import type { InvalidLine } from "../../src/io/index.js";

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "charter-prompts-")), name);
  writeFileSync(path, text);
  return path;
}

async function collect(path: string, options = {}) {
  const items = [];
  for await (const item of readPrompts(path, options)) items.push(item);
  return items;
}

describe("readPrompts", () => {
  it("reads prompt, messages, response and tags rows in order, deriving missing ids", async () => {
    const path = file(
      "p.jsonl",
      [
        '{"id": "a", "prompt": "Hi", "tags": ["x"]}',
        "",
        '{"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q"}], "response": "R"}',
        '{"id": 7, "messages": [{"role": "user", "content": "Q2"}, {"role": "assistant", "content": "A2"}]}',
      ].join("\n"),
    );
    const items = await collect(path);
    expect(items.map((item) => [item.id, item.index, item.input.line])).toEqual([
      ["a", 0, 1],
      [expect.stringMatching(/^[0-9a-f]{16}$/), 1, 3],
      ["7", 2, 4],
    ]);
    expect(items[0]?.input).toEqual({
      messages: [{ role: "user", content: "Hi" }],
      tags: ["x"],
      line: 1,
    });
    expect(items[1]?.input.response).toBe("R");
    // A trailing assistant turn is the reply to start from.
    expect(items[2]?.input).toMatchObject({
      messages: [{ role: "user", content: "Q2" }],
      response: "A2",
    });
    // Derived ids are stable across reads.
    expect((await collect(path))[1]?.id).toBe(items[1]?.id);
  });

  it("reads a text file as one prompt per non-blank line", async () => {
    const items = await collect(file("p.txt", "first\n\nsecond\n"));
    expect(items.map((item) => [item.input.messages[0]?.content, item.input.line])).toEqual([
      ["first", 1],
      ["second", 3],
    ]);
  });

  it.each([
    ['{"prompt": 3}', "'prompt' must be a string"],
    ['{"nothing": 1}', "a row needs 'prompt' or 'messages'"],
    ['{"messages": [{"role": "bot", "content": "x"}]}', "messages[0].role must be one of"],
    ['{"prompt": "x", "tags": "a"}', "'tags' must be an array of strings"],
    ["[1]", "a row must be a JSON object"],
    ["{oops", "not valid JSON"],
  ])("stops at %s naming file and line", async (row, reason) => {
    const path = file("bad.jsonl", `{"prompt": "ok"}\n${row}\n`);
    const error = await collect(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(`${path}:2: `);
    expect((error as Error).message).toContain(reason);
  });

  it("with skipInvalid, lists bad rows and goes on", async () => {
    const invalid: InvalidLine[] = [];
    const path = file("bad.jsonl", '{"prompt": "a"}\n{oops\n{"prompt": 1}\n{"prompt": "b"}\n');
    const items = await collect(path, {
      skipInvalid: true,
      onInvalid: (bad: InvalidLine) => invalid.push(bad),
    });
    expect(items.map((item) => item.input.line)).toEqual([1, 4]);
    expect(invalid.map((bad) => bad.line)).toEqual([2, 3]);
    expect(invalid[1]?.message).toBe("'prompt' must be a string");
  });

  it("refuses a duplicate id naming both lines", async () => {
    const path = file(
      "dup.jsonl",
      '{"id": "x", "prompt": "a"}\n{"prompt": "b"}\n{"id": "x", "prompt": "c"}\n',
    );
    await expect(collect(path)).rejects.toThrow(
      new InvalidPromptError(path, 3, "repeats id 'x' of line 1"),
    );
  });

  it("refuses two id-less rows with the same content", async () => {
    const path = file("dup.jsonl", '{"prompt": "a"}\n{"prompt": "a"}\n');
    await expect(collect(path)).rejects.toThrow(/:2: repeats the content of line 1/);
  });

  it("refuses a duplicate even with skipInvalid, in text files too, naming the first line", async () => {
    const rows = Array.from({ length: 5000 }, (_, i) =>
      JSON.stringify({ id: `r${i}`, prompt: "p" }),
    );
    const path = file(
      "many.jsonl",
      [...rows, "not json", '{"id": "r3210", "prompt": "q"}'].join("\n"),
    );
    await expect(collect(path, { skipInvalid: true })).rejects.toThrow(
      new InvalidPromptError(path, 5002, "repeats id 'r3210' of line 3211"),
    );
    const text = file("p.txt", "one\n\ntwo\none\n");
    await expect(collect(text)).rejects.toThrow(
      new InvalidPromptError(
        text,
        4,
        "repeats the content of line 1 (give the rows ids to keep both)",
      ),
    );
  });
});
