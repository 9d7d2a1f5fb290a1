// `charter card RUN... [--out README.md]`: the Hugging Face Hub dataset card for run folders.

import { mkdirSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { UsageError } from "../../errors.js";
import { compileFile } from "../../dsl/index.js";
import { writeFileAtomic } from "../../io/index.js";
import { inspectDataset } from "../../quality/index.js";
import {
  readOverview,
  renderDatasetCard,
  type CardPrinciple,
  type CardRun,
} from "../../report/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter card RUN... [--out README.md]

Writes a Hugging Face Hub dataset card for the run folders: YAML metadata (a license placeholder,
task and size categories, one config per data file) and what made the data (constitution and its
principles, models as served, seed, settings, Charter version), its size, known limitations and
how to load it with datasets and TRL. Data file paths are relative to the card's folder.

  --out FILE   where to write the card (default: print it)
`;

/** The constitution's principles, when the file the run recorded still compiles cleanly. */
async function principlesOf(constitutionFile: unknown): Promise<CardPrinciple[] | undefined> {
  if (typeof constitutionFile !== "string") return undefined;
  const present = await access(constitutionFile).then(
    () => true,
    () => false,
  );
  if (!present) return undefined;
  const { constitution } = await compileFile(constitutionFile);
  if (constitution === undefined) return undefined;
  return constitution.principles.map((principle) => {
    const text = principle.critique ?? principle.compare[0];
    return text === undefined ? { id: principle.id } : { id: principle.id, text };
  });
}

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, { out: { type: "string", short: "o" } }, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    if (positionals.length === 0) throw new UsageError(`name one or more run folders\n\n${HELP}`);
    const out = values.out === undefined ? undefined : resolve(io.cwd, values.out);
    const runs: CardRun[] = [];
    for (const folder of positionals) {
      const overview = await readOverview(resolve(io.cwd, folder));
      const principles = await principlesOf(overview.constitutionFile);
      // A folder inspect cannot read (a score run, an unknown command) has no metrics to show.
      const quality = await inspectDataset(overview.folder, { skipInvalid: true }).catch(
        () => undefined,
      );
      runs.push({
        overview,
        ...(principles === undefined ? {} : { principles }),
        ...(quality === undefined ? {} : { quality }),
      });
    }
    const card = await renderDatasetCard(runs, {
      cardFolder: out === undefined ? io.cwd : dirname(out),
    });
    if (out === undefined) {
      io.stdout.write(card);
    } else {
      mkdirSync(dirname(out), { recursive: true });
      writeFileAtomic(out, card);
      io.stdout.write(
        `dataset card for ${runs.length} run${runs.length === 1 ? "" : "s"} → ${values.out}\n`,
      );
    }
    return 0;
  },
};

export default command;
