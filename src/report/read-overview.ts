// Reads a run folder's manifest.json and stats.json into a RunOverview, defensively: every field
// is optional, unknown sections are kept as they are, and a missing or broken file is a note, so
// an empty, failed or unfinished run (or one from a newer Charter) still renders.

import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import type { FailureNote, RunKind, RunOverview } from "./run-data.js";

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function number(value: unknown): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

async function readJsonFile(file: string, notes: string[]): Promise<Json | undefined> {
  let body: string;
  try {
    body = await readFile(file, "utf8");
  } catch {
    notes.push(`${basename(file)} is missing`);
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(body);
    if (isRecord(value)) return value;
    notes.push(`${basename(file)} is not a JSON object`);
  } catch (error) {
    notes.push(`${basename(file)} is not valid JSON: ${(error as Error).message}`);
  }
  return undefined;
}

/** The run type from the manifest's command; anything unknown is "other". */
export function runKind(command: string | undefined): RunKind {
  switch (command) {
    case "revise":
    case "judge":
    case "score":
      return command;
    default:
      return "other";
  }
}

/** Models named in the settings, wherever a phase keeps them (`model`, `judges[].model`, ...). */
function modelsOf(settings: Json): string[] {
  const models = new Set<string>();
  const visit = (value: unknown, key: string): void => {
    if (typeof value === "string" && /^(model|judge|policy|grader|scorer)s?$/i.test(key)) {
      models.add(value);
    } else if (Array.isArray(value)) {
      for (const entry of value) visit(entry, key);
    } else if (isRecord(value)) {
      for (const [name, entry] of Object.entries(value)) visit(entry, name);
    }
  };
  visit(settings, "");
  return [...models];
}

function constitutionOf(manifest: Json, settings: Json): RunOverview["constitution"] {
  const info = isRecord(manifest.manifestInfo) ? manifest.manifestInfo : {};
  for (const candidate of [settings.constitution, info.constitution]) {
    if (isRecord(candidate)) {
      const name = text(candidate.name);
      const version = text(candidate.version);
      const hash = text(candidate.hash);
      return {
        ...(name === undefined ? {} : { name }),
        ...(version === undefined ? {} : { version }),
        ...(hash === undefined ? {} : { hash }),
      };
    }
  }
  const hash = text(settings.constitution);
  return hash === undefined ? undefined : { hash };
}

function failuresOf(stats: Json): FailureNote[] {
  if (!Array.isArray(stats.failures)) return [];
  return stats.failures.filter(isRecord).map((failure) => ({
    id: text(failure.id) ?? String(failure.index ?? "?"),
    code: text(failure.code) ?? "error",
    message: text(failure.message) ?? "",
  }));
}

function countersOf(stats: Json): Record<string, number> {
  const counters: Record<string, number> = {};
  if (!isRecord(stats.counters)) return counters;
  for (const [name, value] of Object.entries(stats.counters)) {
    const count = number(value);
    if (count !== undefined) counters[name] = count;
  }
  return counters;
}

const STATS_CORE = new Set([
  "items",
  "done",
  "failed",
  "failures",
  "resumed",
  "counters",
  "timing",
]);

async function filesOf(folder: string): Promise<{ name: string; bytes: number }[]> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const files: { name: string; bytes: number }[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || entry.name.startsWith(".")) continue;
    const info = await stat(join(folder, entry.name)).catch(() => undefined);
    if (info !== undefined) files.push({ name: entry.name, bytes: info.size });
  }
  return files.sort((a, b) => a.name.localeCompare(b.name));
}

/** The overview of one run folder; never throws for a missing or damaged file. */
export async function readOverview(folder: string): Promise<RunOverview> {
  const notes: string[] = [];
  const manifest = (await readJsonFile(join(folder, "manifest.json"), notes)) ?? {};
  const stats = (await readJsonFile(join(folder, "stats.json"), notes)) ?? {};
  const settings = isRecord(manifest.settings) ? manifest.settings : {};
  const timing = isRecord(stats.timing) ? stats.timing : {};
  const command = text(manifest.command);
  const status = text(manifest.status);
  if (status !== undefined && status !== "complete") notes.push(`run status: ${status}`);
  const sections: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(stats)) {
    if (!STATS_CORE.has(key) && key !== "servedModels") sections[key] = value;
  }
  const served = Array.isArray(stats.servedModels)
    ? stats.servedModels.filter((m) => typeof m === "string")
    : [];
  const constitution = constitutionOf(manifest, settings);
  const seed = number(manifest.seed);
  const charterVersion = text(manifest.charterVersion);
  const startedAt = text(timing.startedAt) ?? text(manifest.startedAt);
  const finishedAt = text(timing.finishedAt) ?? text(manifest.finishedAt);
  const elapsedMs = number(timing.elapsedMs);
  const info = isRecord(manifest.manifestInfo) ? manifest.manifestInfo : {};
  const inputFile = text(info.prompts) ?? text(info.input) ?? text(info.pairs);
  const constitutionFile = text(info.constitutionFile);
  const items = number(stats.items);
  const done = number(stats.done);
  const failed = number(stats.failed);
  return {
    folder,
    name: basename(folder),
    kind: runKind(command),
    ...(command === undefined ? {} : { command }),
    ...(status === undefined ? {} : { status }),
    ...(constitution === undefined ? {} : { constitution }),
    models: modelsOf(settings),
    servedModels: served,
    ...(seed === undefined ? {} : { seed }),
    ...(charterVersion === undefined ? {} : { charterVersion }),
    settings,
    ...(inputFile === undefined ? {} : { inputFile }),
    ...(constitutionFile === undefined ? {} : { constitutionFile }),
    ...(startedAt === undefined ? {} : { startedAt }),
    ...(finishedAt === undefined ? {} : { finishedAt }),
    ...(elapsedMs === undefined ? {} : { elapsedMs }),
    ...(items === undefined ? {} : { items }),
    ...(done === undefined ? {} : { done }),
    ...(failed === undefined ? {} : { failed }),
    failures: failuresOf(stats),
    counters: countersOf(stats),
    sections,
    outputFiles: Array.isArray(manifest.outputFiles)
      ? manifest.outputFiles.filter((file): file is string => typeof file === "string")
      : [],
    files: await filesOf(folder),
    notes,
  };
}

export { isRecord, text, number };
