// `charter split FILE --into sft=0.5,pref=0.5 [--by prompt] --out DIR`: disjoint, deterministic
// splits by a hash of the prompt.

import { UsageError } from "../../errors.js";
import { parseShares, runSplit } from "../../quality/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { datasetFormat } from "./inspect.js";

const HELP = `usage: charter split FILE|RUN --into NAME=FRACTION,... [--by prompt|id] --out DIR

Writes DIR/NAME.jsonl per split (input lines copied byte for byte) and DIR/stats.json. A row's
split comes from a seeded hash of its prompt (lower case, whitespace collapsed), so a prompt that
repeats always lands in the same split: no prompt is in two splits. The fractions are the
expected shares of distinct prompts. Same input and seed, same files.

  --into SPEC        e.g. sft=0.5,pref=0.5 (fractions add up to 1)
  --by prompt|id     what decides the split (default prompt)
  --seed N           seed of the hash (default 1)
  --out DIR          output folder (not the input's own folder)
  --format FORMAT    read every row as FORMAT (as inspect)
  --skip-invalid     leave malformed rows out (counted in stats.json) instead of stopping
`;

const FLAGS = {
  into: { type: "string" },
  by: { type: "string" },
  seed: { type: "string" },
  out: { type: "string" },
  format: { type: "string" },
  "skip-invalid": { type: "boolean" },
} as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length !== 1)
      throw new UsageError(`name one dataset file or run folder\n\n${HELP}`);
    if (values.into === undefined) throw new UsageError(`--into is required\n\n${HELP}`);
    if (values.out === undefined) throw new UsageError(`--out DIR is required\n\n${HELP}`);
    const by = values.by ?? "prompt";
    if (by !== "prompt" && by !== "id")
      throw new UsageError(`--by takes prompt or id, got '${by}'`);
    const seed = values.seed === undefined ? 1 : Number(values.seed);
    if (!Number.isInteger(seed))
      throw new UsageError(`--seed takes an integer, got '${values.seed}'`);
    const format = datasetFormat(values.format);
    const stats = await runSplit({
      input: positionals[0]!,
      out: values.out,
      into: parseShares(values.into),
      by,
      seed,
      cwd: io.cwd,
      skipInvalid: values["skip-invalid"] === true,
      ...(format === undefined ? {} : { format }),
    });
    io.stdout.write(
      `split ${stats.rows} rows → ${values.out}: ${stats.splits.map((split) => `${split.name} ${split.rows}`).join(", ")}\n`,
    );
    return 0;
  },
};

export default command;
