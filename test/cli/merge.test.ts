import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import merge from "../../src/cli/commands/merge.js";
import { main } from "../../src/cli/main.js";
import { readTraceOfRun } from "../../src/io/index.js";
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

describe("charter merge of real phase runs (offline:rehearsal)", () => {
  const repo = join(import.meta.dirname, "..", "..");
  const runOf = (command: "revise" | "judge", out: string, shard?: string): string[] => [
    command,
    "--constitution",
    join(repo, "constitutions", command === "revise" ? "harmless.charter" : "showcase.charter"),
    ...(command === "revise"
      ? ["--prompts", join(repo, "examples", "prompts.jsonl"), "--model", "offline:rehearsal"]
      : ["--pairs", join(repo, "examples", "pairs.jsonl"), "--judge", "offline:rehearsal"]),
    "--out",
    out,
    "--quiet",
    ...(shard === undefined ? [] : ["--shard", shard]),
  ];
  const stats = (dir: string): Record<string, unknown> =>
    JSON.parse(readFileSync(join(root, dir, "stats.json"), "utf8")) as Record<string, unknown>;

  for (const [command, file, phaseKey] of [
    ["revise", "sft.jsonl", "servedModels"],
    ["judge", "preferences.jsonl", "preferences"],
  ] as const) {
    it(`${command}: merged shards equal the unsharded run, phase stats included`, async () => {
      root = mkdtempSync(join(tmpdir(), "charter-merge-phase-"));
      const io = captureIO(root);
      expect(await main(runOf(command, "whole"), io)).toBe(0);
      expect(await main(runOf(command, "s0", "0/2"), io)).toBe(0);
      expect(await main(runOf(command, "s1", "1/2"), io)).toBe(0);
      expect(await main(["merge", "--out", "merged", "s0", "s1"], io), io.err()).toBe(0);
      expect(readFileSync(join(root, "merged", file), "utf8")).toBe(
        readFileSync(join(root, "whole", file), "utf8"),
      );
      // The trace holds latencies, so compare what it says, in order, without them.
      const trace = (dir: string): unknown[] =>
        readTraceOfRun(join(root, dir)).map(({ latencyMs: _latency, ...event }) => event);
      expect(trace("merged")).toEqual(trace("whole"));
      expect(stats("merged")[phaseKey]).toBeDefined();
      expect(stats("merged")[phaseKey]).toEqual(stats("whole")[phaseKey]);
      expect(stats("merged")["counters"]).toEqual(stats("whole")["counters"]);
    });
  }
});
