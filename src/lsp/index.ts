// Front door of the language server (`charter lsp`).
export { startServer, DEFAULT_DEBOUNCE_MS, type ServerOptions } from "./server.js";
