// Front door of the compiled contract: what the phases, scoring and the CLI read of a constitution.
export * from "./compiled.js";
export {
  evaluate,
  evaluateCondition,
  evaluateRule,
  truthy,
  countWords,
  countCodePoints,
  countLines,
  MAX_EXPR_DEPTH,
  type RuleRecord,
  type Value,
  type RegexValue,
} from "./evaluate.js";
export { validatePattern, compilePattern, MAX_PROGRAM_SIZE, type SafePattern } from "./regex.js";
export {
  renderTemplate,
  templateVariables,
  TEMPLATE_VARIABLE,
  renderConversation,
  renderTranscript,
  renderTranscripts,
  DEFAULT_CONVERSATION_LABELS,
  DEFAULT_TRANSCRIPT_LABELS,
  type ConversationTurn,
  type ConversationLabels,
  type TranscriptLabels,
  type TranscriptParts,
} from "./render-template.js";
export {
  TEMPLATE_CATALOG,
  DEFAULT_KEYS,
  DEFAULT_CHOICES,
  TEMPLATE_VARIABLES,
  type TemplateSpec,
} from "./template-catalog.js";
export { contentHash } from "./content-hash.js";
