// `charter lsp` document links and workspace symbols over JSON-RPC: each import's path links to the
// file it names (quotes left out, missing files not linked), in .charter, YAML and JSON; and the
// workspace's definitions are found by a loose query, each with its file.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DocumentLinkRequest,
  WorkspaceSymbolRequest,
  type DocumentLink,
  type SymbolInformation,
} from "vscode-languageserver-protocol/node";
import { startSession, uriOf, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/library/", import.meta.url));

describe("charter lsp document links and workspace symbols", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(folder);
  });
  afterAll(async () => {
    await session.stop();
  });

  const links = async (uri: string): Promise<string[]> => {
    const result = await session.connection.sendRequest(DocumentLinkRequest.type, {
      textDocument: { uri },
    });
    return ((result ?? []) as DocumentLink[]).map(
      (link) =>
        `${link.range.start.line + 1}:${link.range.start.character + 1}-${link.range.end.character + 1} ${(link.target ?? "").slice(uriOf(folder).length)}`,
    );
  };
  const symbols = async (query: string): Promise<string[]> => {
    const result = (await session.connection.sendRequest(WorkspaceSymbolRequest.type, {
      query,
    })) as SymbolInformation[] | null;
    return (result ?? []).map(
      (symbol) =>
        `${symbol.name} (${symbol.containerName}) ${symbol.location.uri.slice(uriOf(folder).length)}:${symbol.location.range.start.line + 1}:${symbol.location.range.start.character + 1}`,
    );
  };

  it("announces both", () => {
    expect(session.initialized.capabilities.documentLinkProvider).toEqual({
      resolveProvider: false,
    });
    expect(session.initialized.capabilities.workspaceSymbolProvider).toBe(true);
  });

  it("links each import's path in a .charter file to its file", async () => {
    const main = session.open(join(folder, "main.charter"));
    expect(await links(main)).toEqual([
      "3:9-30 common/harm.charter",
      "4:9-31 common/style.charter",
    ]);
    session.close(main);
  });

  it("links the imports of YAML and JSON constitutions, not a missing file", async () => {
    const yaml = session.open(
      join(folder, "scratch.yaml"),
      'imports:\n  - ./common/harm.charter\n  - path: "./common/style.charter"\n    as: s\n  - ./missing.charter\n',
    );
    expect(await links(yaml)).toEqual([
      "2:5-26 common/harm.charter",
      "3:12-34 common/style.charter",
    ]);
    session.close(yaml);
    const json = session.open(
      join(folder, "scratch.json"),
      '{ "imports": ["./common/harm.charter", { "path": "./nowhere.json" }] }',
    );
    expect(await links(json)).toEqual(["1:16-37 common/harm.charter"]);
    session.close(json);
  });

  it("finds the workspace's definitions by a loose query, with their files", async () => {
    expect(await symbols("harm")).toEqual([
      "harm.general (principle in common/harm.charter) common/harm.charter:3:11",
      "harm.extra (principle in common/harm.charter) common/harm.charter:9:11",
    ]);
    // Characters in order, any case: `tk` finds tone.kind; an override is not a definition.
    expect(await symbols("TK")).toEqual([
      "tone.kind (principle in common/style.charter) common/style.charter:1:11",
    ]);
    const all = await symbols("");
    expect(all).toEqual(
      expect.arrayContaining([
        "main (constitution in main.charter) main.charter:1:1",
        "honesty.calibrated (principle in main.charter) main.charter:20:11",
        "revision-has-substance (rule in main.charter) main.charter:26:6",
        "factual-qa (rubric in main.charter) main.charter:31:8",
        "critique-request (template in main.charter) main.charter:35:10",
        "extra (constitution in extra.yaml) extra.yaml:2:1",
        "extra.short (rule in extra.yaml) extra.yaml:9:9",
        "short-replies (rule in common/style.charter) common/style.charter:9:6",
        "polite (rubric in common/style.charter) common/style.charter:14:8",
      ]),
    );
    expect(all.some((line) => line.startsWith("harm.general (principle in main"))).toBe(false);
    expect(await symbols("no-such-thing")).toEqual([]);
  });
});
