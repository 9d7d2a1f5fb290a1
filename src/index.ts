// Charter's public library API: `import { compileSource, createModel, runRevise } from "charter"`.
//
// A deliberate list (the README's "Library" section names it): compiling, the compiled types,
// diagnostics and their rendering, formatting and conversion, the importers, models, and the run
// functions; each phase is also a namespace (`phase1`, `phase2`, `score`, ...) for lower-level
// pieces. The compiler's internals (lexer, parser, checks, strings) are not part of it.

// The library loads chevrotain up front, so `compileSource` and `formatSource` stay synchronous
// whatever they meet (a file with a syntax error, a formatter's tokens); only the `charter` command,
// which never imports this file, loads it on use (src/dsl/syntax/chevrotain-slot.ts).
import "./dsl/syntax/chevrotain-path.js";

// Compiling: one call, or a workspace of documents kept between compiles (editors, watchers).
export {
  compileSource,
  compileFile,
  CompilerWorkspace,
  WorkspaceHost,
  DOCUMENT_STATES,
  type CompileOptions,
  type CompileResult,
  type DocumentState,
  type WorkspaceDocument,
  type WorkspaceOptions,
} from "./dsl/index.js";
// Diagnostics are data; rendered as code frames for people, compactly for tests.
export {
  DIAGNOSTIC_CODES,
  hasErrors,
  renderDiagnostics,
  formatDiagnosticsCompact,
  summarizeDiagnostics,
  type Diagnostic,
  type DiagnosticCode,
  type DiagnosticPosition,
  type DiagnosticRange,
  type RelatedInformation,
  type Severity,
  type SourceLookup,
} from "./dsl/index.js";
// `charter fmt`, `charter convert` and `charter import` as functions.
export {
  formatSource,
  toCharterSource,
  toYaml,
  toJson,
  importHuggingFace,
  importLangChain,
  importCaiPaper,
  CAI_PAPER_FILES,
  type FormatResult,
  type ImportOptions,
  type ImportResult,
  type ImportDiagnostic,
  type CaiPaperFiles,
} from "./dsl/index.js";
// The compiled constitution both phases read, and its rule evaluator.
export {
  COMPILED_SCHEMA,
  contentHash,
  evaluateCondition,
  type CompiledConstitution,
  type CompiledPrinciple,
  type CompiledExample,
  type CompiledRule,
  type CompiledRuleCheck,
  type CompiledRubric,
  type CompiledCriterion,
  type CompiledTemplate,
  type CompiledFewShotSet,
  type CompiledFewShotExample,
  type CompiledTranscriptExample,
  type CompiledComparisonExample,
  type CompiledTurn,
  type DefaultValue,
  type Expr,
  type ExprField,
  type ExprFunction,
  type ExprBinaryOp,
  type RuleStage,
  type RuleCheckKind,
  type RubricLevel,
  type FewShotStage,
  type SourceLocation,
  type RuleRecord,
} from "./constitution/index.js";

export * from "./errors.js";
export { CHARTER_VERSION } from "./version.js";

export {
  createModel,
  PROVIDERS,
  ManagedChatModel,
  ProviderError,
  EndpointUnreachableError,
  MissingApiKeyError,
  UnsupportedCapabilityError,
  UnknownModelError,
  UsageMeter,
  DEFAULT_PRICES,
  DEFAULT_NO_CHANGE_MARKER,
  REHEARSAL_PREFIX,
  cacheInfo,
  clearCache,
  resolveCacheDir,
} from "./providers/index.js";
export type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ChatMessage,
  ChatRole,
  GenerationParams,
  ModelCapabilities,
  RequestPurpose,
  TokenLogprob,
  TopLogprob,
  Usage,
  CreateModelOptions,
  ModelUsage,
  UsageSnapshot,
  PriceTable,
  ModelPrice,
  ProviderErrorCode,
} from "./providers/index.js";

export {
  runItems,
  seededRandom,
  mergeShards,
  parseShard,
  shardOf,
  readManifest,
  readStats,
  createProgressReporter,
  type SeededRandom,
  type WorkItem,
  type ItemOutcome,
  type ItemContext,
  type RunOptions,
  type RunProgress,
  type RunSummary,
  type Manifest,
  type Stats,
  type MergeSummary,
} from "./runtime/index.js";

export {
  stableId,
  readJsonLines,
  readTextLines,
  InvalidJsonLineError,
  type JsonLine,
  type InvalidLine,
} from "./io/index.js";

export {
  runRevise,
  type ReviseRunOptions,
  type ReviseRunResult,
  type LoopOptions,
  type SftFormat,
  type EmitMode,
  type SamplingMode,
} from "./phase1-revise/index.js";
export * as phase1 from "./phase1-revise/index.js";

export {
  runJudge,
  checkPanel,
  JudgeCapabilityError,
  type JudgeRunOptions,
  type JudgeRunResult,
  type PanelJudge,
  type MethodSettings,
  type OutputFormat,
  type JudgeMethod,
  type Pairing,
} from "./phase2-preference/index.js";
export * as phase2 from "./phase2-preference/index.js";
export {
  inspect,
  inspectDataset,
  INSPECT_SCHEMA,
  type InspectReport,
  type DatasetReport,
} from "./quality/index.js";
export * as quality from "./quality/index.js";

// Rubric scoring (`charter score`) and rubric writing (`charter rubrics`).
export {
  runScore,
  runRubrics,
  scoreReply,
  parseRowRubric,
  type ScoreRunOptions,
  type ScoreRunResult,
  type RubricsRunOptions,
  type ScoreStats,
} from "./score/index.js";
export * as score from "./score/index.js";

// Reading run folders for people: the HTML report, the terminal view, the dataset card.
export {
  buildReport,
  readRun,
  renderDatasetCard,
  type BuildReportOptions,
} from "./report/index.js";
export * as report from "./report/index.js";
