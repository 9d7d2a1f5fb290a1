// Front door of the constitution language.
export * from "./compiled.js";
export { TEMPLATE_CATALOG, DEFAULT_KEYS, type TemplateSpec } from "./template-catalog.js";
export {
  renderTemplate,
  templateVariables,
  renderConversation,
  DEFAULT_CONVERSATION_LABELS,
  type ConversationTurn,
  type ConversationLabels,
} from "./render-template.js";
