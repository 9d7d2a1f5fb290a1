// `charter merge --out DIR SHARD...`: the folders of a sharded revise, judge or score run, merged into one
// folder whose dataset files and trace are in input order, as an unsharded run would write them.

import { resolve } from "node:path";
import { mergedReviseStats } from "../../phase1-revise/index.js";
import { mergedJudgeStats } from "../../phase2-preference/index.js";
import { mergedScoreStats } from "../../score/index.js";
import { promptCacheSection } from "../../providers/index.js";
import { mergeShards, type Manifest, type Stats } from "../../runtime/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine, usageError } from "../parse-flags.js";

const HELP = `usage: charter merge --out DIR SHARD_DIR...

Merges the run folders of a sharded run (one per --shard i/n, every i once) into DIR. Each shard
must have finished; the merged dataset files and trace.jsonl equal those of an unsharded run.
Exit code 1 when the merged run holds failed items (resume their shards, then merge again).

  --out DIR   the merged run folder (new or empty)
`;

/** What each phase adds to stats.json beyond the summed counters, for the merged folder. */
function phaseStats(
  merged: Stats,
  shards: readonly Readonly<Record<string, unknown>>[],
  manifest: Manifest,
): Readonly<Record<string, unknown>> {
  return { ...ownStats(merged, shards, manifest), ...promptCacheSection(merged.counters) };
}

function ownStats(
  merged: Stats,
  shards: readonly Readonly<Record<string, unknown>>[],
  manifest: Manifest,
): Readonly<Record<string, unknown>> {
  switch (manifest.command) {
    case "revise":
      return mergedReviseStats(shards);
    case "judge":
      return mergedJudgeStats(merged.counters, shards);
    case "score":
      return mergedScoreStats(merged.counters, shards, manifest.settings);
    default:
      return {};
  }
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, { out: { type: "string" } }, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (values.out === undefined) throw usageError(`--out DIR is required`, HELP);
    if (positionals.length === 0) throw usageError(`name the shard folders`, HELP);
    const out = resolve(io.cwd, values.out);
    const summary = await mergeShards(
      positionals.map((dir) => resolve(io.cwd, dir)),
      out,
      { extraStats: phaseStats },
    );
    io.stdout.write(
      `merged ${positionals.length} shards into ${values.out}: ${summary.items} items, ${summary.failed} failed\n`,
    );
    return summary.failed > 0 ? 1 : 0;
  },
};

export default command;
