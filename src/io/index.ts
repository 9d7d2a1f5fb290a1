// Front door of streaming input and output: line readers, JSON Lines writers, ids (and their
// duplicate detection) and canonical JSON.
export { canonicalJson } from "./canonical-json.js";
export { stableId, sha256Hex } from "./stable-id.js";
export {
  readTextLines,
  readPromptLines,
  readJsonLines,
  lineText,
  InvalidJsonLineError,
  type TextLine,
  type JsonLine,
  type InvalidLine,
  type ReadTextLinesOptions,
  type ReadJsonLinesOptions,
} from "./read-lines.js";
export { AppendFile, JsonLinesWriter } from "./append-file.js";
export { FileAccessError, FileReadError, FileWriteError } from "./file-errors.js";
export { readRawLines, type RawLine } from "./read-raw-lines.js";
export { writeFileAtomic, writeJsonAtomic } from "./write-file-atomic.js";
export { inputIdentity, onlyAppended, type InputIdentity } from "./input-identity.js";
export {
  IdRegistry,
  fnv1a64,
  rowAtLine,
  type IdHash,
  type IdRegistryOptions,
} from "./id-registry.js";
export { parseMessageList, lastUserText, type MessageTurn } from "./message-lists.js";
export {
  TRACE_MODES,
  DEFAULT_TRACE_MODE,
  PACKED_EVENT,
  PACK_FORMAT,
  traceEventsFor,
  traceDictionaryFrom,
  runTraceSetup,
  dictionaryOf,
  packEvents,
  expandTraceEvent,
  type TraceMode,
  type TraceDictionary,
} from "./trace-format.js";
export {
  readTraceEvents,
  readItemTrace,
  traceEventsOfText,
  readTraceOfRun,
  runTraceDictionary,
  type TraceEvent,
  type ReadTraceOptions,
} from "./trace-reader.js";
