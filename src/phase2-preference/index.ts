// Front door of phase2-preference: rules, principle sampling, judging methods and aggregation.
// Pair rows and preference layouts live in src/datasets (shared with rubric scoring) and are
// re-exported here for Phase 2's readers.
export {
  parsePairRow,
  pairsOf,
  PAIRINGS,
  type Pairing,
  type PairGroup,
  type PairRef,
  type RowResult,
} from "../datasets/index.js";
// The answer reader is generic over an option set and lives in providers (rubric scoring reads
// P(yes) with it too); re-exported here because Phase 2 is where most readers look for it.
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
} from "../providers/index.js";
export {
  ANSWER_CUE,
  DEFAULT_COMPARE_REQUEST,
  DEFAULT_COMPARE_COT,
  compareTemplate,
  judgeExamples,
  renderCompare,
  judgeMessages,
} from "./templates.js";
export { applyPairRules, type PairRuleOutcome, type RuleEvent, type Side } from "./pair-rules.js";
export {
  applicablePrinciples,
  samplePrinciples,
  type SampledQuestion,
} from "./principle-sampling.js";
export {
  askQuestion,
  JUDGE_METHODS,
  JudgeCapabilityError,
  type Letter,
  type JudgeMethod,
  type MethodSettings,
  type QuestionResult,
  type CallRecord,
} from "./methods.js";
export { judgePair, type PanelJudge, type PairSettings, type PairJudgment } from "./judge-pair.js";
export { type PrincipleVerdict, type OrderVerdict, type ShownOrder } from "../datasets/index.js";
export {
  formatPreference,
  formatTie,
  hhTranscript,
  OUTPUT_FORMATS,
  type OutputFormat,
  type PreferenceLabel,
} from "../datasets/index.js";
export {
  judgeGroup,
  PREFERENCES_FILE,
  TIES_FILE,
  type JudgeItemInput,
  type JudgeRunContext,
  type GenerateRow,
  type GenerationSettings,
} from "./judge-group.js";
export {
  preferenceStats,
  type PreferenceStats,
  type AgreementRate,
  type LeaveOneOut,
  type CohenKappa,
  type FleissKappa,
  type Calibration,
  type ReliabilityBin,
} from "./preference-stats.js";
export {
  readPairItems,
  readPromptItems,
  InvalidPairRowError,
  type ReadItemsOptions,
} from "./pair-items.js";
export {
  runJudge,
  assertSomethingToJudge,
  checkPanel,
  mergedJudgeStats,
  judgeSettings,
  type JudgeRunOptions,
  type JudgeRunResult,
  type JudgeSource,
  type InvalidRow,
} from "./judge-run.js";
