// Front door of the constitution language.
// The compiled contract lives in src/constitution; the language hands it on.
export * from "../constitution/index.js";

// The compiler (stages: lex -> parse -> build AST -> resolve imports -> check -> compile).
export {
  compileSource,
  compileFile,
  parseSource,
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
export {
  lex,
  parseCharter,
  parseExpression,
  type LexResult,
  type ParsedFile,
} from "./syntax/parse-charter.js";
export {
  parseTokens,
  serializedGrammar,
  type CharterEntryRule,
  type ParseResult,
} from "./syntax/parser.js";
export * as tokens from "./syntax/lexer.js";
export { charterLexer, ALL_TOKENS, friendlyTokenName } from "./syntax/lexer.js";
export type * from "./ast.js";
export { printExpression } from "./print/print-expression.js";
export { dedentBlock, unescapeString, quoteString, blockString } from "./syntax/strings.js";
export { didYouMean, suggestionList, editDistance } from "../did-you-mean.js";
export {
  renderDiagnostics,
  renderDiagnostic,
  formatDiagnosticsCompact,
  summarizeDiagnostics,
  codeFrame,
  type SourceLookup,
} from "./render-diagnostics.js";
export { toCharterSource, toYaml, toJson, toDocument } from "./print/print-source.js";
export { readDocument, DOCUMENT_KEYS } from "./documents/read-document.js";

// Running rule expressions (linear-time regexes), formatting and foreign-format importers.
export { formatSource, formatParsed, type FormatResult } from "./print/format.js";
export * from "./documents/importers/index.js";
