// Front door of the constitution language.
export * from "./compiled.js";
export {
  TEMPLATE_CATALOG,
  DEFAULT_KEYS,
  DEFAULT_CHOICES,
  type TemplateSpec,
} from "./template-catalog.js";
export {
  renderTemplate,
  templateVariables,
  renderConversation,
  renderTranscript,
  renderTranscripts,
  DEFAULT_CONVERSATION_LABELS,
  DEFAULT_TRANSCRIPT_LABELS,
  type ConversationTurn,
  type ConversationLabels,
  type TranscriptLabels,
  type TranscriptParts,
} from "./render-template.js";

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
export type { CharterSyntax } from "./parse-charter.js";
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
} from "./parse-charter.js";
export {
  parseTokens,
  serializedGrammar,
  type CharterEntryRule,
  type ParseResult,
} from "./parser.js";
export * as tokens from "./lexer.js";
export { charterLexer, ALL_TOKENS, friendlyTokenName } from "./lexer.js";
export type * from "./ast.js";
export { printExpression } from "./print-expression.js";
export { dedentBlock, unescapeString, quoteString, blockString } from "./strings.js";
export { canonicalJson, contentHash } from "./content-hash.js";
export { didYouMean, suggestionList, editDistance } from "./did-you-mean.js";
export {
  renderDiagnostics,
  renderDiagnostic,
  formatDiagnosticsCompact,
  summarizeDiagnostics,
  codeFrame,
  type SourceLookup,
} from "./render-diagnostics.js";
export { toCharterSource, toYaml, toJson, toDocument } from "./print-source.js";
export { readDocument, DOCUMENT_KEYS } from "./read-document.js";

// Running rule expressions (linear-time regexes), formatting and foreign-format importers.
export {
  evaluate,
  evaluateCondition,
  evaluateRule,
  truthy,
  countWords,
  countCodePoints,
  countLines,
  MAX_EXPR_DEPTH,
  type RuleRecord,
  type Value,
  type RegexValue,
} from "./evaluate.js";
export { validatePattern, compilePattern, MAX_PROGRAM_SIZE, type SafePattern } from "./regex.js";
export { formatSource, formatParsed, type FormatResult } from "./format.js";
export * from "./importers/index.js";
