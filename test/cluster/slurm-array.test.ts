// examples/cluster/slurm-array.sh run for real on a Slurm cluster (scripts/slurm-one-node.sh
// starts one on this machine): three array tasks with --shard auto, then the dependent merge,
// whose dataset equals a one-process run byte for byte. Skipped, with a notice, without Slurm.

import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTraceOfRun } from "../../src/io/index.js";

const repo = join(import.meta.dirname, "..", "..");
const answers = (command: string, ...args: string[]): boolean =>
  spawnSync(command, args, { encoding: "utf8", timeout: 10_000 }).status === 0;
const slurm = answers("sbatch", "--version") && answers("sinfo");
const built = existsSync(join(repo, "dist", "cli", "main.js"));
if (!slurm)
  console.warn(
    "slurm-array.test.ts skipped: sbatch/sinfo do not answer (scripts/slurm-one-node.sh starts a one-node Slurm)",
  );

const root = mkdtempSync(join(tmpdir(), "charter-slurm-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe.skipIf(!slurm || !built)("examples/cluster/slurm-array.sh under Slurm", () => {
  it("runs 3 array tasks and the afterok merge into the bytes of a one-process run", async () => {
    const charter = `node ${join(repo, "dist", "cli", "main.js")}`;
    const run = join(root, "run");
    const env = {
      ...process.env,
      SHARDS: "3",
      RUN: run,
      CHARTER: charter,
      CONSTITUTION: join(repo, "constitutions", "harmless.charter"),
      PROMPTS: join(repo, "examples", "prompts.jsonl"),
      MODEL: "offline:rehearsal",
    };
    const submit = spawnSync("bash", [join(repo, "examples", "cluster", "slurm-array.sh")], {
      cwd: root,
      env,
      encoding: "utf8",
    });
    expect(submit.stderr).toBe("");
    const ids = /submitted array job (\d+) \(3 tasks\) and merge job (\d+)/.exec(submit.stdout);
    expect(ids, submit.stdout).not.toBeNull();
    // Wait for both jobs to leave the queue (a one-node cluster runs them within seconds).
    const deadline = Date.now() + 240_000;
    for (;;) {
      const queue = spawnSync("squeue", ["-h", "-j", `${ids?.[1]},${ids?.[2]}`], {
        encoding: "utf8",
      });
      if (queue.stdout.trim() === "" || Date.now() > deadline) break;
      await sleep(1000);
    }
    const log = (name: string): string =>
      existsSync(join(run, "logs", name)) ? readFileSync(join(run, "logs", name), "utf8") : "";
    expect(existsSync(join(run, "merged", "manifest.json")), log("merge.log")).toBe(true);
    for (const task of [0, 1, 2]) {
      expect(log(`shard-${task}.log`)).toContain(
        `--shard auto: shard ${task}/3 from the Slurm array job (SLURM_ARRAY_TASK_ID=${task}`,
      );
      const manifest = JSON.parse(
        readFileSync(join(run, "shards", String(task), "manifest.json"), "utf8"),
      );
      expect(manifest.shard).toBe(`${task}/3`);
      expect(manifest.manifestInfo.shardFrom.scheduler).toBe("slurm");
    }

    const whole = join(root, "whole");
    const one = spawnSync(
      "sh",
      [
        "-c",
        `${charter} revise --constitution "$CONSTITUTION" --prompts "$PROMPTS" --model "$MODEL" --out ${whole} --quiet`,
      ],
      { env, encoding: "utf8" },
    );
    expect(one.status, one.stderr).toBe(0);
    for (const file of ["sft.jsonl", "pairs.jsonl"])
      expect(readFileSync(join(run, "merged", file), "utf8")).toBe(
        readFileSync(join(whole, file), "utf8"),
      );
    // The traces say the same, call for call (latencies aside).
    const trace = (dir: string): unknown[] =>
      readTraceOfRun(dir).map(({ latencyMs: _latency, ...event }) => event);
    expect(trace(join(run, "merged"))).toEqual(trace(whole));
  }, 300_000);
});
