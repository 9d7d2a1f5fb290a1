// Front door of Phase 1: critique-and-revise runs that produce SFT data.
export * from "./types.js";
export {
  readPrompts,
  parsePromptRow,
  InvalidPromptError,
  type ReadPromptsOptions,
} from "./input.js";
export {
  eligiblePrinciples,
  samplePrinciple,
  isRevisable,
  type RevisablePrinciple,
} from "./sampling.js";
export {
  DEFAULT_REVISION_REQUEST,
  defaultCritiqueRequest,
  resolveTemplates,
  buildCritiqueRequest,
  buildRevisionRequest,
  isNoChange,
  type PhaseTemplates,
  type ConversationState,
  type BuiltRequest,
} from "./prompts.js";
export { applyStageRules, type StageVerdict } from "./rules.js";
export { reviseItem, type LoopDependencies, type LoopResult } from "./revise-item.js";
export { sftRecords, pairRecord } from "./formats.js";
export {
  runRevise,
  reviseSettings,
  mergedReviseStats,
  SFT_FILE,
  PAIRS_FILE,
  type ReviseRunOptions,
  type ReviseRunResult,
} from "./run-revise.js";
