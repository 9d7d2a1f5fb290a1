// Front door of the report: the HTML report (`charter report`), the terminal view (`charter show`)
// and the dataset card (`charter card`), all read from run folders.
export { buildReport, type BuildReportOptions, type BuiltReport } from "./build-report.js";
export { readRun, DEFAULT_SAMPLE_LIMIT, type ReadRunOptions } from "./read-run.js";
export { readOverview } from "./read-overview.js";
export { wordDiff } from "./word-diff.js";
export { itemText, overviewText, markDiff, type TerminalStyle } from "./terminal-view.js";
export {
  renderDatasetCard,
  sizeCategory,
  type CardRun,
  type CardPrinciple,
  type CardOptions,
} from "./dataset-card.js";
export type * from "./run-data.js";
