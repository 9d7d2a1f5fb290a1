// `charter card`: the Hugging Face Hub dataset card (README.md) for run folders. YAML metadata in
// the Hub's documented keys (license, pretty_name, tags, task_categories, size_categories,
// annotations_creators, language_creators, source_datasets, configs with data_files), then prose:
// what made the data, its size, known limitations and how to load it for training.

import { createReadStream } from "node:fs";
import { relative, join, sep } from "node:path";
import { stringify } from "yaml";
import { formatNumber, overviewRows } from "./html-page.js";
import { compareReports, type DatasetReport } from "../quality/index.js";
import type { RunOverview } from "./run-data.js";

/** A principle of the run's constitution, as the CLI compiled it (the card does not compile). */
export interface CardPrinciple {
  readonly id: string;
  readonly text?: string;
}

export interface CardRun {
  readonly overview: RunOverview;
  /** `charter inspect`'s metrics of the run's dataset, when it reads it. */
  readonly quality?: DatasetReport;
  /** The constitution's principles, when its file could be compiled. */
  readonly principles?: readonly CardPrinciple[];
}

export interface CardOptions {
  /** The folder the card will be written to: data file paths are relative to it. */
  readonly cardFolder: string;
}

/** Lines in a file (rows of a JSON Lines file), streamed. */
export async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines += 1;
    if (chunk.length > 0) last = chunk[chunk.length - 1] as number;
  }
  return last === 10 ? lines : lines + 1;
}

/** The Hub's size buckets. */
export function sizeCategory(rows: number): string {
  const buckets: [number, string][] = [
    [1e3, "n<1K"],
    [1e4, "1K<n<10K"],
    [1e5, "10K<n<100K"],
    [1e6, "100K<n<1M"],
    [1e7, "1M<n<10M"],
    [1e8, "10M<n<100M"],
    [1e9, "100M<n<1B"],
  ];
  for (const [limit, name] of buckets) if (rows < limit) return name;
  return "n>1B";
}

interface DataFile {
  readonly run: RunOverview;
  readonly name: string;
  readonly path: string;
  readonly rows: number;
  readonly config: string;
}

function configName(run: RunOverview, file: string, many: boolean): string {
  const base = file.replace(/\.jsonl$/, "");
  const name = many ? `${run.name}-${base}` : base;
  return name.replace(/[^A-Za-z0-9_-]+/g, "-");
}

async function dataFilesOf(runs: readonly CardRun[], cardFolder: string): Promise<DataFile[]> {
  const files: DataFile[] = [];
  for (const { overview } of runs) {
    // The manifest's dataset files in its order (the main one first), else every JSON Lines file.
    const present = new Set(overview.files.map((file) => file.name));
    const names =
      overview.outputFiles.length > 0
        ? overview.outputFiles.filter((name) => present.has(name))
        : [...present].filter((name) => name.endsWith(".jsonl") && name !== "trace.jsonl");
    for (const name of names) {
      const file = { name };
      const absolute = join(overview.folder, file.name);
      files.push({
        run: overview,
        name: file.name,
        path: relative(cardFolder, absolute).split(sep).join("/"),
        rows: await countLines(absolute),
        config: configName(overview, file.name, runs.length > 1),
      });
    }
  }
  return files;
}

function isRehearsal(run: RunOverview): boolean {
  return (
    run.models.some((model) => model.startsWith("offline:")) ||
    run.servedModels.includes("rehearsal")
  );
}

function metadata(runs: readonly CardRun[], files: readonly DataFile[]): string {
  const names = [
    ...new Set(
      runs.map((run) => run.overview.constitution?.name).filter((name) => name !== undefined),
    ),
  ];
  const kinds = new Set(runs.map((run) => run.overview.kind));
  const tags = ["synthetic", "constitutional-ai", "charter"];
  if (kinds.has("revise")) tags.push("sft", "critique-revision");
  if (kinds.has("judge")) tags.push("preference", "rlaif", "dpo");
  if (kinds.has("score")) tags.push("rubric-scores");
  const rows = files.reduce((sum, file) => sum + file.rows, 0);
  const meta = {
    pretty_name: `${names.join(", ") || "Charter"} constitutional AI data`,
    // A placeholder the publisher must replace: the data's license depends on the models' terms
    // and the prompts' source, which Charter cannot know.
    license: "other",
    license_name: "to-be-decided",
    tags,
    task_categories: ["text-generation"],
    annotations_creators: ["machine-generated"],
    language_creators: ["machine-generated"],
    source_datasets: ["original"],
    size_categories: [sizeCategory(rows)],
    configs: files.map((file, index) => ({
      config_name: file.config,
      ...(index === 0 ? { default: true } : {}),
      data_files: [{ split: "train", path: file.path }],
    })),
  };
  return `---\n# Dataset card metadata: https://huggingface.co/docs/hub/datasets-cards\n# license is a placeholder: set it (and drop license_name) before publishing.\n${stringify(meta)}---\n`;
}

