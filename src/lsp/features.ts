// What the server offers, in one place: the capabilities announced at `initialize` and the
// handler of each request, each feature in its own module.

import { TextDocumentSyncKind, type ServerCapabilities } from "vscode-languageserver/node";
import type { ServerContext } from "./server.js";

export const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
};

export function registerFeatures(_context: ServerContext): void {}
