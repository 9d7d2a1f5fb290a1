// Phase 2's input readers refuse repeated ids (given or derived), naming both lines.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  InvalidPairRowError,
  readPairItems,
  readPromptItems,
  type ReadItemsOptions,
} from "../../src/phase2-preference/pair-items.js";

const dir = mkdtempSync(join(tmpdir(), "charter-pair-items-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, lines: readonly string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join("\n") + "\n");
  return path;
}

async function ids(items: AsyncIterable<{ id: string }>): Promise<string[]> {
  const all: string[] = [];
  for await (const item of items) all.push(item.id);
  return all;
}

const pair = (row: Record<string, unknown>) => JSON.stringify({ prompt: "p", ...row });
const skip: ReadItemsOptions = { skipInvalid: true };

describe("readPairItems", () => {
  it("reads distinct rows, even ones that differ only in their id", async () => {
    const path = file("ok.jsonl", [
      pair({ id: "a", responses: ["x", "y"] }),
      pair({ id: "b", responses: ["x", "y"] }),
      pair({ responses: ["x", "z"] }),
    ]);
    expect(await ids(readPairItems(path))).toHaveLength(3);
  });

  it("refuses a repeated id naming both lines, even with skipInvalid", async () => {
    const path = file("dup-id.jsonl", [
      pair({ id: "a", responses: ["x", "y"] }),
      "{broken",
      pair({ id: "b", responses: ["x", "y"] }),
      pair({ id: "b", chosen: "u", rejected: "v" }),
    ]);
    const error = new InvalidPairRowError(path, 4, "repeats id 'b' of line 3");
    await expect(ids(readPairItems(path, skip))).rejects.toThrow(error);
  });

  it("refuses two id-less rows with the same content", async () => {
    const path = file("dup-content.jsonl", [
      pair({ responses: ["x", "y"] }),
      pair({ responses: ["x", "z"] }),
      pair({ responses: ["x", "y"] }),
    ]);
    await expect(ids(readPairItems(path))).rejects.toThrow(
      new InvalidPairRowError(
        path,
        3,
        "repeats the content of line 1 (give the rows ids to keep both)",
      ),
    );
  });
});

describe("readPromptItems (--generate)", () => {
  it("refuses a repeated id in JSON Lines prompts naming both lines, even with skipInvalid", async () => {
    const path = file("prompts.jsonl", [
      '{"id": 1, "prompt": "a"}',
      '{"prompt": 5}',
      '{"id": "2", "prompt": "b"}',
      '{"id": "1", "prompt": "c"}',
    ]);
    await expect(ids(readPromptItems(path, skip))).rejects.toThrow(
      new InvalidPairRowError(path, 4, "repeats id '1' of line 1"),
    );
  });

  it("refuses the same prompt twice in a text file", async () => {
    const path = file("prompts.txt", ["first", "", "second", "first"]);
    await expect(ids(readPromptItems(path))).rejects.toThrow(
      new InvalidPairRowError(
        path,
        4,
        "repeats the content of line 1 (give the rows ids to keep both)",
      ),
    );
  });

  it("reads distinct prompts", async () => {
    const path = file("fine.txt", ["first", "second", "third"]);
    expect(new Set(await ids(readPromptItems(path))).size).toBe(3);
  });
});
