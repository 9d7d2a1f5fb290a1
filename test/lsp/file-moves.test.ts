// `charter lsp` keeps import paths true when the editor moves files (`workspace/willRenameFiles`)
// and follows the workspace's folders as the editor adds and removes them, over JSON-RPC. The
// workspace is written to a temporary folder: main.charter and tool.yaml import lib/harm.charter,
// lib/style.charter imports its neighbour, and tool.yaml imports lib/style.charter as a quoted
// `path`.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DidChangeWorkspaceFoldersNotification,
  WillRenameFilesRequest,
  WorkspaceSymbolRequest,
  type SymbolInformation,
  type TextEdit,
  type WorkspaceEdit,
} from "vscode-languageserver-protocol/node";
import { startSession, uriOf, type LspSession } from "./lsp-client.js";

const LIBRARY = 'principle harm.general {\n  critique "Harmful?"\n  revise "Fix it."\n}\n';

const FILES: Record<string, string> = {
  "package.json": '{ "name": "moves-fixture", "private": true }\n',
  "main.charter": 'charter "main" version "1.0.0"\n\nimport "./lib/harm.charter"\n',
  "tool.yaml":
    'charter: tool\nversion: "1.0.0"\nimports:\n  - ./lib/harm.charter\n  - path: "./lib/style.charter"\n    as: s\n',
  "lib/harm.charter": LIBRARY,
  "lib/style.charter":
    'import "./harm.charter"\n\nprinciple style.kind {\n  compare "Kinder?"\n}\n',
  "lib/data.json": '{ "imports": ["../main.charter"] }\n',
  "other/extra.charter":
    'charter "extra" version "1.0.0"\n\nprinciple other.only {\n  compare "Which?"\n}\n',
};

describe("charter lsp when files and folders move", () => {
  const root = mkdtempSync(join(tmpdir(), "charter-moves-"));
  let session: LspSession;
  beforeAll(async () => {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    session = await startSession(root, undefined, {
      capabilities: { workspace: { workspaceFolders: true } },
      initializationOptions: { debounceMs: 0 },
    });
  });
  afterAll(async () => {
    await session.stop();
    rmSync(root, { recursive: true, force: true });
  });

  /** The edits for moving each `from` to `to` (relative to the workspace), as `file: new text`. */
  const move = async (...pairs: [string, string][]): Promise<string[]> => {
    const edit = (await session.connection.sendRequest(WillRenameFilesRequest.type, {
      files: pairs.map(([from, to]) => ({
        oldUri: uriOf(join(root, from)),
        newUri: uriOf(join(root, to)),
      })),
    })) as WorkspaceEdit | null;
    return Object.entries(edit?.changes ?? {})
      .flatMap(([uri, edits]) =>
        (edits as TextEdit[]).map(
          (entry) =>
            `${uri.slice(uriOf(root).length + 1)}:${entry.range.start.line + 1}:${entry.range.start.character + 1}-${entry.range.end.character + 1} ${entry.newText}`,
        ),
      )
      .sort();
  };

  it("announces the file operations it follows", () => {
    const workspace = session.initialized.capabilities.workspace;
    expect(workspace?.fileOperations?.willRename?.filters).toHaveLength(2);
    expect(workspace?.workspaceFolders).toEqual({ supported: true, changeNotifications: true });
  });

  it("rewrites the imports of a moved file in every file naming it", async () => {
    expect(await move(["lib/harm.charter", "shared/harm.charter"])).toEqual([
      "lib/style.charter:1:9-23 ../shared/harm.charter",
      "main.charter:3:9-27 ./shared/harm.charter",
      "tool.yaml:4:5-23 ./shared/harm.charter",
    ]);
  });

  it("quotes a plain YAML path that now needs it", async () => {
    expect(await move(["lib/harm.charter", "a: b/harm.charter"])).toEqual([
      "lib/style.charter:1:9-23 ../a: b/harm.charter",
      "main.charter:3:9-27 ./a: b/harm.charter",
      'tool.yaml:4:5-23 "./a: b/harm.charter"',
    ]);
  });

  it("rewrites a moved file's own imports, keeping quotes, in JSON too", async () => {
    expect(await move(["lib/style.charter", "style.charter"])).toEqual([
      "lib/style.charter:1:9-23 ./lib/harm.charter",
      "tool.yaml:5:12-31 ./style.charter",
    ]);
    expect(await move(["main.charter", "apps/main.charter"])).toEqual([
      "lib/data.json:1:16-31 ../apps/main.charter",
      "main.charter:3:9-27 ../lib/harm.charter",
    ]);
  });

  it("follows a moved folder, leaving the imports between its own files alone", async () => {
    expect(await move(["lib", "common"])).toEqual([
      "main.charter:3:9-27 ./common/harm.charter",
      "tool.yaml:4:5-23 ./common/harm.charter",
      "tool.yaml:5:12-31 ./common/style.charter",
    ]);
    expect(await move(["other/extra.charter", "other/more.charter"])).toEqual([]);
  });

  it("takes in folders the editor adds, and lets go of those it removes", async () => {
    const found = async (): Promise<string[]> =>
      (
        ((await session.connection.sendRequest(WorkspaceSymbolRequest.type, {
          query: "other.only",
        })) ?? []) as SymbolInformation[]
      ).map((symbol) => symbol.location.uri.slice(uriOf(root).length + 1));
    expect(await found()).toEqual(["other/extra.charter"]);
    const change = (added: string[], removed: string[]) =>
      session.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: {
          added: added.map((path) => ({ uri: uriOf(join(root, path)), name: path })),
          removed: removed.map((path) => ({ uri: uriOf(join(root, path)), name: path })),
        },
      });
    await change(["lib"], [""]);
    expect(await found()).toEqual([]);
    await change(["other"], []);
    expect(await found()).toEqual(["other/extra.charter"]);
  });
});
