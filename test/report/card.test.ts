// `charter card`: a Hub dataset card whose YAML uses only the Hub's documented metadata keys,
// whose configs point at the run's data files, and whose prose says what made the data, its
// quality metrics, its limits and how to load it.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { sizeCategory } from "../../src/report/dataset-card.js";
import { captureIO } from "../cli/cli-io.js";
import { makeRunFixtures, type RunFixtures } from "./run-fixtures.js";

/** Top-level keys of the Hub's dataset card metadata (huggingface/hub-docs datasetcard.md). */
const HUB_KEYS = new Set([
  "language",
  "license",
  "license_name",
  "license_link",
  "license_details",
  "tags",
  "annotations_creators",
  "language_creators",
  "language_details",
  "pretty_name",
  "size_categories",
  "source_datasets",
  "task_categories",
  "task_ids",
  "paperswithcode_id",
  "configs",
  "dataset_info",
  "extra_gated_fields",
  "extra_gated_prompt",
  "viewer",
]);

let runs: RunFixtures;
beforeAll(async () => {
  runs = await makeRunFixtures();
});

async function card(
  args: string[],
): Promise<{ meta: Record<string, unknown>; body: string; file: string }> {
  const io = captureIO(runs.dir);
  expect(await main(["card", ...args, "--out", "publish/README.md"], io)).toBe(0);
  const file = join(runs.dir, "publish/README.md");
  const text = readFileSync(file, "utf8");
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (match === null) throw new Error(`no YAML block in:\n${text}`);
  return {
    meta: parse(match[1] as string) as Record<string, unknown>,
    body: match[2] as string,
    file,
  };
}

describe("charter card", () => {
  it("writes YAML metadata with the Hub's keys, a license placeholder and configs pointing at the data", async () => {
    const { meta, file } = await card([runs.revise, runs.judge]);
    for (const key of Object.keys(meta)) expect(HUB_KEYS, key).toContain(key);
    expect(meta.license).toBe("other");
    expect(meta.task_categories).toEqual(["text-generation"]);
    expect(meta.size_categories).toEqual(["n<1K"]);
    const configs = meta.configs as {
      config_name: string;
      default?: boolean;
      data_files: { split: string; path: string }[];
    }[];
    expect(configs.map((config) => config.config_name)).toEqual([
      "revise-sft",
      "revise-pairs",
      "judge-preferences",
      "judge-ties",
    ]);
    expect(configs[0]?.default).toBe(true);
    for (const config of configs) {
      const path = config.data_files[0]?.path ?? "";
      expect(path).toMatch(/^\.\.\//);
      expect(existsSync(resolve(dirname(file), path)), path).toBe(true);
    }
  });

  it("says what made the data, its quality metrics, its limits and how to load it", async () => {
    const { body } = await card([runs.revise]);
    expect(body).toMatch(/^\n# harmless constitutional AI data\n/);
    expect(body).toMatch(/\| constitution \| harmless 1\.0\.0 · sha256:[0-9a-f]{64} \|/);
    expect(body).toMatch(/\| models \| offline:rehearsal \|/);
    expect(body).toMatch(/\| served as \| rehearsal \|/);
    expect(body).toMatch(/\| seed \| 1 \|/);
    expect(body).toMatch(/\| charter \| 0\.1\.0 \|/);
    expect(body).not.toMatch(/\| input \|/);
    expect(body).toMatch(/Principles of the constitution \(15\):\n\n- `harm\.general`: /);
    expect(body).toMatch(/\| sft \| `\.\.\/revise\/sft\.jsonl` \| 12 \|/);
    expect(body).toMatch(/## Quality metrics[\s\S]*\| `duplicates\.near\.rate` \| \d/);
    expect(body).toMatch(/\| `run\.noChangeRate` \| 0\.\d{4} \|/);
    expect(body).toMatch(/offline rehearsal model: its replies are placeholders/);
    expect(body).toMatch(
      /load_dataset\("json", data_files=\{"train": "\.\.\/revise\/sft\.jsonl"\}, split="train"\)/,
    );
    expect(body).toMatch(/trl\.SFTTrainer/);
  });

  it("notes ties kept apart and length bias for preference data", async () => {
    const { body } = await card([runs.judge]);
    expect(body).toMatch(/5 pairs were ties .* kept apart in `ties\.jsonl`/);
    expect(body).toMatch(/the longer reply was chosen in \d+\.\d% of labelled pairs/);
    expect(body).toMatch(/trl\.DPOTrainer/);
  });

  it("buckets sizes as the Hub does", () => {
    expect([999, 1000, 9999, 10_000, 999_999, 1_000_000].map(sizeCategory)).toEqual([
      "n<1K",
      "1K<n<10K",
      "1K<n<10K",
      "10K<n<100K",
      "100K<n<1M",
      "1M<n<10M",
    ]);
  });
});
