// Front door of streaming input and output: line readers, JSON Lines writers, ids and canonical JSON.
export { canonicalJson } from "./canonical-json.js";
export { stableId, sha256Hex } from "./stable-id.js";
export {
  readTextLines,
  readPromptLines,
  readJsonLines,
  InvalidJsonLineError,
  FileReadError,
  type TextLine,
  type JsonLine,
  type InvalidLine,
  type ReadTextLinesOptions,
  type ReadJsonLinesOptions,
} from "./read-lines.js";
export { AppendFile, JsonLinesWriter, FileWriteError } from "./append-file.js";
export { readRawLines, type RawLine } from "./read-raw-lines.js";
export { writeFileAtomic, writeJsonAtomic } from "./write-file-atomic.js";
