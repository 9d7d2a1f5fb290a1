// `--shard auto` on the command line: the shard comes from the scheduler's variables, is said on
// stderr and kept in the manifest, and the shards merge into the unsharded run's bytes; a
// scheduler that cannot be read stops the command with exit 2 before any call.

import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./cli-io.js";

const repo = join(import.meta.dirname, "..", "..");
const revise = (out: string, ...extra: string[]): string[] => [
  "revise",
  "--constitution",
  join(repo, "constitutions", "harmless.charter"),
  "--prompts",
  join(repo, "examples", "prompts.jsonl"),
  "--model",
  "offline:rehearsal",
  "--out",
  out,
  "--quiet",
  ...extra,
];

let root = "";
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("charter revise --shard auto", () => {
  it("runs the Cloud Run task's shard, says so, records it, and the shards merge into the whole run", async () => {
    root = mkdtempSync(join(tmpdir(), "charter-shard-auto-"));
    expect(await main(revise("whole"), captureIO(root))).toBe(0);
    for (const index of [0, 1, 2]) {
      const io = {
        ...captureIO(root),
        env: { CLOUD_RUN_TASK_INDEX: String(index), CLOUD_RUN_TASK_COUNT: "3" },
      };
      const err: string[] = [];
      const code = await main(revise(`s${index}`, "--shard", "auto"), {
        ...io,
        stderr: { write: (chunk: string) => err.push(chunk) },
      });
      expect(code).toBe(0);
      expect(err.join("")).toContain(
        `--shard auto: shard ${index}/3 from the Cloud Run job (CLOUD_RUN_TASK_INDEX=${index}, CLOUD_RUN_TASK_COUNT=3)\n`,
      );
      const manifest = JSON.parse(readFileSync(join(root, `s${index}`, "manifest.json"), "utf8"));
      expect(manifest.shard).toBe(`${index}/3`);
      expect(manifest.manifestInfo.shardFrom).toEqual({
        scheduler: "cloud-run",
        variables: { CLOUD_RUN_TASK_INDEX: String(index), CLOUD_RUN_TASK_COUNT: "3" },
      });
    }
    const io = captureIO(root);
    expect(await main(["merge", "--out", "merged", "s0", "s1", "s2"], io), io.err()).toBe(0);
    const merged = JSON.parse(readFileSync(join(root, "merged", "manifest.json"), "utf8"));
    expect(merged.manifestInfo.shardFrom).toBeUndefined();
    for (const file of ["sft.jsonl", "pairs.jsonl"])
      expect(readFileSync(join(root, "merged", file), "utf8")).toBe(
        readFileSync(join(root, "whole", file), "utf8"),
      );
  });

  it("takes a Kubernetes index with --shards, and refuses --shards without auto", async () => {
    root = mkdtempSync(join(tmpdir(), "charter-shard-auto-"));
    const io = { ...captureIO(root), env: { JOB_COMPLETION_INDEX: "1" } };
    expect(await main(revise("k1", "--shard", "auto", "--shards", "2"), io)).toBe(0);
    expect(io.err()).toContain("--shard auto: shard 1/2 from the Kubernetes Indexed Job");
    const plain = captureIO(root);
    expect(await main(revise("k2", "--shard", "0/2", "--shards", "2"), plain)).toBe(2);
    expect(plain.err()).toContain("--shards N goes with --shard auto");
  });

  for (const [what, env, message] of [
    ["no scheduler", {}, "no scheduler's shard variables are set"],
    [
      "two schedulers",
      { SLURM_ARRAY_TASK_ID: "0", AWS_BATCH_JOB_ARRAY_INDEX: "0" },
      "the variables of several schedulers are set",
    ],
    [
      "a Kubernetes index without --shards",
      { JOB_COMPLETION_INDEX: "0" },
      "add --shards N with N the Job's completions",
    ],
  ] as const)
    it(`exits 2 before any call with ${what}`, async () => {
      root = mkdtempSync(join(tmpdir(), "charter-shard-auto-"));
      const io = { ...captureIO(root), env };
      const err: string[] = [];
      const code = await main(revise("run", "--shard", "auto"), {
        ...io,
        stderr: { write: (chunk: string) => err.push(chunk) },
      });
      expect(code).toBe(2);
      expect(err.join("")).toMatch(/^charter revise: --shard auto: /);
      expect(err.join("")).toContain(message);
      expect(existsSync(join(root, "run"))).toBe(false);
    });
});
