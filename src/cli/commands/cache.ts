// `charter cache info|clear`: what the response cache holds, and emptying it.

import { cacheInfo, clearCache, resolveCacheDir } from "../../providers/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine, usageError } from "../parse-flags.js";

const HELP = `usage: charter cache info [--cache-dir DIR] [--json]
       charter cache clear [--cache-dir DIR]

The response cache holds one file per model request already answered, so a rerun with the same
inputs makes no calls and gives the same bytes. It never holds an API key.

  info              entries, size and folder
  clear             delete every entry (only cache files: other files in the folder stay)
  --cache-dir DIR   the cache folder (default CHARTER_CACHE_DIR, else .charter/cache)
  --json            info as JSON
`;

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}

const FLAGS = {
  "cache-dir": { type: "string" },
  json: { type: "boolean" },
} as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const [action, ...extra] = positionals;
    if (extra.length > 0) throw usageError(`unexpected argument '${extra[0] ?? ""}'`, HELP);
    const dir = resolveCacheDir(io.cwd, io.env, values["cache-dir"]);
    switch (action) {
      case "info": {
        const info = await cacheInfo(dir);
        io.stdout.write(
          values.json === true
            ? `${JSON.stringify(info)}\n`
            : `cache: ${info.dir}\nentries: ${info.entries}\nsize: ${formatBytes(info.bytes)}\n`,
        );
        return 0;
      }
      case "clear": {
        const removed = await clearCache(dir);
        io.stdout.write(
          `cleared ${removed.entries} ${removed.entries === 1 ? "entry" : "entries"} (${formatBytes(removed.bytes)}) from ${dir}\n`,
        );
        return 0;
      }
      case undefined:
        throw usageError(`say what to do: info or clear`, HELP);
      default:
        throw usageError(`unknown cache action '${action}': use info or clear`, HELP);
    }
  },
};
export default command;
