import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import merge from "../../src/cli/commands/merge.js";
import { runItems } from "../../src/runtime/index.js";
import { baseOptions } from "../runtime/helpers.js";
import { captureIO } from "./cli-io.js";

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("charter merge", () => {
  it("merges shard folders into the bytes of an unsharded run", async () => {
    root = mkdtempSync(join(tmpdir(), "charter-merge-"));
    await runItems(baseOptions(join(root, "whole"), 30));
    for (const index of [0, 1])
      await runItems({ ...baseOptions(join(root, `s${index}`), 30), shard: { index, count: 2 } });
    const io = captureIO(root);
    expect(await merge.run(["--out", "merged", "s1", "s0"], io)).toBe(0);
    expect(io.out()).toBe("merged 2 shards into merged: 30 items, 0 failed\n");
    for (const file of ["sft.jsonl", "pairs.jsonl", "trace.jsonl"])
      expect(readFileSync(join(root, "merged", file), "utf8")).toBe(
        readFileSync(join(root, "whole", file), "utf8"),
      );
  });

  it("wants --out and shard folders", async () => {
    root = mkdtempSync(join(tmpdir(), "charter-merge-"));
    await expect(merge.run(["s0"], captureIO(root))).rejects.toThrow(/--out DIR is required/);
    await expect(merge.run(["--out", "m"], captureIO(root))).rejects.toThrow(/shard folders/);
  });
});
