// `charter import cai-paper DIR | hf FILE | langchain FILE`: principles people already have, as a
// .charter file.

import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CharterError, UsageError } from "../../errors.js";
import {
  CAI_PAPER_FILES,
  codeFrame,
  compileSource,
  withChevrotainPath,
  importCaiPaper,
  importHuggingFace,
  importLangChain,
  renderDiagnostics,
  type ImportDiagnostic,
  type ImportOptions,
  type CaiPaperFiles,
  type ImportResult,
} from "../../dsl/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter import cai-paper DIR | hf FILE | langchain FILE [-o OUT] [--name NAME] [--version V]

Converts principles from another format into .charter source (printed, or written to OUT).

  cai-paper   the Constitutional AI paper's prompts/ folder: CritiqueRevisionInstructions.json,
              CritiqueRevisionFewShotPrompts.json, RLMadisonInstructions.json and
              RLMadisonFewShotPrompts.json → critique/revise principles, compare principles,
              the few-shot transcripts and the judge's labelled comparisons
  hf          a Hugging Face CAI constitution.json (llm-swarm): {"constitutions": [{"critic",
              "revision"}], "system_chat": [[messages]...]}; every system_chat turn goes before
              every call (first reply, critique, revision), as the recipe sends them
  langchain   LangChain principles: a list (or a name-keyed object) of {name, critique_request,
              revision_request} (Python) or {name, critiqueRequest, revisionRequest} (JS)

  -o, --out FILE   write the .charter file here instead of stdout
  --name NAME      the constitution's name (default: from the file name)
  --version V      its version (default 0.1.0)

Fields Charter does not read are reported as warnings, never dropped silently.
`;

const IMPORTERS: Readonly<Record<string, (text: string, options: ImportOptions) => ImportResult>> =
  {
    hf: importHuggingFace,
    langchain: importLangChain,
  };

function render(entry: ImportDiagnostic, texts: ReadonlyMap<string, string>): string {
  const { file, start } = entry.range;
  const text = texts.get(file);
  const frame = text === undefined ? "" : `${codeFrame(text, entry.range)}\n`;
  return `${file}:${start.line}:${start.column}: ${entry.severity}[${entry.code}]: ${entry.message}\n${frame}`;
}

function readInput(path: string, shown: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new CharterError("file-not-readable", `cannot read ${shown}`, { cause: error });
  }
}

/** The paper's files found in DIR (each one optional; a missing one is said, not fatal). */
function readPaperDirectory(
  dir: string,
  cwd: string,
  io: CliIO,
): {
  files: CaiPaperFiles;
  texts: Map<string, string>;
} {
  const full = resolve(cwd, dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) {
    throw new UsageError(
      `cai-paper takes the directory holding ${Object.values(CAI_PAPER_FILES).join(", ")}; ${dir} is not a directory`,
    );
  }
  const files: Record<string, { file: string; text: string }> = {};
  const texts = new Map<string, string>();
  for (const [role, name] of Object.entries(CAI_PAPER_FILES)) {
    const shown = join(dir, name);
    if (!existsSync(join(full, name))) {
      io.stderr.write(`charter import: ${shown} not found; nothing of it imported\n`);
      continue;
    }
    const text = readInput(join(full, name), shown);
    files[role] = { file: shown, text };
    texts.set(shown, text);
  }
  return { files: files as CaiPaperFiles, texts };
}

const FLAGS = {
  out: { type: "string", short: "o" },
  name: { type: "string" },
  version: { type: "string" },
} as const;

const command: Command = {
  async run(argv: readonly string[], io: CliIO): Promise<number> {
    const parsed = parseCommandLine(argv, FLAGS, HELP, io);
    if (parsed === undefined) return 0;
    const { values, positionals } = parsed;
    const [format, file, ...extra] = positionals;
    if (format === undefined || file === undefined || extra.length > 0) {
      throw new UsageError(
        "expected: charter import cai-paper DIR | hf FILE | langchain FILE [-o OUT]",
      );
    }
    const importer = IMPORTERS[format];
    if (importer === undefined && format !== "cai-paper") {
      throw new UsageError(`unknown format '${format}' (expected cai-paper, hf or langchain)`);
    }
    const options: ImportOptions = {
      file,
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.version !== undefined ? { version: values.version } : {}),
    };
    let result: ImportResult;
    let texts: Map<string, string>;
    if (importer === undefined) {
      const paper = readPaperDirectory(file, io.cwd, io);
      texts = paper.texts;
      result = importCaiPaper(paper.files, options);
    } else {
      const text = readInput(resolve(io.cwd, file), file);
      texts = new Map([[file, text]]);
      result = importer(text, options);
    }
    for (const entry of result.diagnostics) io.stderr.write(render(entry, texts));
    const errors = result.diagnostics.filter((entry) => entry.severity === "error").length;
    if (result.text === "") {
      io.stderr.write(`charter import: nothing imported from ${file}\n`);
      return 1;
    }
    // The output must pass `charter check`; say so loudly if a name or version given here breaks it.
    const shownAs = values.out ?? `${format}-import.charter`;
    const checked = await withChevrotainPath(() =>
      compileSource(result.text, { filename: shownAs, readFile: () => undefined }),
    );
    const checkErrors = checked.diagnostics.filter((entry) => entry.severity === "error");
    if (checkErrors.length > 0) {
      io.stderr.write(renderDiagnostics(checkErrors, { [shownAs]: result.text }));
    }
    if (values.out !== undefined) {
      writeFileSync(resolve(io.cwd, values.out), result.text);
      io.stderr.write(`charter import: wrote ${values.out}\n`);
    } else {
      io.stdout.write(result.text);
    }
    return errors + checkErrors.length > 0 ? 1 : 0;
  },
};
export default command;
