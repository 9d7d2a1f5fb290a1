// editors/vscode/: the extension's package.json names files that exist once its grammar is copied
// from grammars/ (the one source), its language matches the grammar, its client starts `charter
// lsp`, and it stays out of the root package's dependencies (CI's `npm ci` stays light); and its
// extension.js, activated with stand-ins for VS Code, starts a server that serves VS Code's client.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompletionRequest,
  CompletionTriggerKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type ClientCapabilities,
  type CompletionItem,
} from "vscode-languageserver-protocol/node";
import { CHARTER_MAIN } from "../cli/run-charter.js";
import { compact, startSession, uriOf } from "./lsp-client.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const extensionFolder = join(root, "editors/vscode");
const json = (path: string): any => JSON.parse(readFileSync(path, "utf8"));

describe("editors/vscode", () => {
  const manifest = json(join(extensionFolder, "package.json"));
  const copied = mkdtempSync(join(tmpdir(), "charter-vscode-"));
  afterAll(() => rmSync(copied, { recursive: true, force: true }));

  it("contributes the charter language with the grammar copied from grammars/", () => {
    execFileSync(process.execPath, [join(extensionFolder, "scripts/copy-grammar.mjs"), copied]);
    const [language] = manifest.contributes.languages;
    const [grammar] = manifest.contributes.grammars;
    expect(language.id).toBe("charter");
    expect(language.extensions).toEqual([".charter"]);
    expect(grammar.language).toBe(language.id);
    // Each contributed path lives in syntaxes/, which the copy script fills from grammars/.
    for (const path of [language.configuration, grammar.path]) {
      expect(path).toMatch(/^\.\/syntaxes\/[\w.-]+\.json$/);
      const name = path.slice("./syntaxes/".length);
      expect(readFileSync(join(copied, name), "utf8")).toBe(
        readFileSync(join(root, "grammars", name), "utf8"),
      );
    }
    expect(json(join(copied, "charter.tmLanguage.json")).scopeName).toBe(grammar.scopeName);
    expect(manifest.scripts.prepare).toBe("node scripts/copy-grammar.mjs");
  });

  it("starts `charter lsp` through vscode-languageclient, pinned, outside the root package", () => {
    expect(manifest.main).toBe("./extension.js");
    const source = readFileSync(join(extensionFolder, "extension.js"), "utf8");
    execFileSync(process.execPath, ["--check", join(extensionFolder, "extension.js")]);
    expect(source).toContain('require("vscode-languageclient/node")');
    expect(source).toMatch(/args: \["lsp"\], transport: TransportKind\.stdio/);
    expect(manifest.dependencies["vscode-languageclient"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.engines.vscode).toBe("^1.91.0");
    const rootManifest = json(join(root, "package.json"));
    const rootDependencies = {
      ...rootManifest.dependencies,
      ...rootManifest.devDependencies,
    };
    expect(rootDependencies["vscode-languageclient"]).toBeUndefined();
    expect(rootManifest.workspaces).toBeUndefined();
    // The activation and the documents the client sends include every contributed language.
    expect(manifest.activationEvents).toContain(
      `onLanguage:${manifest.contributes.languages[0].id}`,
    );
  });
});

// extension.js run as VS Code runs it: its `activate` is called with stand-ins for the two modules
// it requires (`vscode`, whose API exists only inside VS Code, and vscode-languageclient, which needs
// it), each holding only what extension.js touches and recording what it is given. The server is
// then started from the options extension.js built, as vscode-languageclient 11 starts an
// `Executable` with `TransportKind.stdio` (lib/node/main.js: spawn `command` with `args` plus
// `--stdio`, in the workspace folder), and spoken to with VS Code's kind of client capabilities and
// no initialization options: the default debounce, a workspace's own `node_modules/.bin/charter`
// (a link to the built CLI, as npm makes it), `/`-triggered import-path completion, a file created
// on disk reported by the watcher, and the shutdown the client sends when the window closes.

interface RecordedClient {
  readonly id: string;
  readonly name: string;
  readonly serverOptions: {
    run: { command: string; args: string[]; transport: number };
    debug: unknown;
  };
  readonly clientOptions: {
    documentSelector: { scheme: string; language: string }[];
    synchronize: { fileEvents: { glob: string } };
  };
  started: boolean;
  stopped: boolean;
}

interface VscodeHost {
  settings: Record<string, unknown>;
  folders: string[];
  clients: RecordedClient[];
}

const VSCODE_STAND_IN = `// Stand-in for VS Code's API: only what extension.js touches.
const host = globalThis.charterVscodeHost;
module.exports = {
  workspace: {
    getConfiguration: (section) => ({ get: (key) => host.settings[section + "." + key] }),
    get workspaceFolders() {
      return host.folders.length === 0
        ? undefined
        : host.folders.map((fsPath, index) => ({ uri: { fsPath }, name: fsPath, index }));
    },
    createFileSystemWatcher: (glob) => ({ glob, dispose() {} }),
  },
};
`;

const CLIENT_STAND_IN = `// Stand-in for vscode-languageclient/node: records the client extension.js makes.
const host = globalThis.charterVscodeHost;
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, started: false, stopped: false });
    host.clients.push(this);
  }
  async start() { this.started = true; }
  async stop() { this.stopped = true; }
}
// vscode-languageclient 11's values.
module.exports = { LanguageClient, TransportKind: { stdio: 0, ipc: 1, pipe: 2 } };
`;

/** VS Code 1.9x's client capabilities, the parts that bear on what the server offers. */
const VSCODE_CAPABILITIES: ClientCapabilities = {
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ["create", "rename", "delete"] },
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true },
    symbol: { dynamicRegistration: true, resolveSupport: { properties: ["location.range"] } },
    executeCommand: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    completion: {
      dynamicRegistration: true,
      contextSupport: true,
      completionItem: {
        snippetSupport: true,
        commitCharactersSupport: true,
        documentationFormat: ["markdown", "plaintext"],
        insertReplaceSupport: true,
        labelDetailsSupport: true,
        resolveSupport: { properties: ["documentation", "detail", "additionalTextEdits"] },
      },
      insertTextMode: 2,
    },
    hover: { dynamicRegistration: true, contentFormat: ["markdown", "plaintext"] },
    definition: { dynamicRegistration: true, linkSupport: true },
    references: { dynamicRegistration: true },
    documentSymbol: { dynamicRegistration: true, hierarchicalDocumentSymbolSupport: true },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      codeActionLiteralSupport: { codeActionKind: { valueSet: ["", "quickfix", "refactor"] } },
    },
    formatting: { dynamicRegistration: true },
    rename: { dynamicRegistration: true, prepareSupport: true },
    documentLink: { dynamicRegistration: true, tooltipSupport: true },
  },
  window: { workDoneProgress: true, showDocument: { support: true } },
  general: { positionEncodings: ["utf-16"] },
};

