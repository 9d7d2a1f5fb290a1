// `--shard auto` reads the shard from the scheduler that started the process: each scheduler's
// variables (the Slurm values are those a real Slurm 22.05 sets, see test/cluster), and the
// refusals of a missing, ambiguous or unreadable one.

import { describe, expect, it } from "vitest";
import { describeSchedulerShard, shardFromScheduler } from "../../src/runtime/index.js";

/** What Slurm 22.05.8 set in task `id` of `sbatch --array=...` (observed on a one-node cluster). */
const slurm = (id: number, count: number, min: number, max: number, step = 1) => ({
  SLURM_ARRAY_JOB_ID: "7",
  SLURM_ARRAY_TASK_ID: String(id),
  SLURM_ARRAY_TASK_COUNT: String(count),
  SLURM_ARRAY_TASK_MIN: String(min),
  SLURM_ARRAY_TASK_MAX: String(max),
  SLURM_ARRAY_TASK_STEP: String(step),
});

describe("--shard auto", () => {
  it("reads a Slurm array task: index = id - min", () => {
    // --array=0-2
    expect(shardFromScheduler(slurm(1, 3, 0, 2))).toEqual({
      shard: { index: 1, count: 3 },
      scheduler: "slurm",
      from: {
        SLURM_ARRAY_TASK_ID: "1",
        SLURM_ARRAY_TASK_COUNT: "3",
        SLURM_ARRAY_TASK_MIN: "0",
        SLURM_ARRAY_TASK_MAX: "2",
        SLURM_ARRAY_TASK_STEP: "1",
      },
    });
    // --array=2-5%2: the throttle changes nothing; ids start at 2.
    expect(shardFromScheduler(slurm(2, 4, 2, 5)).shard).toEqual({ index: 0, count: 4 });
    expect(shardFromScheduler(slurm(5, 4, 2, 5)).shard).toEqual({ index: 3, count: 4 });
  });

  it("reads a Slurm array with a step: index = (id - min) / step", () => {
    // --array=1-7:2 gives ids 1, 3, 5, 7
    expect([1, 3, 5, 7].map((id) => shardFromScheduler(slurm(id, 4, 1, 7, 2)).shard)).toEqual([
      { index: 0, count: 4 },
      { index: 1, count: 4 },
      { index: 2, count: 4 },
      { index: 3, count: 4 },
    ]);
  });

  it("refuses a Slurm array whose ids are not evenly spaced, rather than guess", () => {
    // --array=0,1,5: Slurm says COUNT=3, MIN=0, MAX=5, STEP=1, so id 5 cannot be placed.
    expect(() => shardFromScheduler(slurm(5, 3, 0, 5))).toThrow(
      /--shard auto: the Slurm array's task ids are not evenly spaced \(.*3 tasks between 0 and 5\).*--array=0-2, or give --shard i\/n/,
    );
  });

  it("reads a Kubernetes Indexed Job's index, with the count from --shards", () => {
    expect(shardFromScheduler({ JOB_COMPLETION_INDEX: "3" }, 5)).toEqual({
      shard: { index: 3, count: 5 },
      scheduler: "kubernetes",
      from: { JOB_COMPLETION_INDEX: "3", "--shards": "5" },
    });
    expect(() => shardFromScheduler({ JOB_COMPLETION_INDEX: "3" })).toThrow(
      /gives each pod its index \(JOB_COMPLETION_INDEX=3\) but not the count: add --shards N with N the Job's completions/,
    );
    expect(() => shardFromScheduler({ JOB_COMPLETION_INDEX: "5" }, 5)).toThrow(
      /give shard 5\/5, not one of 0\/n to \(n-1\)\/n/,
    );
  });

  it("reads an AWS Batch array child and a Cloud Run task", () => {
    expect(
      shardFromScheduler({ AWS_BATCH_JOB_ARRAY_INDEX: "0", AWS_BATCH_JOB_ARRAY_SIZE: "10" }),
    ).toMatchObject({ shard: { index: 0, count: 10 }, scheduler: "aws-batch" });
    const cloudRun = shardFromScheduler({ CLOUD_RUN_TASK_INDEX: "2", CLOUD_RUN_TASK_COUNT: "4" });
    expect(cloudRun).toMatchObject({ shard: { index: 2, count: 4 }, scheduler: "cloud-run" });
    expect(describeSchedulerShard(cloudRun)).toBe(
      "--shard auto: shard 2/4 from the Cloud Run job (CLOUD_RUN_TASK_INDEX=2, CLOUD_RUN_TASK_COUNT=4)",
    );
  });

  it("checks --shards against a scheduler that gives its own count", () => {
    expect(
      shardFromScheduler({ CLOUD_RUN_TASK_INDEX: "2", CLOUD_RUN_TASK_COUNT: "4" }, 4).shard,
    ).toEqual({ index: 2, count: 4 });
    expect(() =>
      shardFromScheduler({ CLOUD_RUN_TASK_INDEX: "2", CLOUD_RUN_TASK_COUNT: "4" }, 3),
    ).toThrow(/--shards 3 disagrees with the Cloud Run job's 4 tasks/);
  });

  it("refuses when no scheduler's variables are set", () => {
    expect(() => shardFromScheduler({ HOME: "/root" })).toThrow(
      /no scheduler's shard variables are set \(SLURM_ARRAY_TASK_ID for a Slurm array job, JOB_COMPLETION_INDEX for a Kubernetes Indexed Job, AWS_BATCH_JOB_ARRAY_INDEX .*, CLOUD_RUN_TASK_INDEX .*\): run under one of them, or give --shard i\/n/,
    );
  });

  it("refuses two schedulers' variables at once", () => {
    expect(() =>
      shardFromScheduler({
        ...slurm(0, 2, 0, 1),
        CLOUD_RUN_TASK_INDEX: "0",
        CLOUD_RUN_TASK_COUNT: "2",
      }),
    ).toThrow(
      /the variables of several schedulers are set \(SLURM_ARRAY_TASK_ID=0, CLOUD_RUN_TASK_INDEX=0\), so which one started this process is unclear/,
    );
  });

  it("refuses a scheduler's variables that are missing or not numbers", () => {
    expect(() => shardFromScheduler({ AWS_BATCH_JOB_ARRAY_INDEX: "1" })).toThrow(
      /AWS_BATCH_JOB_ARRAY_INDEX is set \(AWS Batch array job\) but AWS_BATCH_JOB_ARRAY_SIZE is not/,
    );
    expect(() =>
      shardFromScheduler({ CLOUD_RUN_TASK_INDEX: "one", CLOUD_RUN_TASK_COUNT: "2" }),
    ).toThrow(/CLOUD_RUN_TASK_INDEX should be a whole number, got "one"/);
  });
});
