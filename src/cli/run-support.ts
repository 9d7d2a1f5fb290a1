// What the run commands (`revise`, `judge`) share besides flags and config: loading the
// constitution (compiled JSON or source), counting input lines, progress on stderr, SDK versions.

import { createReadStream, readFileSync } from "node:fs";
import { parseArgs, type ParseArgsConfig } from "node:util";
import {
  COMPILED_SCHEMA,
  compileFile,
  type CompiledConstitution,
  type Diagnostic,
} from "../dsl/index.js";
import { CharterError, UsageError } from "../errors.js";
import type { RunProgress, RunSummary } from "../runtime/index.js";
import type { CliIO } from "./command.js";
import {
  loadRunConfig,
  type FlagValue,
  type LoadedConfig,
  type RunSettings,
} from "./run-config.js";

/** A constitution with errors: the run cannot start. The message lists them with places. */
export class ConstitutionError extends CharterError {
  readonly diagnostics: readonly Diagnostic[];

  constructor(path: string, diagnostics: readonly Diagnostic[]) {
    const errors = diagnostics.filter((entry) => entry.severity === "error");
    const lines = errors.map(
      (entry) =>
        `  ${entry.range.file}:${entry.range.start.line}:${entry.range.start.column}: ${entry.code}: ${entry.message}`,
    );
    super(
      "constitution-has-errors",
      `${path} has ${errors.length} error(s) (run 'charter check ${path}' for details):\n${lines.join("\n")}`,
    );
    this.diagnostics = diagnostics;
  }
}

/**
 * The compiled constitution: `charter compile` output (JSON with schema charter/1) is read as
 * is; `.charter`, `.yaml` and other `.json` files go through the compiler.
 */
export async function loadConstitution(path: string): Promise<CompiledConstitution> {
  if (path.endsWith(".json")) {
    let value: { schema?: unknown } | undefined;
    try {
      value = JSON.parse(readFileSync(path, "utf8")) as { schema?: unknown };
    } catch {
      value = undefined; // not JSON we can read: let the compiler report it with a place
    }
    if (value?.schema === COMPILED_SCHEMA) return value as CompiledConstitution;
  }
  const result = await compileFile(path);
  if (result.constitution === undefined) throw new ConstitutionError(path, result.diagnostics);
  return result.constitution;
}

/** Lines in a file (a quick byte scan), for the progress display's total and ETA. */
export async function countLines(path: string): Promise<number | undefined> {
  try {
    let lines = 0;
    let last = 10;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      last = chunk.at(-1) ?? last;
    }
    return last === 10 ? lines : lines + 1;
  } catch {
    return undefined;
  }
}

export interface ProgressPrinter {
  update(progress: RunProgress): void;
  finish(): void;
}

/**
 * Progress on stderr: a line rewritten in place on a terminal, a plain line every few seconds
 * otherwise. Throttled by time, so it costs nothing however fast items finish.
 */
export function progressPrinter(io: CliIO, total: number | undefined): ProgressPrinter {
  const started = Date.now();
  const interval = io.isTTY ? 100 : 5000;
  let lastPrint = 0;
  let latest: RunProgress | undefined;
  const line = (progress: RunProgress): string => {
    const seconds = (Date.now() - started) / 1000;
    const fresh = progress.done + progress.failed - progress.resumed;
    const rate = seconds > 0 ? fresh / seconds : 0;
    const settled = progress.done + progress.failed;
    const remaining = total === undefined ? undefined : Math.max(0, total - settled);
    const eta = remaining !== undefined && rate > 0 ? ` · eta ${Math.ceil(remaining / rate)}s` : "";
    const counter = (name: string): number => progress.counters[name] ?? 0;
    const cost = progress.counters["cost-usd"];
    return (
      `items ${settled}${total === undefined ? "" : `/${total}`} (${progress.failed} failed) · ` +
      `calls ${counter("calls")} · tokens ${counter("input-tokens") + counter("output-tokens")}` +
      `${cost === undefined ? "" : ` · $${cost.toFixed(4)}`} · ${rate.toFixed(1)} items/s${eta}`
    );
  };
  return {
    update(progress) {
      latest = progress;
      const now = Date.now();
      if (now - lastPrint < interval) return;
      lastPrint = now;
      io.stderr.write(io.isTTY ? `\r\x1b[K${line(progress)}` : `${line(progress)}\n`);
    },
    finish() {
      if (latest === undefined) return;
      io.stderr.write(io.isTTY ? `\r\x1b[K${line(latest)}\n` : `${line(latest)}\n`);
    },
  };
}

/** Versions of the SDKs that talk to the models (for the manifest). */
export function sdkVersions(): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of ["openai", "@anthropic-ai/sdk"]) {
    try {
      // src/cli and dist/cli are both two levels below the package root.
      const url = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
      versions[name] = (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
    } catch {
      versions[name] = "unknown";
    }
  }
  return versions;
}

/** 12,345 */
export function formatCount(value: number): string {
  return value.toLocaleString("en-US");
}

/** What a run command needs to read its flags and config file. */
export interface RunCommandSpec {
  readonly command: string;
  readonly options: NonNullable<ParseArgsConfig["options"]>;
  readonly help: string;
  readonly knownKeys: readonly string[];
  /** The other commands' config sections, skipped rather than reported. */
  readonly otherSections: readonly string[];
}

/**
 * Parses a run command's flags and loads its config file, warning about config keys it does not
 * know. Undefined when `--help` was asked for (the help is printed).
 */
export function readRunFlags(
  argv: readonly string[],
  io: CliIO,
  spec: RunCommandSpec,
): { flags: Record<string, FlagValue>; config: LoadedConfig } | undefined {
  let flags: Record<string, FlagValue>;
  try {
    flags = parseArgs({
      args: [...argv],
      options: spec.options,
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(
      `${error instanceof Error ? error.message : String(error)}\n\n${spec.help}`,
    );
  }
  if (flags.help === true) {
    io.stdout.write(spec.help);
    return undefined;
  }
  const config = loadRunConfig({
    command: spec.command,
    knownKeys: spec.knownKeys,
    cwd: io.cwd,
    otherSections: spec.otherSections,
    ...(typeof flags.config === "string" ? { file: flags.config } : {}),
  });
  for (const key of config.ignored)
    io.stderr.write(
      `charter ${spec.command}: ignoring '${key}' in ${config.path ?? "config"} (not a ${spec.command} setting)\n`,
    );
  return { flags, config };
}

/** A setting that must be given, as a UsageError with the command's help when it is not. */
export function requiredSetting(settings: RunSettings, key: string, help: string): string {
  const value = settings.string(key);
  if (value === undefined || value === "") throw new UsageError(`--${key} is required\n\n${help}`);
  return value;
}

/** The closing lines of a run summary: failed items and skipped input rows, when there are any. */
export function problemLines(
  summary: RunSummary,
  invalid: readonly { readonly file: string; readonly line: number; readonly message: string }[],
): string[] {
  const lines: string[] = [];
  if (summary.failures.length > 0) {
    lines.push(`failed items (${summary.failures.length}):`);
    for (const failure of summary.failures)
      lines.push(`  ${failure.id}: ${failure.code}: ${failure.message}`);
  }
  if (invalid.length > 0) {
    lines.push(`skipped invalid rows (${invalid.length}):`);
    for (const row of invalid) lines.push(`  ${row.file}:${row.line}: ${row.message}`);
  }
  return lines;
}