describe("editors/vscode's client against the built server", () => {
  const scratch = mkdtempSync(join(tmpdir(), "charter-vscode-host-"));
  const extensionCopy = join(scratch, "extension");
  const folder = join(scratch, "workspace");
  const host: VscodeHost = { settings: {}, folders: [], clients: [] };
  const requireHere = createRequire(import.meta.url);
  let extension: { activate(): Promise<void>; deactivate(): Promise<void> };

  beforeAll(() => {
    for (const [path, text] of Object.entries({
      "extension.js": readFileSync(join(extensionFolder, "extension.js"), "utf8"),
      "node_modules/vscode/index.js": VSCODE_STAND_IN,
      "node_modules/vscode-languageclient/node.js": CLIENT_STAND_IN,
    })) {
      mkdirSync(dirname(join(extensionCopy, path)), { recursive: true });
      writeFileSync(join(extensionCopy, path), text);
    }
    for (const [path, text] of Object.entries({
      "package.json": '{ "name": "a-project", "private": true }\n',
      "main.charter": 'charter "main" version "1.0.0"\n\nimport "./lib/harm.charter"\n',
      "lib/harm.charter":
        'principle harm.general {\n  critique "Harmful?"\n  revise "Fix it."\n}\n',
    })) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
    // What `npm install charter` leaves in a project: a link to the package's command.
    mkdirSync(join(folder, "node_modules/.bin"), { recursive: true });
    symlinkSync(CHARTER_MAIN, join(folder, "node_modules/.bin/charter"));
    (globalThis as { charterVscodeHost?: VscodeHost }).charterVscodeHost = host;
    extension = requireHere(join(extensionCopy, "extension.js"));
  });
  afterAll(() => {
    delete (globalThis as { charterVscodeHost?: VscodeHost }).charterVscodeHost;
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Activates the extension with these settings and folders; returns the client it made. */
  const activate = async (settings: Record<string, unknown>, folders: string[]) => {
    Object.assign(host, { settings, folders, clients: [] });
    await extension.activate();
    const [client] = host.clients;
    if (client === undefined) throw new Error("activate made no client");
    return client;
  };

  it("makes one started client for .charter, YAML and JSON files, stopped on deactivate", async () => {
    const client = await activate({}, [folder]);
    expect(client.started).toBe(true);
    expect([client.id, client.name]).toEqual(["charter", "Charter"]);
    expect(client.serverOptions.debug).toEqual(client.serverOptions.run);
    expect(client.clientOptions.documentSelector).toEqual([
      { scheme: "file", language: "charter" },
      { scheme: "file", language: "yaml" },
      { scheme: "file", language: "json" },
    ]);
    expect(client.clientOptions.synchronize.fileEvents.glob).toBe("**/*.{charter,yaml,yml,json}");
    await extension.deactivate();
    expect(client.stopped).toBe(true);
  });

  it("runs the workspace's node_modules/.bin/charter, else the setting, else charter on the PATH", async () => {
    const local = join(folder, "node_modules/.bin/charter");
    expect((await activate({}, [folder])).serverOptions.run).toEqual({
      command: local,
      args: ["lsp"],
      transport: 0,
    });
    const configured = (await activate({ "charter.server.path": " /opt/charter " }, [folder]))
      .serverOptions.run.command;
    expect(configured).toBe("/opt/charter");
    expect((await activate({}, [])).serverOptions.run.command).toBe("charter");
    expect((await activate({}, [scratch])).serverOptions.run.command).toBe("charter");
  });

  it("serves VS Code's client: diagnostics after the default debounce, import paths, watched files, shutdown", async () => {
    const { run } = (await activate({}, [folder])).serverOptions;
    // vscode-languageclient 11 adds `--stdio` for TransportKind.stdio and spawns in the folder.
    const session = await startSession(folder, undefined, {
      command: run.command,
      args: [...run.args, "--stdio"],
      capabilities: VSCODE_CAPABILITIES,
    });
    try {
      expect(session.initialized.serverInfo?.name).toBe("charter");
      const main = session.open(join(folder, "main.charter"));
      expect(await session.diagnostics(main)).toEqual([]);
      // A typo, published after the quiet period (150 ms: the extension passes no options).
      const typed = Date.now();
      const version = session.change(main, [
        {
          text: 'charter "main" version "1.0.0"\n\nimport "./lib/harm.charter"\n\ndrop principle harm.genral\n',
        },
      ]);
      const diagnostics = await session.diagnostics(
        main,
        (params) => params.diagnostics.length > 0,
      );
      expect(Date.now() - typed).toBeGreaterThanOrEqual(140);
      expect(compact(diagnostics)).toEqual([
        "5:16 unknown-principle cannot drop `harm.genral`: no principle with that id is defined or imported (did you mean `harm.general`?)",
      ]);
      expect(session.latest(main)?.version).toBe(version);
      // `/` typed in an import, as VS Code sends it.
      const line = 'charter "main" version "1.0.0"\n\nimport "./lib/';
      session.change(main, [{ text: line }]);
      const completion = await session.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: main },
        position: { line: 2, character: 14 },
        context: { triggerKind: CompletionTriggerKind.TriggerCharacter, triggerCharacter: "/" },
      });
      const items = (
        Array.isArray(completion) ? completion : (completion?.items ?? [])
      ) as CompletionItem[];
      expect(items.map((item) => item.label)).toEqual(["harm.charter"]);
      // A file created on disk, reported by the watcher: offered at once.
      writeFileSync(
        join(folder, "lib/style.charter"),
        'principle style.kind {\n  compare "Kinder?"\n}\n',
      );
      await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: uriOf(join(folder, "lib/style.charter")), type: FileChangeType.Created }],
      });
      const again = await session.connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: main },
        position: { line: 2, character: 14 },
        context: { triggerKind: CompletionTriggerKind.Invoked },
      });
      const labels = (
        (Array.isArray(again) ? again : (again?.items ?? [])) as CompletionItem[]
      ).map((item) => item.label);
      expect(labels).toEqual(["harm.charter", "style.charter"]);
    } finally {
      // The client's stop: `shutdown`, then `exit`; it kills a server still running after 2 s.
      const stopped = Date.now();
      const exit = new Promise<number | null>((done) => session.child.once("exit", done));
      await session.stop();
      expect(await exit).toBe(0);
      expect(Date.now() - stopped).toBeLessThan(2000);
      expect(session.stderr()).toBe("");
    }
  });
});
