// `charter import hf|langchain FILE`: principles people already have, as a .charter file.

import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { CharterError, UsageError } from "../../errors.js";
import {
  codeFrame,
  compileSource,
  importHuggingFace,
  importLangChain,
  renderDiagnostics,
  type ImportDiagnostic,
  type ImportOptions,
  type ImportResult,
} from "../../dsl/index.js";
import type { CliIO, Command } from "../command.js";
import { parseCommandLine } from "../parse-flags.js";

const HELP = `usage: charter import hf|langchain FILE [-o OUT] [--name NAME] [--version V]

Converts principles from another format into .charter source (printed, or written to OUT).

  hf          a Hugging Face CAI constitution.json: {"constitutions": [{"critic", "revision"}],
              "system_chat": [...]}; each entry becomes principle hf.pNN with critique and
              revise, and each few-shot conversation an example of the principle it uses
  langchain   a JSON list of LangChain principles {name, critique_request, revision_request}

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

function render(entry: ImportDiagnostic, text: string): string {
  const { file, start } = entry.range;
  return `${file}:${start.line}:${start.column}: ${entry.severity}[${entry.code}]: ${entry.message}\n${codeFrame(text, entry.range)}\n`;
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
      throw new UsageError("expected: charter import hf|langchain FILE [-o OUT]");
    }
    const importer = IMPORTERS[format];
    if (importer === undefined) {
      throw new UsageError(`unknown format '${format}' (expected hf or langchain)`);
    }
    let text: string;
    try {
      text = readFileSync(resolve(io.cwd, file), "utf8");
    } catch (error) {
      throw new CharterError("file-not-readable", `cannot read ${file}`, { cause: error });
    }
    const options: ImportOptions = {
      file,
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.version !== undefined ? { version: values.version } : {}),
    };
    const result = importer(text, options);
    for (const entry of result.diagnostics) io.stderr.write(render(entry, text));
    const errors = result.diagnostics.filter((entry) => entry.severity === "error").length;
    if (result.text === "") {
      io.stderr.write(`charter import: nothing imported from ${file}\n`);
      return 1;
    }
    // The output must pass `charter check`; say so loudly if a name or version given here breaks it.
    const shownAs = values.out ?? `${format}-import.charter`;
    const checked = compileSource(result.text, { filename: shownAs, readFile: () => undefined });
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
