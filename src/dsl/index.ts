// Front door of the constitution language for the rest of Charter (the CLI, the language server,
// scripts): compiling (one-shot or a workspace), diagnostics, formatting, convert's printers, the
// importers, the AST types. Its internals (lexer, parser, strings, checks) are imported from their
// modules by tests only. The compiled contract is handed on from src/constitution.
export * from "../constitution/index.js";

// The compiler: documents advance parsed -> linked -> checked -> compiled (see workspace.ts).
export {
  compileSource,
  compileFile,
  formatOf,
  type CompileOptions,
  type CompileResult,
} from "./compile-source.js";
export {
  CompilerWorkspace,
  DOCUMENT_STATES,
  type DocumentState,
  type WorkspaceDocument,
  type WorkspaceOptions,
} from "./workspace.js";
export { WorkspaceHost } from "./workspace-host.js";
export { takenByImport, type Exports } from "./compile/link.js";
export type { CharterSyntax } from "./syntax/parse-charter.js";
export {
  DIAGNOSTIC_CODES,
  hasErrors,
  sortDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type DiagnosticPosition,
  type DiagnosticRange,
  type RelatedInformation,
  type Severity,
} from "./diagnostics.js";
/**
 * chevrotain, loaded on use (syntax/chevrotain-slot.ts): the grammar for `npm run grammar`, what
 * editors complete, and the loader the CLI awaits before what parses synchronously needs it.
 */
export {
  keywordSpelling,
  loadChevrotainPath,
  nextTokenTypes,
  serializedGrammar,
  withChevrotainPath,
} from "./syntax/chevrotain-slot.js";
/** For editors (src/lsp completion): where a cursor is in a YAML/JSON constitution. */
export {
  documentCursor,
  type DocumentCursor,
  type DocumentMapping,
} from "./documents/document-cursor.js";
export type * from "./ast.js";
export {
  renderDiagnostics,
  renderDiagnostic,
  formatDiagnosticsCompact,
  summarizeDiagnostics,
  codeFrame,
  type SourceLookup,
} from "./render-diagnostics.js";
export { toCharterSource, toYaml, toJson, toDocument } from "./print/print-source.js";

// Formatting (`charter fmt`) and foreign-format importers (`charter import`).
export { formatSource, formatParsed, type FormatResult } from "./print/format.js";
export * from "./documents/importers/index.js";
