// Deterministic sharding by item id: the same id lands in the same shard on every machine.

import { createHash } from "node:crypto";
import { CharterError } from "../errors.js";

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Which of `count` shards the item `id` belongs to (sha256 of the id, first 48 bits, mod count). */
export function shardOf(id: string, count: number): number {
  const digest = createHash("sha256").update(id, "utf8").digest();
  return digest.readUIntBE(0, 6) % count;
}

/** Parse `i/n` (as given to --shard) into a Shard, 0 <= i < n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard)
    throw new CharterError("invalid-shard", `--shard wants i/n (e.g. 0/4), got "${text}"`);
  checkShard(shard);
  return shard;
}

export function checkShard(shard: Shard): void {
  const { index, count } = shard;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= count
  )
    throw new CharterError(
      "invalid-shard",
      `a shard is i/n with 0 <= i < n, got ${index}/${count}`,
    );
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}

/** The schedulers `--shard auto` reads, with the variables that say a process runs under each. */
export const SHARD_SCHEDULERS = {
  slurm: { name: "Slurm array job", index: "SLURM_ARRAY_TASK_ID" },
  kubernetes: { name: "Kubernetes Indexed Job", index: "JOB_COMPLETION_INDEX" },
  "aws-batch": { name: "AWS Batch array job", index: "AWS_BATCH_JOB_ARRAY_INDEX" },
  "cloud-run": { name: "Cloud Run job", index: "CLOUD_RUN_TASK_INDEX" },
} as const;
export type ShardScheduler = keyof typeof SHARD_SCHEDULERS;

/** A shard read from the scheduler's variables, and where it came from (for stderr and the manifest). */
export interface SchedulerShard {
  readonly shard: Shard;
  readonly scheduler: ShardScheduler;
  /** The variables it was read from, with their values (and `--shards` when that gave the count). */
  readonly from: Readonly<Record<string, string>>;
}

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * `--shard auto`: the shard index and count the scheduler that started this process gives it.
 * Exactly one scheduler's index variable must be set. Slurm: index (ID - MIN) / STEP of COUNT
 * tasks, refused unless the ids are evenly spaced (COUNT = (MAX - MIN) / STEP + 1); Kubernetes
 * gives only the index, so the count comes from `--shards N` (the Job's `completions`); AWS Batch
 * and Cloud Run give both. `shards`, when given for another scheduler, must agree with its count.
 *
 * @example
 * shardFromScheduler({ CLOUD_RUN_TASK_INDEX: "2", CLOUD_RUN_TASK_COUNT: "4" }); // 2/4, "cloud-run"
 */
export function shardFromScheduler(env: Environment, shards?: number): SchedulerShard {
  const present = (Object.keys(SHARD_SCHEDULERS) as ShardScheduler[]).filter(
    (scheduler) => (env[SHARD_SCHEDULERS[scheduler].index] ?? "") !== "",
  );
  if (present.length === 0)
    throw autoError(
      `no scheduler's shard variables are set (${Object.values(SHARD_SCHEDULERS)
        .map((s) => `${s.index} for a ${s.name}`)
        .join(", ")}): run under one of them, or give --shard i/n`,
    );
  if (present.length > 1)
    throw autoError(
      `the variables of several schedulers are set (${present
        .map((s) => `${SHARD_SCHEDULERS[s].index}=${env[SHARD_SCHEDULERS[s].index]}`)
        .join(
          ", ",
        )}), so which one started this process is unclear: unset the others or give --shard i/n`,
    );
  const scheduler = present[0] as ShardScheduler;
  const found = readScheduler(scheduler, env, shards);
  if (shards !== undefined && found.shard.count !== shards)
    throw autoError(
      `--shards ${shards} disagrees with the ${SHARD_SCHEDULERS[scheduler].name}'s ${found.shard.count} tasks`,
    );
  try {
    checkShard(found.shard);
  } catch {
    throw autoError(
      `the ${SHARD_SCHEDULERS[scheduler].name}'s variables (${describe(found.from)}) give shard ${formatShard(found.shard)}, not one of 0/n to (n-1)/n`,
    );
  }
  return { ...found, scheduler };
}

function readScheduler(
  scheduler: ShardScheduler,
  env: Environment,
  shards: number | undefined,
): Omit<SchedulerShard, "scheduler"> {
  const taken: Record<string, string> = {};
  const read = (name: string): number => {
    const text = env[name];
    if (text === undefined || text === "")
      throw autoError(
        `${SHARD_SCHEDULERS[scheduler].index} is set (${SHARD_SCHEDULERS[scheduler].name}) but ${name} is not`,
      );
    if (!/^\d+$/.test(text.trim()))
      throw autoError(`${name} should be a whole number, got "${text}"`);
    taken[name] = text.trim();
    return Number(text);
  };
  switch (scheduler) {
    case "slurm": {
      const id = read("SLURM_ARRAY_TASK_ID");
      const count = read("SLURM_ARRAY_TASK_COUNT");
      const min = read("SLURM_ARRAY_TASK_MIN");
      const max = read("SLURM_ARRAY_TASK_MAX");
      const step = (env.SLURM_ARRAY_TASK_STEP ?? "") === "" ? 1 : read("SLURM_ARRAY_TASK_STEP");
      if (step < 1 || (max - min) % step !== 0 || (max - min) / step + 1 !== count)
        throw autoError(
          `the Slurm array's task ids are not evenly spaced (${describe(taken)}: ${count} tasks between ${min} and ${max}${step === 1 ? "" : ` in steps of ${step}`}), so a task id does not tell its shard: use a range such as --array=0-${count - 1}, or give --shard i/n`,
        );
      if ((id - min) % step !== 0)
        throw autoError(`SLURM_ARRAY_TASK_ID ${id} is not in the array ${min}-${max}:${step}`);
      return { shard: { index: (id - min) / step, count }, from: taken };
    }
    case "kubernetes": {
      const index = read("JOB_COMPLETION_INDEX");
      if (shards === undefined)
        throw autoError(
          `a Kubernetes Indexed Job gives each pod its index (JOB_COMPLETION_INDEX=${index}) but not the count: add --shards N with N the Job's completions`,
        );
      return { shard: { index, count: shards }, from: { ...taken, "--shards": String(shards) } };
    }
    case "aws-batch":
      return {
        shard: {
          index: read("AWS_BATCH_JOB_ARRAY_INDEX"),
          count: read("AWS_BATCH_JOB_ARRAY_SIZE"),
        },
        from: taken,
      };
    case "cloud-run":
      return {
        shard: { index: read("CLOUD_RUN_TASK_INDEX"), count: read("CLOUD_RUN_TASK_COUNT") },
        from: taken,
      };
  }
}

const describe = (from: Readonly<Record<string, string>>): string =>
  Object.entries(from)
    .map(([name, value]) => `${name}=${value}`)
    .join(", ");

/** The line a run prints (and the manifest's `shardFrom` says) when `--shard auto` found its shard. */
export function describeSchedulerShard(found: SchedulerShard): string {
  return `--shard auto: shard ${formatShard(found.shard)} from the ${SHARD_SCHEDULERS[found.scheduler].name} (${describe(found.from)})`;
}

function autoError(message: string): CharterError {
  return new CharterError("shard-auto", `--shard auto: ${message}`);
}
