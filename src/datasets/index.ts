// Front door of datasets: the rows Charter reads and writes that more than one command shares —
// pair rows as input, preference records in trainers' layouts, and the verdicts those carry.
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
  hhTranscript,
  OUTPUT_FORMATS,
  type OutputFormat,
  type PreferenceLabel,
} from "./preference-layouts.js";
export { type OrderVerdict, type PrincipleVerdict, type ShownOrder } from "./verdicts.js";
