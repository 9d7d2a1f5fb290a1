// An input's identity, and whether a changed input only grew by whole rows at its end.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inputIdentity, onlyAppended, sha256Hex } from "../../src/io/index.js";
import { tempDir } from "../providers/helpers.js";

async function grown(before: string, after: string): Promise<boolean> {
  const dir = tempDir();
  const path = join(dir, "in.jsonl");
  writeFileSync(path, before);
  const old = await inputIdentity(path);
  writeFileSync(path, after);
  return onlyAppended(old, await inputIdentity(path));
}

describe("input identity", () => {
  it("is the absolute path, the size and the sha256 of the bytes", async () => {
    const path = join(tempDir(), "in.jsonl");
    writeFileSync(path, "a\nb\n");
    expect(await inputIdentity(path)).toEqual({
      path,
      size: 4,
      sha256: `sha256:${sha256Hex("a\nb\n")}`,
    });
  });

  it.each([
    ["a\nb\n", "a\nb\nc\n", true],
    ["a\nb", "a\nb\nc\n", true], // the old last line had no newline; the new row starts a line
    ["", "a\n", true],
    ["a\nb\n", "a\nb\n", true],
    ["a\nb", "a\nbc\n", false], // the old last row was extended
    ["a\nb\n", "a\nX\nc\n", false], // an old row was edited
    ["a\nb\n", "a\n", false], // rows were removed
  ])("%j -> %j: only appended %s", async (before, after, expected) => {
    expect(await grown(before, after)).toBe(expected);
  });

  it("reads files larger than one stream chunk", async () => {
    const head = "x".repeat(200_000) + "\n";
    expect(await grown(head, `${head}y\n`)).toBe(true);
    expect(await grown(head, `${head.slice(0, -2)}z\ny\n`)).toBe(false);
  });
});
