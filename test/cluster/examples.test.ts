// The cluster examples are valid as written: the Slurm script parses (`bash -n`), and the
// Kubernetes manifests are Indexed Jobs whose shard count, retries and folders agree.

import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const folder = join(import.meta.dirname, "..", "..", "examples", "cluster");

interface JobManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    completionMode?: string;
    completions?: number;
    parallelism?: number;
    backoffLimitPerIndex?: number;
    template: {
      spec: {
        restartPolicy: string;
        containers: { command: string[]; args: string[]; volumeMounts: { name: string }[] }[];
        volumes: { name: string; persistentVolumeClaim?: { claimName: string } }[];
      };
    };
  };
}

const manifest = (file: string): JobManifest =>
  parse(readFileSync(join(folder, file), "utf8")) as JobManifest;
const commandLine = (job: JobManifest): string =>
  job.spec.template.spec.containers.map((c) => [...c.command, ...c.args].join(" ")).join(" ");

describe("examples/cluster", () => {
  it("slurm-array.sh parses, submits an array and a merge that waits for it", () => {
    const script = join(folder, "slurm-array.sh");
    const check = spawnSync("bash", ["-n", script], { encoding: "utf8" });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const text = readFileSync(script, "utf8");
    expect(text).toMatch(/sbatch --parsable --array="0-\$\(\(SHARDS - 1\)\)"/);
    expect(text).toMatch(/--dependency="afterok:\$array"/);
    expect(text).toContain('--shard auto --out "$RUN/shards/$SLURM_ARRAY_TASK_ID"');
    expect(text).toContain('merge --out "$RUN/merged" "$RUN"/shards/*');
  });

  it("k8s-indexed-job.yaml is an Indexed Job with per-index retries whose --shards is its completions", () => {
    const job = manifest("k8s-indexed-job.yaml");
    expect(job).toMatchObject({ apiVersion: "batch/v1", kind: "Job" });
    expect(job.spec.completionMode).toBe("Indexed");
    expect(job.spec.backoffLimitPerIndex).toBeGreaterThan(0);
    // Per-index retries need pods that are not restarted in place.
    expect(job.spec.template.spec.restartPolicy).toBe("Never");
    const line = commandLine(job);
    expect(line).toContain("--shard auto");
    expect(line).toContain(`--shards ${job.spec.completions}`);
    expect(line).toContain("--out runs/harmless/shards/$JOB_COMPLETION_INDEX");
    const mounted = job.spec.template.spec.containers[0]?.volumeMounts[0]?.name;
    expect(job.spec.template.spec.volumes.find((v) => v.name === mounted)).toMatchObject({
      persistentVolumeClaim: { claimName: "charter-data" },
    });
  });

  it("k8s-merge-job.yaml merges every index's folder from the same volume", () => {
    const job = manifest("k8s-merge-job.yaml");
    const { completions = 0 } = manifest("k8s-indexed-job.yaml").spec;
    expect(job.kind).toBe("Job");
    const line = commandLine(job);
    expect(line).toContain("charter merge --out runs/harmless/merged");
    for (let index = 0; index < completions; index++)
      expect(line).toContain(`runs/harmless/shards/${index}`);
    expect(line).not.toContain(`runs/harmless/shards/${completions}`);
    expect(job.spec.template.spec.volumes[0]?.persistentVolumeClaim?.claimName).toBe(
      "charter-data",
    );
  });
});
