// Diagnostics for the editor, for the files in the open documents' import graphs: each file's own
// problems, the problems linking found (put in the file they concern), and on each `import` a
// summary of the errors inside the imported files, so a mistake in a library shows where it is
// used as well as where it is.

import type {
  Diagnostic as LspDiagnostic,
  DiagnosticRelatedInformation,
} from "vscode-languageserver";
import { DiagnosticSeverity } from "vscode-languageserver";
import type { Diagnostic, DiagnosticRange } from "../dsl/index.js";
import { sortDiagnostics } from "../dsl/index.js";
import { rangeFromLines } from "./positions.js";
import type { Project } from "./project.js";
import { pathToUri } from "./sources.js";

/** The LSP-only code of the summary an `import` carries for errors in the files it pulls in. */
export const IMPORT_HAS_ERRORS = "import-has-errors";

/** How many of an imported file's errors the summary lists as related places. */
const RELATED_LIMIT = 5;

/** What `diagnostic.data` carries for the code actions. */
export interface DiagnosticData {
  readonly suggestion?: string;
}

/**
 * The compiler diagnostics of every file in the open documents' import graphs, sorted; files
 * without any too. Each file nothing there imports is compiled as a constitution's entry, which
 * checks every file it reaches in its role; files only reachable through a cycle are compiled
 * from themselves so their problems still show.
 */
export function compilerDiagnostics(project: Project): Map<string, Diagnostic[]> {
  const known = project.diagnose();
  const importers = project.importers(known);
  const covered = new Set<string>();
  const all: Diagnostic[] = [];
  const compile = (root: string): void => {
    for (const file of project.closure([root])) covered.add(file);
    all.push(...project.compile(root).diagnostics);
  };
  for (const path of known) if (!importers.has(path)) compile(path);
  for (const path of known) if (!covered.has(path)) compile(path);
  const byFile = new Map<string, Diagnostic[]>(known.map((path) => [path, []]));
  for (const entry of sortDiagnostics(all)) {
    const list = byFile.get(entry.range.file) ?? [];
    list.push(entry);
    byFile.set(entry.range.file, list);
  }
  return byFile;
}

/** LSP diagnostics per file: the compiler's, plus the import summaries. */
export function editorDiagnostics(project: Project): Map<string, LspDiagnostic[]> {
  const compiled = compilerDiagnostics(project);
  const result = new Map<string, LspDiagnostic[]>();
  for (const [path, diagnostics] of compiled) {
    result.set(
      path,
      diagnostics.map((entry) => toLsp(project, entry)),
    );
  }
  for (const path of compiled.keys()) {
    const model = project.model(path);
    if (model === undefined) continue;
    for (const edge of model.imports) {
      const errors = project
        .closure([edge.target])
        .flatMap((file) => compiled.get(file) ?? [])
        .filter((entry) => entry.severity === "error");
      if (errors.length === 0) continue;
      const first = errors[0] as Diagnostic;
      const count = errors.length === 1 ? "1 error" : `${errors.length} errors`;
      result.get(path)?.push({
        range: model.lines.range(edge.decl.path.range),
        severity: DiagnosticSeverity.Error,
        code: IMPORT_HAS_ERRORS,
        source: "charter",
        message: `\`${edge.decl.path.value}\` has ${count}: ${place(first.range)}: ${first.message}`,
        relatedInformation: errors
          .slice(0, RELATED_LIMIT)
          .map((entry) => related(project, entry.message, entry.range)),
      });
    }
  }
  return result;
}

const place = (range: DiagnosticRange): string =>
  `${range.file.split(/[\\/]/).pop() ?? range.file}:${range.start.line}:${range.start.column}`;

function lspRange(project: Project, range: DiagnosticRange) {
  const model = project.model(range.file);
  return model === undefined ? rangeFromLines(range) : model.lines.range(range);
}

function related(
  project: Project,
  message: string,
  range: DiagnosticRange,
): DiagnosticRelatedInformation {
  return { location: { uri: pathToUri(range.file), range: lspRange(project, range) }, message };
}

/** One compiler diagnostic in LSP terms; the suggestion rides along for the code action. */
export function toLsp(project: Project, entry: Diagnostic): LspDiagnostic {
  const extra = [
    entry.expected === undefined ? "" : `expected ${entry.expected}`,
    entry.suggestion === undefined ? "" : `did you mean \`${entry.suggestion}\`?`,
  ].filter((part) => part !== "" && !entry.message.includes(part));
  const data: DiagnosticData =
    entry.suggestion === undefined ? {} : { suggestion: entry.suggestion };
  return {
    range: lspRange(project, entry.range),
    severity: entry.severity === "error" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: entry.code,
    source: "charter",
    message: extra.length === 0 ? entry.message : `${entry.message} (${extra.join("; ")})`,
    ...(entry.related !== undefined && entry.related.length > 0
      ? {
          relatedInformation: entry.related.map((item) =>
            related(project, item.message, item.range),
          ),
        }
      : {}),
    data,
  };
}
