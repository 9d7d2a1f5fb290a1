// The one flag parser every command uses: node:util parseArgs, with its mistakes turned into short
// usage errors (what was wrong, the nearest flag, the command's one-line usage) rather than Node's text.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { nearMiss } from "../did-you-mean.js";
import { UsageError } from "../errors.js";
import type { CliIO } from "./command.js";

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
type StrictConfig<T extends FlagOptions> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: T;
};

/** The usage line(s) of a command's help: its opening lines, up to the first blank one. */
export function usageOf(help: string): string {
  const blank = help.search(/\n\s*\n/);
  return (blank < 0 ? help : help.slice(0, blank)).trimEnd();
}

/** The help's own line for `--name` (trimmed), when the help lists it. */
export function flagHelpLine(help: string, name: string): string | undefined {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*(?:-\\w, )?--${escaped}(?:[ =].*)?$`, "m").exec(help)?.[0].trim();
}

/**
 * A usage error (exit 2) saying `message`, then the command's usage line and where its full
 * help is: a new user sees what was wrong and the shape of a right call, not forty lines of help.
 */
export function usageError(message: string, help: string): UsageError {
  const usage = usageOf(help);
  const command = /^usage: (charter(?: [a-z][\w-]*)?)/.exec(usage)?.[1];
  const more = command === undefined ? "" : `\nrun '${command} --help' for every option`;
  return new UsageError(`${message}\n${usage}${more}`);
}

/** `--name`, or `-n` for a one-letter flag, as a user types it. */
function dashed(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** parseArgs' error in our words: the flag it is about, and the nearest known flag. */
function explain(error: unknown, argv: readonly string[], options: FlagOptions): string {
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    let given = /'(-[^'=]*)/.exec(text)?.[1] ?? text;
    // `-prompts` reaches parseArgs as the short flags -p -r -o...; name the word as typed.
    if (!given.startsWith("--"))
      given = argv.find((arg) => /^-[^-]/.test(arg) && arg.includes(given.slice(1), 1)) ?? given;
    const bare = given.replace(/^-+/, "").split("=")[0] ?? "";
    const shorts = Object.values(options).flatMap((option) =>
      option.short === undefined ? [] : [option.short],
    );
    const near = nearMiss(bare, bare.length === 1 ? shorts : Object.keys(options));
    return `unknown option ${given}${near === undefined ? "" : ` (did you mean ${dashed(near)}?)`}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const flag = /(--[\w-]+)/.exec(text)?.[1];
    if (flag === undefined) return text;
    const name = flag.slice(2);
    return options[name]?.type === "boolean"
      ? `option ${flag} takes no value`
      : `option ${flag} needs a value`;
  }
  return text;
}

/**
 * parseArgs (strict, positionals allowed) with unknown flags and missing values reported as usage
 * errors (exit 2): what was wrong, a did-you-mean, then the command's usage line.
 */
export function parseFlags<T extends FlagOptions>(
  argv: readonly string[],
  options: T,
  help: string,
): ReturnType<typeof parseArgs<StrictConfig<T>>> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    const message = explain(error, argv, options);
    const flag = /(--[\w-]+) needs a value/.exec(message)?.[1];
    const line = flag === undefined ? undefined : flagHelpLine(help, flag.slice(2));
    throw usageError(line === undefined ? message : `${message}\n  ${line}`, help);
  }
}

const HELP_FLAG = { help: { type: "boolean", short: "h" } } as const;

/**
 * parseFlags plus `-h/--help` for every command: undefined after printing the help when it was
 * asked for (the command then exits 0), before positionals are looked at.
 */
export function parseCommandLine<T extends FlagOptions>(
  argv: readonly string[],
  options: T,
  help: string,
  io: Pick<CliIO, "stdout">,
): ReturnType<typeof parseArgs<StrictConfig<T & typeof HELP_FLAG>>> | undefined {
  const parsed = parseFlags(argv, { ...options, ...HELP_FLAG }, help);
  if ((parsed.values as { help?: unknown }).help === true) {
    io.stdout.write(help);
    return undefined;
  }
  return parsed;
}
