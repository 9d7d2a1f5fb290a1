// Charter's public library API: `import { compileSource, createModel, runRevise } from "charter"`.
//
// The compiler's whole front door is re-exported flat; providers, the run engine and I/O export
// what a caller builds with; each phase is both flat (its run function) and a namespace
// (`phase1`, `phase2`) for the lower-level pieces.

export * from "./dsl/index.js";
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
