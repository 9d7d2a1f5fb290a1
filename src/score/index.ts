// Front door of score: rubric and checklist scoring runs (`charter score`) and rubric writing
// (`charter rubrics`).
export {
  runScore,
  mergedScoreStats,
  scoreSettings,
  scoreOutputFiles,
  type ScoreRunOptions,
  type ScoreRunResult,
} from "./score-run.js";
export {
  askCriterion,
  checkScoreJudge,
  parseScale,
  ScoreCapabilityError,
  SCORE_METHODS,
  type ScoreMethod,
  type ScoreMethodSettings,
  type CriterionAnswer,
} from "./ask-criterion.js";
export { scoreReply, NO_CAP, type EssentialCap, type ReplyScore } from "./score-formula.js";
export {
  parseRowRubric,
  fromCompiled,
  RUBRIC_KINDS,
  type Criterion,
  type ScoringRubric,
} from "./rubric.js";
export { chooseRubric, rubricsOf, type RubricChoice } from "./rubric-choice.js";
export { parseScoreRow, readScoreItems, InvalidScoreRowError, type ScoreRow } from "./rows.js";
export { SCORES_FILE, KEPT_FILE, DROPPED_FILE, type ScoreJudge } from "./score-item.js";
export { PAIRS_FROM, PREFERENCES_FILE, TIES_FILE, type PairsFrom } from "./score-pairs.js";
export { scoreStats, panelAgreement, type ScoreStats, type CriterionStats } from "./score-stats.js";
export {
  DEFAULT_CRITERION_QUESTION,
  DEFAULT_CRITERION_SCALE,
  DEFAULT_RUBRIC_REQUEST,
} from "./templates.js";
export {
  runRubrics,
  readRows as readRubricPrompts,
  extractJsonList,
  RUBRICS_FILE,
  type RubricsRunOptions,
  type RubricsRunResult,
} from "./rubric-writer.js";
