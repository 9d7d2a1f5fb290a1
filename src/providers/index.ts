// Front door of the model providers: the ChatModel interface, createModel and what it is made of.
export type * from "./types.js";
export {
  createModel,
  DEFAULT_MAX_CONNECTION_FAILURES,
  parseModelName,
  PROVIDERS,
  type CreateModelOptions,
  type ModelName,
} from "./create-model.js";
export {
  checkTier,
  FLEX_TIMEOUT_MS,
  parseTier,
  SERVICE_TIERS,
  UnsupportedTierError,
  type TierTarget,
} from "./tiers.js";
export {
  promptCacheKey,
  promptCacheSection,
  promptCacheStats,
  type PromptCacheStats,
} from "./prompt-cache.js";
export { notFoundHint, unknownProviderHint } from "./endpoint-hints.js";
export { ManagedChatModel } from "./managed-model.js";
export { describeBatches, type BatchProgress } from "./batch-collector.js";
export { CallActivity } from "./batch-activity.js";
export {
  CallLedger,
  CALL_COUNTERS,
  DEFAULT_TRUNCATION_RETRY,
  isTruncated,
  parseTruncationRetry,
  PURPOSE_COUNTER,
  SERVED_MODEL_COUNTER,
  splitServedModels,
  tallyCall,
  withSystem,
  type CallLedgerOptions,
  type CallPlace,
  type LedgerCall,
  type TruncationRetry,
} from "./call-ledger.js";
export {
  ProviderError,
  TruncatedReplyError,
  EndpointUnreachableError,
  MissingApiKeyError,
  UnsupportedCapabilityError,
  UnknownModelError,
} from "./errors.js";
export type { ProviderErrorCode } from "./errors.js";
export { UsageMeter, type ModelUsage, type UsageSnapshot } from "./usage-meter.js";
export {
  DEFAULT_PRICES,
  findPrice,
  priceFor,
  costOf,
  TIER_PRICE_FACTOR,
  mergePrices,
  promptCacheSaving,
  type BilledTokens,
  type ModelPrice,
  type PriceTable,
} from "./prices.js";
export { DEFAULT_NO_CHANGE_MARKER, REHEARSAL_PREFIX, inferPurpose } from "./offline-model.js";
export { cacheInfo, clearCache, resolveCacheDir, type CacheInfo } from "./response-cache.js";
export { systemClock, type Clock } from "./clock.js";
export { estimateTokens } from "./estimate-tokens.js";
export {
  sampleAnswers,
  type SampleAnswersOptions,
  type SampledAnswer,
  type SampledAttempt,
} from "./sample-answers.js";
export {
  answerOptions,
  optionMass,
  optionShare,
  parseOptionAnswer,
  LETTER_OPTIONS,
  YES_NO_OPTIONS,
  type AnswerOptions,
  type OptionMass,
  type OptionMassProblem,
} from "./answer-options.js";
