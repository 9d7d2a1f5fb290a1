// The Charter extension for VS Code: the language and its grammar come from package.json; this
// starts `charter lsp` (stdio) as the language server for .charter files and for YAML and JSON
// files (the server only reports on those that are constitutions).

const { existsSync } = require("node:fs");
const { join } = require("node:path");
const { workspace } = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/** The configured `charter`, else the workspace's own install, else `charter` on the PATH. */
function charterCommand() {
  const configured = workspace.getConfiguration("charter").get("server.path");
  if (typeof configured === "string" && configured.trim() !== "") return configured.trim();
  for (const folder of workspace.workspaceFolders ?? []) {
    const local = join(folder.uri.fsPath, "node_modules", ".bin", "charter");
    if (existsSync(local)) return local;
  }
  return "charter";
}

async function activate() {
  const server = { command: charterCommand(), args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "charter",
    "Charter",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "charter" },
        { scheme: "file", language: "yaml" },
        { scheme: "file", language: "json" },
      ],
      synchronize: {
        fileEvents: workspace.createFileSystemWatcher("**/*.{charter,yaml,yml,json}"),
      },
    },
  );
  await client.start();
}

async function deactivate() {
  if (client !== undefined) await client.stop();
}

module.exports = { activate, deactivate };
