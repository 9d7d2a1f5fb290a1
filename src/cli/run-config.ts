// Run settings from three places, in precedence order: constitution `defaults` < config file < flags.
// Shared by `charter revise` and `charter judge`, so both read config files and report errors alike.

import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
// Straight from its module, not through the dsl's index: reading a YAML config file (inspect reads
// them too) must not load the language.
import { yamlPackage } from "../dsl/documents/yaml-package.js";
import { UsageError } from "../errors.js";
import { checkInputFile } from "./input-file.js";

/** File names looked for in the working directory when `--config` is not given. */
export const CONFIG_FILE_NAMES: readonly string[] = [
  "charter.config.json",
  "charter.config.yaml",
  "charter.config.yml",
];

/** Where a setting's value came from, for messages and `--help` output. */
export type SettingOrigin = "flag" | "config" | "constitution" | "default";

export interface LoadedConfig {
  /** Absolute path of the file read, or undefined when there was none. */
  readonly path?: string;
  /** Keys for this command: top-level keys, overridden by the command's own section. */
  readonly values: Readonly<Record<string, unknown>>;
  /** Keys this command does not know (probably meant for another command, or misspelt). */
  readonly ignored: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `yaml`'s parse, loaded only for a YAML config file (~30 ms of start-up otherwise). */
function parseYaml(text: string): unknown {
  return yamlPackage().parse(text);
}

function parseConfigText(text: string, path: string): unknown {
  const extension = extname(path).toLowerCase();
  try {
    return extension === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot parse config file ${path}: ${reason}`, { cause: error });
  }
}

/**
 * Reads the config file for `command`. The file is a JSON or YAML object whose keys are the
 * long flag names (`revisions`, `concurrency`, `model`...); a section named after the command
 * (`revise: {...}`, `judge: {...}`) overrides the top level for that command only.
 *
 * @example
 * loadRunConfig({ command: "revise", knownKeys: ["seed"], cwd: process.cwd() })
 */
export function loadRunConfig(options: {
  readonly command: string;
  readonly knownKeys: readonly string[];
  readonly cwd: string;
  /** `--config FILE`; when absent, the first of CONFIG_FILE_NAMES in `cwd` is used if any. */
  readonly file?: string;
  /** Section names of other commands, skipped at the top level rather than reported. */
  readonly otherSections?: readonly string[];
}): LoadedConfig {
  let path: string | undefined;
  if (options.file !== undefined) {
    path = resolve(options.cwd, options.file);
    checkInputFile("--config", options.file, options.cwd);
  } else {
    path = CONFIG_FILE_NAMES.map((name) => resolve(options.cwd, name)).find((candidate) =>
      existsSync(candidate),
    );
  }
  if (path === undefined) return { values: {}, ignored: [] };

  const parsed = parseConfigText(readFileSync(path, "utf8"), path);
  if (parsed === null || parsed === undefined) return { path, values: {}, ignored: [] };
  if (!isRecord(parsed))
    throw new UsageError(`config file ${path} must hold an object of settings`);

  const known = new Set(options.knownKeys);
  const sections = new Set([options.command, ...(options.otherSections ?? [])]);
  const values: Record<string, unknown> = {};
  const ignored: string[] = [];
  const take = (source: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(source)) {
      // A command's name holds its section (an object), except `judge`, which may also be the
      // judge models themselves (a name or a list): a setting of `judge`, skipped by the others.
      if (prefix === "" && sections.has(key)) {
        if (isRecord(value) || key !== options.command || !known.has(key)) continue;
      }
      if (known.has(key)) values[key] = value;
      else ignored.push(prefix + key);
    }
  };
  take(parsed, "");
  const own = parsed[options.command];
  if (own !== undefined && !known.has(options.command)) {
    if (!isRecord(own))
      throw new UsageError(`config file ${path}: '${options.command}' must be an object`);
  }
  if (isRecord(own)) take(own, `${options.command}.`);
  return { path, values, ignored };
}

/** A flag value as node:util parseArgs returns it. */
export type FlagValue = string | boolean | readonly (string | boolean)[] | undefined;

/**
 * Looks settings up through flags, then config, then the constitution's `defaults`, then a
 * fallback, converting and checking types with messages that say where a bad value came from.
 */
export class RunSettings {
  constructor(
    private readonly flags: Readonly<Record<string, FlagValue>>,
    private readonly config: LoadedConfig,
    private readonly defaults: Readonly<Record<string, unknown>> = {},
  ) {}

  /** The raw value and its origin, or undefined when no source sets the key. */
  lookup(key: string): { value: unknown; origin: SettingOrigin } | undefined {
    const flag = this.flags[key];
    if (flag !== undefined) return { value: flag, origin: "flag" };
    if (key in this.config.values) return { value: this.config.values[key], origin: "config" };
    if (key in this.defaults) return { value: this.defaults[key], origin: "constitution" };
    return undefined;
  }

  private where(key: string, origin: SettingOrigin): string {
    switch (origin) {
      case "flag":
        return `--${key}`;
      case "config":
        return `'${key}' in ${this.config.path ?? "the config file"}`;
      case "constitution":
        return `'${key}' in the constitution's defaults`;
      case "default":
        return key;
    }
  }

  string<T extends string>(key: string, fallback: T, choices?: readonly T[]): T;
  string(key: string): string | undefined;
  string(key: string, fallback?: string, choices?: readonly string[]): string | undefined {
    const found = this.lookup(key);
    if (found === undefined) return fallback;
    const { value, origin } = found;
    if (typeof value !== "string" && typeof value !== "number")
      throw new UsageError(`${this.where(key, origin)} must be a string`);
    const text = String(value);
    if (choices !== undefined && !choices.includes(text))
      throw new UsageError(
        `${this.where(key, origin)} must be one of ${choices.join(", ")} (got '${text}')`,
      );
    return text;
  }

  number(key: string, fallback: number, limits?: NumberLimits): number;
  number(key: string, fallback?: undefined, limits?: NumberLimits): number | undefined;
  number(key: string, fallback?: number, limits: NumberLimits = {}): number | undefined {
    const found = this.lookup(key);
    if (found === undefined) return fallback;
    const { value, origin } = found;
    const number = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    const where = this.where(key, origin);
    if (typeof number !== "number" || !Number.isFinite(number))
      throw new UsageError(`${where} must be a number (got ${JSON.stringify(value)})`);
    if (limits.integer === true && !Number.isInteger(number))
      throw new UsageError(`${where} must be a whole number (got ${number})`);
    if (limits.min !== undefined && number < limits.min)
      throw new UsageError(`${where} must be at least ${limits.min} (got ${number})`);
    if (limits.max !== undefined && number > limits.max)
      throw new UsageError(`${where} must be at most ${limits.max} (got ${number})`);
    return number;
  }

  boolean(key: string, fallback: boolean): boolean {
    const found = this.lookup(key);
    if (found === undefined) return fallback;
    const { value, origin } = found;
    if (typeof value === "boolean") return value;
    if (value === "true") return true;
    if (value === "false") return false;
    throw new UsageError(`${this.where(key, origin)} must be true or false`);
  }

  /** Where a key's value comes from. */
  origin(key: string): SettingOrigin {
    return this.lookup(key)?.origin ?? "default";
  }
}

export interface NumberLimits {
  readonly min?: number;
  readonly max?: number;
  readonly integer?: boolean;
}
