// `charter show RUN [ID] [--round N]`: a run's overview, or one item, in the terminal.

import { resolve } from "node:path";
import { CharterError, UsageError } from "../../errors.js";
import { itemText, overviewText, readRun } from "../../report/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";
import { parseCount } from "./report.js";

const HELP = `usage: charter show RUN [ID] [--round N] [--color | --no-color]

Without an id, the run's overview: what ran, items, failures, calls, tokens, cost and time.
With an id, that item: for a Phase 1 item the prompt, the first reply and each round's principle,
critique and revision (changes marked: in colour on a terminal, else [-removed-]{+added+});
for a Phase 2 pair both replies and each principle's verdict per order.

  --round N    only round N of a Phase 1 item
  --color      colour the diff even when not writing to a terminal (--no-color: never)
`;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(
      argv,
      { round: { type: "string" }, color: { type: "boolean" }, "no-color": { type: "boolean" } },
      HELP,
      io,
    );
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const [folder, id, ...extra] = positionals;
    if (folder === undefined) throw new UsageError(`name a run folder\n\n${HELP}`);
    if (extra.length > 0)
      throw new UsageError(
        `one run folder and at most one id, got also: ${extra.join(" ")}\n\n${HELP}`,
      );
    const round = parseCount(values.round, "--round", HELP);
    if (round !== undefined && id === undefined)
      throw new UsageError(`--round needs an item id\n\n${HELP}`);
    const color =
      values["no-color"] === true
        ? false
        : values.color === true || (io.isTTY && io.env.NO_COLOR === undefined);
    const style = { color };
    const report = await readRun(
      resolve(io.cwd, folder),
      id === undefined ? { sampleLimit: 0 } : { detailOf: id },
    );
    if (id === undefined) {
      io.stdout.write(overviewText(report, style));
      return 0;
    }
    const summary = report.items.find((item) => item.id === id);
    if (summary === undefined) {
      const known = report.items
        .slice(0, 5)
        .map((item) => item.id)
        .join(", ");
      throw new CharterError(
        "unknown-item",
        `no item '${id}' in ${folder}${known ? ` (items include: ${known})` : ""}`,
      );
    }
    const detail = report.details.get(id);
    if (
      round !== undefined &&
      detail?.kind === "revise" &&
      !detail.rounds.some((r) => r.round === round)
    ) {
      throw new CharterError(
        "unknown-round",
        `item '${id}' has no round ${round} (rounds: ${detail.rounds.map((r) => r.round).join(", ") || "none"})`,
      );
    }
    io.stdout.write(itemText(summary, detail, round, style));
    return 0;
  },
};

export default command;
