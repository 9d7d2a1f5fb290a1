// The one flag parser every command uses: node:util parseArgs with mistakes as usage errors.

import { parseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";

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
