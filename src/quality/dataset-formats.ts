// The dataset layouts the quality stage reads, as it names them. Each layout is defined once, in
// src/datasets/layouts/ (recognised, read and written there), for the commands that write it and
// for `inspect`, `filter` and `split` that read it.

export { pairProblem } from "../datasets/index.js";
export {
  DATASET_FORMATS,
  RowShapeError,
  detectLayout,
  idOf,
  kindOf,
  layoutReader,
  looksLike,
  mixedLayouts,
  promptText,
  readRow,
  rowOfAnyLayout,
  toDatasetRow,
  type DatasetFormat,
  type DatasetKind,
  type DatasetRow,
  type LayoutChoice,
  type LayoutCounts,
  type LayoutReader,
  type RowVerdict,
} from "../datasets/index.js";
