// What the server offers, in one place: the capabilities announced at `initialize` and the
// handler of each request, each feature in its own module.

import {
  CodeActionKind,
  TextDocumentSyncKind,
  type Position,
  type ServerCapabilities,
} from "vscode-languageserver/node";
import { completionAt } from "./completion.js";
import { documentCompletionAt } from "./document-completion.js";
import { quickFixes } from "./code-actions.js";
import { documentSymbols, formatEdits } from "./editing.js";
import { importEditsForMoves } from "./file-moves.js";
import { hoverAt } from "./hover.js";
import { documentLinks } from "./links.js";
import { definitionAt, referencesAt } from "./navigation.js";
import type { FileModel } from "./project.js";
import { prepareRenameAt, renameAt } from "./rename.js";
import type { ServerContext } from "./server.js";
import { uriToPath } from "./sources.js";
import { workspaceSymbols } from "./workspace-symbols.js";

export const CAPABILITIES: ServerCapabilities = {
  textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
  hoverProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  completionProvider: { triggerCharacters: ["{", " ", '"', "/"] },
  documentFormattingProvider: true,
  documentSymbolProvider: true,
  renameProvider: { prepareProvider: true },
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  documentLinkProvider: { resolveProvider: false },
  workspaceSymbolProvider: true,
  workspace: {
    workspaceFolders: { supported: true, changeNotifications: true },
    // Import paths follow constitution files and folders the editor moves.
    fileOperations: {
      willRename: {
        filters: [
          { scheme: "file", pattern: { glob: "**/*.{charter,yaml,yml,json}", matches: "file" } },
          { scheme: "file", pattern: { glob: "**/*", matches: "folder" } },
        ],
      },
    },
  },
};

export function registerFeatures({ connection, project }: ServerContext): void {
  /** The file behind a request and the offset of its position. */
  const at = (
    uri: string,
    position: Position,
  ): { model: FileModel; offset: number } | undefined => {
    const model = project.model(uriToPath(uri));
    return model === undefined ? undefined : { model, offset: model.lines.offsetAt(position) };
  };

  connection.onHover(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found === undefined ? null : (hoverAt(project, found.model, found.offset) ?? null);
  });
  connection.onDefinition(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found === undefined ? null : (definitionAt(project, found.model, found.offset) ?? null);
  });
  connection.onReferences(({ textDocument, position, context }) => {
    const found = at(textDocument.uri, position);
    return found === undefined
      ? []
      : referencesAt(project, found.model, found.offset, context.includeDeclaration);
  });
  connection.onCompletion(({ textDocument, position, context }) => {
    const found = at(textDocument.uri, position);
    if (found === undefined || !project.isServed(found.model.path)) return [];
    const trigger = context?.triggerCharacter;
    return found.model.format === "charter"
      ? completionAt(project, found.model, found.offset, trigger)
      : documentCompletionAt(project, found.model, found.offset, trigger);
  });
  connection.onDocumentFormatting(({ textDocument }) => {
    const model = project.model(uriToPath(textDocument.uri));
    return model === undefined ? [] : formatEdits(project, model);
  });
  connection.onDocumentSymbol(({ textDocument }) => {
    const model = project.model(uriToPath(textDocument.uri));
    return model === undefined ? [] : documentSymbols(model);
  });
  connection.onPrepareRename(({ textDocument, position }) => {
    const found = at(textDocument.uri, position);
    return found === undefined ? null : prepareRenameAt(project, found.model, found.offset);
  });
  connection.onRenameRequest(({ textDocument, position, newName }) => {
    const found = at(textDocument.uri, position);
    return found === undefined ? null : renameAt(project, found.model, found.offset, newName);
  });
  connection.onDocumentLinks(({ textDocument }) => {
    const path = uriToPath(textDocument.uri);
    const model = project.isServed(path) ? project.model(path) : undefined;
    return model === undefined ? [] : documentLinks(project, model);
  });
  connection.onWorkspaceSymbol(({ query }) => workspaceSymbols(project, query));
  connection.workspace.onWillRenameFiles(({ files }) =>
    importEditsForMoves(
      project,
      files.map((file) => ({ from: uriToPath(file.oldUri), to: uriToPath(file.newUri) })),
    ),
  );
  connection.onCodeAction(({ textDocument, context }) => {
    const model = project.model(uriToPath(textDocument.uri));
    return model === undefined ? [] : quickFixes(model, context.diagnostics);
  });
}
