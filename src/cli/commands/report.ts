// `charter report RUN... [--out report.html]`: one self-contained HTML report of run folders.

import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { writeFileAtomic } from "../../io/index.js";
import { buildReport, DEFAULT_SAMPLE_LIMIT } from "../../report/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter report RUN... [--out report.html] [--sample N] [--sample-seed S]

Writes one HTML file (every script, style and chart inline; it opens from disk with no network)
showing each run folder (revise, judge, score or any other run): what ran and what it cost, plots,
and a searchable item browser. Several runs are shown side by side.

  --out FILE        where to write the report (default: report.html)
  --sample N        items per run shown in full, a seeded sample (default ${DEFAULT_SAMPLE_LIMIT}); every item keeps a summary
  --sample-seed S   seed of that sample (default: the run's seed)
`;

export function parseCount(
  value: string | undefined,
  flag: string,
  help: string,
): number | undefined {
  if (value === undefined) return undefined;
  const count = Number(value);
  if (!Number.isInteger(count) || count < 0)
    throw new UsageError(`${flag} needs a whole number ≥ 0, got '${value}'\n\n${help}`);
  return count;
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(
      argv,
      {
        out: { type: "string", short: "o" },
        sample: { type: "string" },
        "sample-seed": { type: "string" },
      },
      HELP,
      io,
    );
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError(`name one or more run folders\n\n${HELP}`);
    const sampleLimit = parseCount(values.sample, "--sample", HELP);
    const sampleSeed = parseCount(values["sample-seed"], "--sample-seed", HELP);
    const out = resolve(io.cwd, values.out ?? "report.html");
    const report = await buildReport(
      positionals.map((folder) => resolve(io.cwd, folder)),
      {
        ...(sampleLimit === undefined ? {} : { sampleLimit }),
        ...(sampleSeed === undefined ? {} : { sampleSeed }),
      },
    );
    mkdirSync(dirname(out), { recursive: true });
    writeFileAtomic(out, report.html);
    const items = report.runs.reduce((sum, run) => sum + run.items.length, 0);
    const detailed = report.runs.reduce((sum, run) => sum + run.sample.size, 0);
    io.stdout.write(
      `report of ${report.runs.length} run${report.runs.length === 1 ? "" : "s"} (${items} items, ${detailed} in full) → ${values.out ?? "report.html"} (${Math.round(Buffer.byteLength(report.html) / 1024)} KB)\n`,
    );
    return 0;
  },
};

export default command;
