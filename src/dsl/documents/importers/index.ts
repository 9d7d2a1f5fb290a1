// Importers: foreign constitution formats in, canonical .charter source and diagnostics out.
export { importHuggingFace } from "./hugging-face.js";
export {
  importCaiPaper,
  CAI_PAPER_FILES,
  type CaiPaperFiles,
  type PaperFile,
} from "./cai-paper.js";
export { readableId } from "./readable-ids.js";
export { importLangChain, sanitizeId } from "./langchain.js";
export type {
  ImportDiagnostic,
  ImportDiagnosticCode,
  ImportOptions,
  ImportResult,
} from "./types.js";
