// Front door of the constitution language.
export * from "./compiled.js";
export { TEMPLATE_CATALOG, DEFAULT_KEYS, type TemplateSpec } from "./template-catalog.js";
