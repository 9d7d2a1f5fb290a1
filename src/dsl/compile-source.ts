// The compiler's spine, stage by stage: lex -> parse (CST) -> build AST (parse-charter.ts, or
// read-document.ts for YAML/JSON) -> resolve imports (link.ts) -> check (check.ts) -> compile
// (compile-file.ts) -> check the merged whole (check-linked.ts), then the merge and content hash
// here. Never throws on a user's mistakes.

import { existsSync, readFileSync } from "node:fs";
import { dirname, extname, join, resolve } from "node:path";
import type { FileAst, SourceFormat } from "./ast.js";
import { checkFile } from "./check.js";
import { checkLinked } from "./check-linked.js";
import { compileUnit, type CompiledUnit } from "./compile-file.js";
import { COMPILED_SCHEMA, type CompiledConstitution } from "./compiled.js";
import { contentHash } from "./content-hash.js";
import { hasErrors, sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { Linker } from "./link.js";
import { parseCharter } from "./parse-charter.js";
import { readDocument } from "./read-document.js";

export interface CompileOptions {
  /** Path of the source, as shown in diagnostics and locations; imports resolve from it. */
  readonly filename: string;
  /** Defaults to the file extension: .yaml/.yml, .json, anything else .charter. */
  readonly format?: SourceFormat;
  /** Reads an imported file; undefined when it does not exist. Defaults to the real disk. */
  readonly readFile?: (path: string) => string | undefined;
  /**
   * Imports may not leave this directory. Defaults to the nearest directory above the entry
   * file holding package.json or .git (with an injected readFile: package.json), else the entry's
   * own directory.
   */
  readonly root?: string;
  /** Base of relative paths (the default disk reader and root search). Defaults to process.cwd(). */
  readonly cwd?: string;
}

export interface CompileResult {
  /** Present only when there are no errors. */
  readonly constitution?: CompiledConstitution;
  /** Errors and warnings of every file involved, sorted by file and position. */
  readonly diagnostics: Diagnostic[];
}

/** The format a file name implies. */
export function formatOf(filename: string): SourceFormat {
  const extension = extname(filename).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") return "yaml";
  if (extension === ".json") return "json";
  return "charter";
}

function readFromDisk(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function findRoot(filename: string, readFile: CompileOptions["readFile"]): string {
  const start = dirname(filename);
  let directory = start;
  for (;;) {
    const marker =
      readFile === undefined
        ? existsSync(join(directory, "package.json")) || existsSync(join(directory, ".git"))
        : readFile(join(directory, "package.json")) !== undefined;
    if (marker) return directory;
    const parent = dirname(directory);
    if (parent === directory) return start;
    directory = parent;
  }
}

/** Stages 1-3 for any format. */
export function parseSource(text: string, filename: string, format = formatOf(filename)) {
  return format === "charter" ? parseCharter(text, filename) : readDocument(text, filename, format);
}

interface LoadedFile {
  readonly ast: FileAst;
  readonly unit: CompiledUnit;
}

/**
 * Compiles a constitution from text. Diagnostics are data; the constitution is absent when any
 * diagnostic is an error.
 *
 * @example
 * const { constitution, diagnostics } = compileSource(text, { filename: "harmless.charter" });
 */
export function compileSource(text: string, options: CompileOptions): CompileResult {
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? ((path: string) => readFromDisk(resolve(cwd, path)));
  const root = resolve(
    cwd,
    options.root ?? findRoot(resolve(cwd, options.filename), options.readFile),
  );
  const diagnostics: Diagnostic[] = [];
  const loaded = new Map<string, LoadedFile>();
  let quiet = false;

  const load = (file: string, source: string, format: SourceFormat, entry: boolean): LoadedFile => {
    const parsed = parseSource(source, file, format);
    diagnostics.push(...parsed.diagnostics);
    diagnostics.push(...checkFile(parsed.ast, source, entry));
    if (parsed.ast.hasSyntaxErrors) quiet = true;
    const result = { ast: parsed.ast, unit: compileUnit(parsed.ast) };
    loaded.set(file, result);
    return result;
  };

  const entry = load(options.filename, text, options.format ?? formatOf(options.filename), true);
  const linker = new Linker(
    (file) => {
      const known = loaded.get(file);
      if (known !== undefined) return known.unit;
      const source = readFile(file);
      return source === undefined ? undefined : load(file, source, formatOf(file), false).unit;
    },
    root,
    cwd,
    () => quiet,
  );
  const exports = linker.exportsOf(entry.unit);
  diagnostics.push(...linker.diagnostics);
  if (!hasErrors(diagnostics)) diagnostics.push(...checkLinked(exports));
  const sorted = sortDiagnostics(diagnostics);
  const header = entry.unit.header;
  if (hasErrors(sorted) || header === undefined) return { diagnostics: sorted };

  const body: Omit<CompiledConstitution, "hash"> = {
    schema: COMPILED_SCHEMA,
    name: header.name,
    version: header.version,
    ...(entry.unit.about !== undefined ? { about: entry.unit.about } : {}),
    file: options.filename,
    imports: exports.files,
    defaults: exports.defaults,
    principles: [...exports.principles.values()].map((item) => item.value),
    rules: [...exports.rules.values()].map((item) => item.value),
    rubrics: [...exports.rubrics.values()].map((item) => item.value),
    templates: Object.fromEntries(
      [...exports.templates.values()].map((item) => [item.value.name, item.value]),
    ),
    // Only when present, so constitutions without few-shot sets keep their hash.
    ...(exports.fewShots.size > 0
      ? { fewShots: [...exports.fewShots.values()].map((item) => item.value) }
      : {}),
  };
  const { schema, name, version, ...rest } = body;
  const constitution: CompiledConstitution = {
    schema,
    name,
    version,
    hash: contentHash(body),
    ...rest,
  };
  return { constitution, diagnostics: sorted };
}

/** Reads `path` from disk (or `options.readFile`) and compiles it. */
export async function compileFile(
  path: string,
  options: Omit<CompileOptions, "filename"> = {},
): Promise<CompileResult> {
  const cwd = options.cwd ?? process.cwd();
  const readFile = options.readFile ?? ((name: string) => readFromDisk(resolve(cwd, name)));
  const text = readFile(path);
  if (text === undefined) {
    const start = { line: 1, column: 1, offset: 0 };
    return {
      diagnostics: [
        {
          code: "import-not-found",
          severity: "error",
          message: `cannot read \`${path}\``,
          range: { file: path, start, end: start },
        },
      ],
    };
  }
  return compileSource(text, { ...options, filename: path });
}