function provenance(run: CardRun): string {
  const { overview } = run;
  const lines = [
    `### ${overview.name} (\`charter ${overview.command ?? overview.kind}\`)`,
    "",
    "| | |",
    "| --- | --- |",
  ];
  // The input's local path says nothing to a reader of the published card.
  for (const [label, value] of overviewRows(overview).filter(([label]) => label !== "input"))
    lines.push(`| ${label} | ${value.replace(/\|/g, "\\|")} |`);
  lines.push("");
  if (run.principles !== undefined && run.principles.length > 0) {
    lines.push(`Principles of the constitution (${run.principles.length}):`, "");
    for (const principle of run.principles)
      lines.push(
        `- \`${principle.id}\`${principle.text === undefined ? "" : `: ${principle.text.replace(/\s+/g, " ").trim()}`}`,
      );
    lines.push("");
  }
  const used = Object.entries(overview.counters)
    .filter(([name]) => name.startsWith("principle:") && name.split(":").length === 2)
    .sort((a, b) => b[1] - a[1]);
  if (used.length > 0)
    lines.push(
      `Principles used in revision rounds: ${used.map(([name, count]) => `\`${name.slice(10)}\` ${count}`).join(", ")}.`,
      "",
    );
  lines.push("Settings:", "", "```json", JSON.stringify(overview.settings, null, 2), "```", "");
  return lines.join("\n");
}

/** The quality metrics of each run, as `charter inspect` measured them (nothing recomputed here). */
function qualityMetrics(runs: readonly CardRun[]): string[] {
  const measured = runs.filter((run) => run.quality !== undefined);
  if (measured.length === 0) return [];
  const lines = [
    "## Quality metrics",
    "",
    "Measured by `charter inspect` (schema `charter-inspect/1`; Charter's `src/quality/inspect-schema.md` defines each metric).",
    "",
    `| metric | ${measured.map((run) => run.overview.name).join(" | ")} |`,
    `| --- |${measured.map(() => " --- |").join("")}`,
  ];
  const comparison = compareReports(measured.map((run) => run.quality as DatasetReport));
  for (const metric of comparison.metrics) {
    const values = metric.values.map((value) =>
      value === null ? "–" : Number.isInteger(value) ? String(value) : value.toFixed(4),
    );
    lines.push(`| \`${metric.metric}\` | ${values.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}

function limitations(runs: readonly CardRun[]): string[] {
  const notes: string[] = [];
  for (const { overview } of runs) {
    const c = overview.counters;
    if (isRehearsal(overview)) {
      notes.push(
        `\`${overview.name}\` was made with Charter's offline rehearsal model: its replies are placeholders for dry runs, not training data.`,
      );
    }
    if (overview.failed !== undefined && overview.failed > 0)
      notes.push(`\`${overview.name}\`: ${overview.failed} items failed and are not in the data.`);
    if (overview.status !== undefined && overview.status !== "complete")
      notes.push(`\`${overview.name}\` has status \`${overview.status}\`.`);
    const prefs = overview.sections.preferences as Record<string, unknown> | undefined;
    if (overview.kind === "judge") {
      const ties = typeof prefs?.ties === "number" ? prefs.ties : c.ties;
      if (ties !== undefined && ties > 0)
        notes.push(
          `\`${overview.name}\`: ${ties} pairs were ties (|P − 0.5| within the tie margin) and are kept apart in \`ties.jsonl\`, not in the preference data.`,
        );
      if (typeof prefs?.longerWon === "number")
        notes.push(
          `\`${overview.name}\`: the longer reply was chosen in ${(prefs.longerWon * 100).toFixed(1)}% of labelled pairs whose replies differ in length; check for length bias before training.`,
        );
      if (typeof prefs?.positionConsistency === "number")
        notes.push(
          `\`${overview.name}\`: the judge's verdict held when the replies' order was swapped in ${(prefs.positionConsistency * 100).toFixed(1)}% of checks.`,
        );
    }
    if (overview.kind === "revise") {
      if (c["no-change"] !== undefined)
        notes.push(
          `\`${overview.name}\`: ${formatNumber(c["no-change"])} critique rounds found nothing to change; ${formatNumber(c.revised ?? 0)} rounds revised.`,
        );
      if (c.rejected !== undefined && c.rejected > 0)
        notes.push(
          `\`${overview.name}\`: ${c.rejected} steps were rejected by the constitution's rules (the previous reply was kept).`,
        );
      if (c["pairs-skipped-unrevised"] !== undefined)
        notes.push(
          `\`${overview.name}\`: ${c["pairs-skipped-unrevised"]} items were never revised and have no pair in \`pairs.jsonl\`.`,
        );
    }
  }
  notes.push(
    "All replies, critiques and labels were written by language models, and carry those models' errors and biases.",
  );
  return notes;
}

