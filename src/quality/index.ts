// Front door of the quality stage: dataset metrics (`inspect`), filters and splits, over any of
// Charter's dataset formats, streaming. Imports only io and datasets (the layouts).
export { inspect, inspectDataset, type InspectOptions } from "./inspect.js";
export * from "./inspect-schema.js";
export { renderInspect, renderDataset } from "./render-inspect.js";
export { compareReports, metricAt, COMPARED_METRICS } from "./compare.js";
export {
  DATASET_FORMATS,
  kindOf,
  promptMessages,
  promptText,
  rowOfAnyLayout,
  type DatasetFormat,
  type DatasetKind,
  type DatasetRow,
} from "../datasets/index.js";
export {
  openDataset,
  readDatasetRows,
  UnknownFormatError,
  InvalidRowError,
  type DatasetSource,
  type SourcedRow,
} from "./read-dataset.js";
export {
  DEFAULT_MINHASH,
  MinHasher,
  estimateJaccard,
  lshThreshold,
  collisionProbability,
  type MinHashParams,
} from "./minhash.js";
export {
  DEFAULT_PHRASES,
  PHRASE_CATEGORIES,
  PhraseMatcher,
  type PhraseCategory,
  type PhraseLists,
} from "./phrases.js";
export { TextScanner, words } from "./text.js";
export {
  runFilter,
  DROP_RULES,
  FILTER_ORDER,
  type FilterOptions,
  type FilterStats,
  type FilterRule,
  type DropRule,
  type DedupMode,
} from "./filter.js";
export {
  runSplit,
  parseShares,
  type SplitOptions,
  type SplitStats,
  type SplitShare,
} from "./split.js";
export { EvalIndex, DEFAULT_NGRAM, type EvalMatch } from "./decontaminate.js";
