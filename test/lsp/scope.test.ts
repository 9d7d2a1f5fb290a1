// Which files `charter lsp` publishes diagnostics for: the open documents and their import graphs
// (what they import, what imports them), never the rest of the workspace; closing the last
// document that needs a file clears its diagnostics.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DocumentSymbolRequest } from "vscode-languageserver-protocol/node";
import { compact, startSession, uriOf, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/graph/", import.meta.url));
const APP = join(folder, "app.charter");
const LIB = join(folder, "shared/lib.charter");
const TOOL = join(folder, "tool.yaml");
const OTHER = join(folder, "other.charter");
const NOTES = join(folder, "notes.yaml");

const LIB_WARNING =
  "2:3 critique-without-revise principle `lib.kind` has `critique` but no `revise`; Phase 1 will skip it";

const TOOL_WARNING =
  "7:5 critique-without-revise principle `tool.own` has `critique` but no `revise`; Phase 1 will skip it";

describe("charter lsp diagnostics scope", () => {
  let session: LspSession | undefined;
  afterEach(async () => {
    await session?.stop();
    session = undefined;
  });

  /** A round trip: every notification of the rounds before it has arrived. */
  const settle = async (current: LspSession, uri: string): Promise<void> => {
    await current.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  };
  const publishedFor = (current: LspSession): string[] =>
    [APP, LIB, TOOL, OTHER, NOTES]
      .filter((path) => current.history(uriOf(path)).length > 0)
      .map((path) => path.slice(folder.length));

  it("publishes for an open document and what it imports, not for the rest", async () => {
    session = await startSession(folder);
    const app = session.open(APP);
    expect(await session.diagnostics(app)).toEqual([]);
    expect(compact(await session.diagnostics(uriOf(LIB)))).toEqual([LIB_WARNING]);
    await settle(session, app);
    // other.charter has an error, but nothing open reaches it.
    expect(publishedFor(session)).toEqual(["app.charter", "shared/lib.charter"]);
  });

  it("publishes for the files importing an open library, which is checked as a library", async () => {
    session = await startSession(folder);
    const lib = session.open(LIB);
    // No missing-header: app.charter and tool.yaml import it.
    expect(compact(await session.diagnostics(lib))).toEqual([LIB_WARNING]);
    expect(await session.diagnostics(uriOf(APP))).toEqual([]);
    expect(compact(await session.diagnostics(uriOf(TOOL)))).toEqual([TOOL_WARNING]);
    await settle(session, lib);
    expect(publishedFor(session)).toEqual(["app.charter", "shared/lib.charter", "tool.yaml"]);
    // An error typed into the library shows on both imports.
    const version = session.change(lib, [{ text: 'principle lib.kind {\n  critque "x"\n}\n' }]);
    await session.diagnostics(lib, (p) => p.version === version);
    const onApp = await session.diagnostics(uriOf(APP), (p) => p.diagnostics.length > 0);
    expect(compact(onApp)).toEqual([
      "3:8 import-has-errors `./shared/lib.charter` has 1 error: lib.charter:2:3: unknown keyword `critque` in a principle",
    ]);
    const onTool = await session.diagnostics(uriOf(TOOL), (p) =>
      p.diagnostics.some((entry) => entry.code === "import-has-errors"),
    );
    expect(onTool.map((entry) => entry.code)).toEqual([
      "critique-without-revise",
      "import-has-errors",
    ]);
  });

  it("clears a file's diagnostics when no open document needs it any more", async () => {
    session = await startSession(folder);
    const app = session.open(APP);
    const lib = session.open(LIB);
    await session.diagnostics(lib, (p) => p.version === 1);
    await session.diagnostics(uriOf(TOOL), (p) => p.diagnostics.length === 1);
    // The library closes: app.charter still imports it, so it stays; tool.yaml was there only as
    // an importer of the open library, so its warning is cleared.
    session.close(lib);
    await session.diagnostics(uriOf(TOOL), (p) => p.diagnostics.length === 0);
    await settle(session, app);
    expect(compact(session.latest(lib)?.diagnostics ?? [])).toEqual([LIB_WARNING]);
    // app.charter closes too: nothing open reaches the library any more.
    session.close(app);
    await session.diagnostics(lib, (p) => p.diagnostics.length === 0);
    expect(session.latest(uriOf(OTHER))).toBeUndefined();
  });

  it("leaves YAML that is not a constitution alone", async () => {
    session = await startSession(folder);
    const notes = session.open(NOTES);
    const app = session.open(APP);
    await session.diagnostics(app);
    await settle(session, app);
    expect(session.latest(notes)).toBeUndefined();
  });
});
