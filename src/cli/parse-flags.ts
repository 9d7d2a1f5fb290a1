// The one flag parser every command uses: node:util parseArgs with mistakes as usage errors.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";
import type { CliIO } from "./command.js";

type FlagOptions = NonNullable<ParseArgsConfig["options"]>;
type StrictConfig<T extends FlagOptions> = {
  args: string[];
  allowPositionals: true;
  strict: true;
  options: T;
};

/**
 * parseArgs (strict, positionals allowed) with unknown flags and missing values reported as usage
 * errors (exit 2): parseArgs' message, then the command's help.
 */
export function parseFlags<T extends FlagOptions>(
  argv: readonly string[],
  options: T,
  help: string,
): ReturnType<typeof parseArgs<StrictConfig<T>>> {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${help}`);
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
