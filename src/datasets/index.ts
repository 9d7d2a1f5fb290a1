// Front door of datasets: the rows Charter reads and writes that more than one command shares —
// every JSONL layout (one module each: recognised, read, written), pair rows as input, preference
// records in trainers' layouts, and the verdicts those carry.
export {
  parsePairRow,
  pairsOf,
  readConversation,
  PAIRINGS,
  type Pairing,
  type PairGroup,
  type PairRef,
  type PromptShape,
  type RowResult,
} from "./pair-rows.js";
export {
  formatPreference,
  formatTie,
  OUTPUT_FORMATS,
  type OutputFormat,
  type PreferenceLabel,
} from "./preference-layouts.js";
export { type OrderVerdict, type PrincipleVerdict, type ShownOrder } from "./verdicts.js";
export {
  DATASET_FORMATS,
  LAYOUTS,
  OPENAI_DPO_KEYS,
  RowShapeError,
  detectLayout,
  hhTranscript,
  idOf,
  kindOf,
  layoutReader,
  looksLike,
  mixedLayouts,
  readRow,
  toDatasetRow,
  writePreferenceHh,
  writePreferenceOpenAiDpo,
  writePreferenceTrl,
  writePreferenceTrlChat,
  writeSftHfCai,
  writeSftOpenai,
  writeSftTrl,
  type HfCaiColumns,
  type DatasetFormat,
  type DatasetKind,
  type DatasetLayout,
  type DatasetRow,
  type LayoutChoice,
  type LayoutCounts,
  type LayoutReader,
  type RowVerdict,
} from "./layouts/index.js";
