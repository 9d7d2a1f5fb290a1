// The language server: one connection (stdio for `charter lsp`), the editor's open documents, and
// the handlers of each feature. Diagnostics are recomputed after a short quiet period (debounced)
// and published for every file whose problems changed.

import {
  createConnection,
  TextDocuments,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import type { MessageReader, MessageWriter } from "vscode-languageserver/node";
import { editorDiagnostics } from "./diagnostics.js";
import { CAPABILITIES, registerFeatures } from "./features.js";
import { Project } from "./project.js";
import { pathToUri, uriToPath } from "./sources.js";
import { CHARTER_VERSION } from "../version.js";

/** Quiet period after the last keystroke before diagnostics are recomputed. */
export const DEFAULT_DEBOUNCE_MS = 150;

/** Settings a client may pass as `initializationOptions`. */
export interface ServerOptions {
  /** Milliseconds to wait after a change before recomputing diagnostics (0: at once). */
  readonly debounceMs?: number;
}

/** The server's state shared by the features. */
export interface ServerContext {
  readonly connection: Connection;
  readonly documents: TextDocuments<TextDocument>;
  readonly project: Project;
}

/**
 * Starts a server on the given streams; resolves when the client says `exit`, the input closes
 * (the editor went away) or `signal` aborts.
 */
export function startServer(
  reader: MessageReader,
  writer: MessageWriter,
  signal?: AbortSignal,
): Promise<void> {
  const connection = createConnection(reader, writer);
  const documents = new TextDocuments(TextDocument);
  const project = new Project();
  const context: ServerContext = { connection, documents, project };
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  let published = new Map<string, string>();
  let followsFolders = false;

  const publish = (): void => {
    timer = undefined;
    let computed: Map<string, LspDiagnostic[]>;
    try {
      computed = editorDiagnostics(project);
    } catch (error) {
      connection.console.error(`charter lsp: diagnostics failed: ${String(error)}`);
      return;
    }
    // Sent when the problems or the document's version changed, so a client waiting for the
    // diagnostics of its last edit always gets them, and nothing else is sent twice.
    const next = new Map<string, string>();
    for (const [path, diagnostics] of computed) {
      const version = project.document(path)?.version;
      const key = `${version ?? ""}\u0000${JSON.stringify(diagnostics)}`;
      next.set(path, key);
      if (published.get(path) === key) continue;
      void connection.sendDiagnostics({
        uri: pathToUri(path),
        diagnostics,
        ...(version !== undefined ? { version } : {}),
      });
    }
    for (const path of published.keys()) {
      if (!next.has(path))
        void connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] });
    }
    published = next;
  };
  const schedule = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    if (debounceMs <= 0) {
      timer = undefined;
      publish();
      return;
    }
    timer = setTimeout(publish, debounceMs);
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as ServerOptions;
    if (typeof options.debounceMs === "number" && options.debounceMs >= 0) {
      debounceMs = options.debounceMs;
    }
    const folders =
      params.workspaceFolders?.map((folder) => uriToPath(folder.uri)) ??
      (params.rootUri !== null && params.rootUri !== undefined ? [uriToPath(params.rootUri)] : []);
    project.setFolders(folders);
    followsFolders = params.capabilities.workspace?.workspaceFolders === true;
    return {
      capabilities: CAPABILITIES,
      serverInfo: { name: "charter", version: CHARTER_VERSION },
    };
  });

  // Folders added to or removed from the editor's workspace (the client announces it can say so).
  connection.onInitialized(() => {
    if (!followsFolders) return;
    connection.workspace.onDidChangeWorkspaceFolders(({ added, removed }) => {
      const paths = (list: typeof added): string[] => list.map((folder) => uriToPath(folder.uri));
      project.changeFolders(paths(added), paths(removed));
      schedule();
    });
  });
  documents.onDidChangeContent((event) => {
    project.setOpen(uriToPath(event.document.uri), event.document);
    schedule();
  });
  documents.onDidClose((event) => {
    project.close(uriToPath(event.document.uri));
    schedule();
  });
  connection.onDidChangeWatchedFiles((params) => {
    for (const change of params.changes) project.changedOnDisk(uriToPath(change.uri));
    project.rescan();
    schedule();
  });

  registerFeatures(context);
  documents.listen(connection);
  const stopped = new Promise<void>((resolve) => {
    connection.onExit(() => resolve());
    reader.onClose(() => resolve());
    // A signal may come while the server's modules were still loading: it counts all the same.
    if (signal?.aborted === true) resolve();
    else signal?.addEventListener("abort", () => resolve(), { once: true });
  });
  connection.listen();
  return stopped.finally(() => {
    if (timer !== undefined) clearTimeout(timer);
    connection.dispose();
  });
}
