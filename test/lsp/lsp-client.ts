// Drives the built `charter lsp` over stdio with the real LSP client library
// (vscode-languageserver-protocol on vscode-jsonrpc), as an editor does: initialize, open and edit
// documents, collect the published diagnostics, send requests.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type Position,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from "vscode-languageserver-protocol/node";
import { CHARTER_MAIN } from "../cli/run-charter.js";

export const uriOf = (path: string): string => pathToFileURL(path).href;

export interface LspSession {
  readonly connection: ProtocolConnection;
  readonly initialized: InitializeResult;
  readonly child: ChildProcessWithoutNullStreams;
  /** Everything the server wrote to stderr. */
  stderr(): string;
  /** Opens `path` with `text` (default: its text on disk); returns the document's uri. */
  open(path: string, text?: string): string;
  /** Replaces a document's text (or one range of it); returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number;
  close(uri: string): void;
  /** Every publication for `uri` so far, oldest first. */
  history(uri: string): PublishDiagnosticsParams[];
  /** The latest diagnostics published for `uri` (undefined before the first). */
  latest(uri: string): PublishDiagnosticsParams | undefined;
  /** Waits for diagnostics of `uri` that satisfy `accept` (the latest ones, or the next ones). */
  diagnostics(
    uri: string,
    accept?: (params: PublishDiagnosticsParams) => boolean,
  ): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

/** How an editor starts the server, when not as the tests usually do. */
export interface Launch {
  /** The executable and its arguments, as the editor's client spawns them (in `folder`). */
  readonly command?: string;
  readonly args?: readonly string[];
  /** The client's capabilities (default: none). */
  readonly capabilities?: ClientCapabilities;
  /** Sent as they are; absent when the client gives none (the server's defaults apply). */
  readonly initializationOptions?: Record<string, unknown>;
}

/** Starts `charter lsp --stdio` with `folder` as the workspace (or as `launch` says). */
export async function startSession(
  folder: string,
  initializationOptions: Record<string, unknown> = { debounceMs: 0 },
  launch?: Launch,
): Promise<LspSession> {
  if (!existsSync(CHARTER_MAIN)) {
    throw new Error(`${CHARTER_MAIN} is missing: run 'npm run build' first`);
  }
  const command = launch?.command ?? process.execPath;
  const args = launch?.command === undefined ? [CHARTER_MAIN, "lsp", "--stdio"] : launch.args;
  const child = spawn(command, args ?? [], {
    cwd: folder,
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout),
    new StreamMessageWriter(child.stdin),
  );
  const latest = new Map<string, PublishDiagnosticsParams>();
  const history: PublishDiagnosticsParams[] = [];
  const waiters: {
    uri: string;
    accept: (p: PublishDiagnosticsParams) => boolean;
    done: (d: Diagnostic[]) => void;
  }[] = [];
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params);
    history.push(params);
    for (const waiter of [...waiters]) {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.done(params.diagnostics);
      }
    }
  });
  connection.listen();
  const initialized = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: uriOf(folder),
    workspaceFolders: [{ uri: uriOf(folder), name: "fixture" }],
    capabilities: launch?.capabilities ?? {},
    ...(launch === undefined
      ? { initializationOptions }
      : launch.initializationOptions !== undefined
        ? { initializationOptions: launch.initializationOptions }
        : {}),
  });
  await connection.sendNotification(InitializedNotification.type, {});
  const versions = new Map<string, number>();
  return {
    connection,
    initialized,
    child,
    stderr: () => stderr,
    open(path, text) {
      const uri = uriOf(path);
      versions.set(uri, 1);
      void connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: {
          uri,
          languageId: path.endsWith(".charter")
            ? "charter"
            : path.endsWith(".json")
              ? "json"
              : "yaml",
          version: 1,
          text: text ?? readFileSync(path, "utf8"),
        },
      });
      return uri;
    },
    change(uri, changes) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri, version },
        contentChanges: changes,
      });
      return version;
    },
    close(uri) {
      void connection.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri },
      });
    },
    latest: (uri) => latest.get(uri),
    history: (uri) => history.filter((params) => params.uri === uri),
    diagnostics(uri, accept = () => true) {
      const known = latest.get(uri);
      if (known !== undefined && accept(known)) return Promise.resolve(known.diagnostics);
      return new Promise((done, fail) => {
        const timer = setTimeout(
          () =>
            fail(
              new Error(
                `no matching diagnostics for ${uri}; last: ${JSON.stringify(latest.get(uri))}\n${stderr}`,
              ),
            ),
          10_000,
        );
        waiters.push({
          uri,
          accept,
          done: (diagnostics) => {
            clearTimeout(timer);
            done(diagnostics);
          },
        });
      });
    },
    async stop() {
      const exited = new Promise<void>((done) => child.once("exit", () => done()));
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
      await exited;
      connection.dispose();
    },
  };
}

/** Diagnostics as compact lines, `line:col code message` (0-based LSP positions shown 1-based). */
export function compact(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map(
    (entry) =>
      `${entry.range.start.line + 1}:${entry.range.start.character + 1} ${String(entry.code)} ${entry.message}`,
  );
}

/** The LSP position of the `occurrence`-th `needle` in `text` (plus `shift` characters). */
export function positionOf(text: string, needle: string, shift = 0, occurrence = 1): Position {
  let index = -1;
  for (let seen = 0; seen < occurrence; seen++) {
    index = text.indexOf(needle, index + 1);
    if (index < 0) throw new Error(`\`${needle}\` (${occurrence}) is not in the text`);
  }
  const before = text.slice(0, index + shift);
  const line = before.split("\n").length - 1;
  return { line, character: before.length - (before.lastIndexOf("\n") + 1) };
}