function loading(files: readonly DataFile[]): string {
  const lines = ["## How to load it", "", "```python", "from datasets import load_dataset", ""];
  for (const file of files)
    lines.push(
      `${file.config.replace(/-/g, "_")} = load_dataset("json", data_files={"train": "${file.path}"}, split="train")`,
    );
  lines.push("```", "");
  const formatOf = (file: DataFile): string => String(file.run.settings.format ?? "trl");
  const sft = files.find((file) => file.name === "sft.jsonl");
  const pairs = files.find(
    (file) => file.name === "preferences.jsonl" || file.name === "pairs.jsonl",
  );
  if (sft !== undefined) {
    const format = formatOf(sft);
    lines.push(
      format === "trl"
        ? `\`${sft.path}\` is in TRL's conversational format (\`messages\`), which \`trl.SFTTrainer\` reads as it is: \`SFTTrainer(model=..., train_dataset=${sft.config.replace(/-/g, "_")})\`.`
        : `\`${sft.path}\` is in the \`${format}\` format (see Charter's README for its fields).`,
      "",
    );
  }
  if (pairs !== undefined) {
    const format = formatOf(pairs);
    lines.push(
      format === "trl" || format === "trl-chat" || pairs.name === "pairs.jsonl"
        ? `\`${pairs.path}\` has \`prompt\`, \`chosen\` and \`rejected\`, the preference format \`trl.DPOTrainer\` (and the other TRL preference trainers) read: \`DPOTrainer(model=..., train_dataset=${pairs.config.replace(/-/g, "_")})\`.`
        : `\`${pairs.path}\` is in the \`${format}\` format (see Charter's README for its fields).`,
      "",
    );
  }
  return lines.join("\n");
}

/** The dataset card's text. */
export async function renderDatasetCard(
  runs: readonly CardRun[],
  options: CardOptions,
): Promise<string> {
  const files = await dataFilesOf(runs, options.cardFolder);
  const names = [
    ...new Set(
      runs.map((run) => run.overview.constitution?.name).filter((name) => name !== undefined),
    ),
  ];
  const sections = [
    metadata(runs, files),
    `# ${names.join(", ") || "Charter"} constitutional AI data`,
    "",
    `Synthetic training data made by [Charter](https://www.npmjs.com/package/charter) from a written constitution: ${runs.map((run) => describeKind(run.overview)).join("; ")}.`,
    "",
    "## Files",
    "",
    "| config | file | rows |",
    "| --- | --- | --- |",
    ...files.map((file) => `| ${file.config} | \`${file.path}\` | ${formatNumber(file.rows)} |`),
    "",
    "## How it was made",
    "",
    ...runs.map(provenance),
    ...qualityMetrics(runs),
    "## Known limitations",
    "",
    ...limitations(runs).map((note) => `- ${note}`),
    "",
    loading(files),
  ];
  return sections.join("\n");
}

function describeKind(run: RunOverview): string {
  switch (run.kind) {
    case "revise":
      return `\`${run.name}\` holds supervised fine-tuning data from critique-and-revision (Phase 1): each prompt's first reply was critiqued against sampled principles and revised`;
    case "judge":
      return `\`${run.name}\` holds preference labels (Phase 2, RLAIF): a judge model compared reply pairs under sampled principles, in both orders`;
    case "score":
      return `\`${run.name}\` holds rubric scores of replies`;
    case "other":
      return `\`${run.name}\` is a \`${run.command ?? "charter"}\` run`;
  }
}
