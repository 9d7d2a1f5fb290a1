// `charter lsp` hover, go to definition, find references and rename over JSON-RPC, on a fixture
// workspace where main.charter imports two libraries (one through `only ... as style`).

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  PrepareRenameRequest,
  ReferencesRequest,
  RenameRequest,
  type DocumentSymbol,
  type Location,
  type MarkupContent,
  type Position,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { positionOf, startSession, uriOf, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/library/", import.meta.url));
const MAIN = join(folder, "main.charter");
const HARM = join(folder, "common/harm.charter");
const STYLE = join(folder, "common/style.charter");
const EXTRA = join(folder, "extra.yaml");
const text = (path: string): string => readFileSync(path, "utf8");

describe("charter lsp navigation", () => {
  let session: LspSession;
  let main: string;
  beforeAll(async () => {
    session = await startSession(folder);
    main = session.open(MAIN);
    await session.diagnostics(main);
  });
  afterAll(async () => {
    await session.stop();
  });

  const hover = async (uri: string, position: Position): Promise<string> => {
    const result = await session.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position,
    });
    return (result?.contents as MarkupContent | undefined)?.value ?? "";
  };
  const where = (locations: readonly Location[]): string[] =>
    locations.map(
      (item) =>
        `${item.uri.slice(uriOf(folder).length)}:${item.range.start.line + 1}:${item.range.start.character + 1}-${item.range.end.character + 1}`,
    );

  it("hovers a principle with its texts, weight, tags and where it comes from", async () => {
    const value = await hover(main, positionOf(text(MAIN), "override principle harm.general", 20));
    expect(value).toContain("**principle** `harm.general` · weight 2 · tags harm");
    expect(value).toContain(
      "imported from `common/harm.charter` line 3, overridden at `this file` line 10",
    );
    expect(value).toContain("- critique: Point out each way the reply could cause harm.");
    expect(value).toContain("- revise: Rewrite the reply gently, keeping what helped.");
    const own = await hover(main, positionOf(text(MAIN), "honesty.calibrated", 2));
    expect(own).toContain("**principle** `honesty.calibrated` · weight 2 · tags honesty, care");
    expect(own).toContain("defined here");
    expect(own).toContain(
      "- when `response matches /\\b(always|never)\\b/i and words(response) > 3`",
    );
    const dropped = await hover(main, positionOf(text(MAIN), "drop principle harm.extra", 16));
    expect(dropped).toContain("imported from `common/harm.charter` line 9");
    expect(dropped).toContain("*dropped here*");
  });

  it("hovers template variables, functions, templates and defaults keys", async () => {
    expect(await hover(main, positionOf(text(MAIN), "{{no_change_marker}}", 4))).toBe(
      "`{{no_change_marker}}`: what a critique answers when nothing needs changing (critique only)",
    );
    expect(await hover(main, positionOf(text(MAIN), "words(response)", 1))).toBe(
      "`words(text: string): number`\n\nthe number of words (runs of non-space characters)",
    );
    expect(await hover(main, positionOf(text(MAIN), "critique-request", 3))).toContain(
      "**template** `critique-request`: Phase 1: asks the model to critique its last reply against a principle.",
    );
    expect(await hover(main, positionOf(text(MAIN), "revisions 2", 2))).toBe(
      "**default** `revisions`: number",
    );
    const rule = await hover(main, positionOf(text(MAIN), "short-replies", 2));
    expect(rule).toContain("**rule** `short-replies` on `response`");
    expect(rule).toContain("- flag `words(response) > 400`");
    const rubric = await hover(main, positionOf(text(MAIN), "polite", 2));
    expect(rubric).toContain("**rubric** `polite`");
    expect(rubric).toContain(
      "- essential (2): Addresses the user politely\n- pitfall (-3): Mocks the user",
    );
  });

  it("hovers an import path with what it brings, as this file names it", async () => {
    expect(await hover(main, positionOf(text(MAIN), "./common/harm", 3))).toBe(
      "**import** `common/harm.charter`\n\n- principles: `harm.general`, `harm.extra`",
    );
    expect(await hover(main, positionOf(text(MAIN), "./common/style", 3))).toBe(
      [
        "**import** `common/style.charter`",
        "",
        "- principles (of 2): `style.tone.kind`",
        "- rules: `style.short-replies`",
        "- rubrics: `style.polite`",
      ].join("\n"),
    );
    const yaml = session.open(join(folder, "scratch.yaml"), "imports:\n  - ./missing.charter\n");
    expect(await hover(yaml, { line: 1, character: 8 })).toBe(
      "**import** `missing.charter`\n\nno such file",
    );
    session.close(yaml);
  });

  it("goes to the definition of override/drop ids, only names and import paths", async () => {
    const definition = async (position: Position): Promise<string[]> => {
      const result = await session.connection.sendRequest(DefinitionRequest.type, {
        textDocument: { uri: main },
        position,
      });
      return where(
        result === null ? [] : Array.isArray(result) ? (result as Location[]) : [result],
      );
    };
    expect(await definition(positionOf(text(MAIN), "harm.general", 3))).toEqual([
      "common/harm.charter:3:11-23",
    ]);
    expect(await definition(positionOf(text(MAIN), "harm.extra", 3))).toEqual([
      "common/harm.charter:9:11-21",
    ]);
    expect(await definition(positionOf(text(MAIN), "tone.kind", 1))).toEqual([
      "common/style.charter:1:11-20",
    ]);
    expect(await definition(positionOf(text(MAIN), "style.tone.kind", 8))).toEqual([
      "common/style.charter:1:11-20",
    ]);
    expect(await definition(positionOf(text(MAIN), "short-replies", 1))).toEqual([
      "common/style.charter:9:6-19",
    ]);
    expect(await definition(positionOf(text(MAIN), "polite", 1))).toEqual([
      "common/style.charter:14:8-14",
    ]);
    expect(await definition(positionOf(text(MAIN), "./common/harm.charter", 3))).toEqual([
      "common/harm.charter:1:1-1",
    ]);
  });

  it("finds references across files, from a definition or a use", async () => {
    const references = async (uri: string, position: Position, includeDeclaration = true) =>
      where(
        (await session.connection.sendRequest(ReferencesRequest.type, {
          textDocument: { uri },
          position,
          context: { includeDeclaration },
        })) ?? [],
      );
    // From an import path: the file, then every import naming it (the files importing it).
    const yaml = session.open(
      join(folder, "scratch.yaml"),
      "imports:\n  - ./common/harm.charter\n",
    );
    const harm = positionOf(text(MAIN), "./common/harm", 3);
    expect(await references(main, harm)).toEqual([
      "common/harm.charter:1:1-1",
      "main.charter:3:9-30",
      "scratch.yaml:2:5-26",
    ]);
    expect(await references(yaml, { line: 1, character: 8 }, false)).toEqual([
      "main.charter:3:9-30",
      "scratch.yaml:2:5-26",
    ]);
    session.close(yaml);
    const fromDefinition = await references(uriOf(STYLE), positionOf(text(STYLE), "tone.kind", 1));
    expect(fromDefinition).toEqual([
      "common/style.charter:1:11-20",
      "main.charter:4:38-47",
      "main.charter:16:20-35",
    ]);
    expect(await references(main, positionOf(text(MAIN), "style.tone.kind", 1), false)).toEqual([
      "main.charter:4:38-47",
      "main.charter:16:20-35",
    ]);
    expect(await references(uriOf(STYLE), positionOf(text(STYLE), "polite", 1))).toEqual([
      "common/style.charter:14:8-14",
      "main.charter:4:64-70",
    ]);
    expect(await references(main, positionOf(text(MAIN), "revision-has-substance", 1))).toEqual([
      "main.charter:26:6-28",
    ]);
  });

  it("renames a principle id across the workspace's files, keeping `as` prefixes", async () => {
    const position = positionOf(text(MAIN), "style.tone.kind", 8);
    const prepared = await session.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: main },
      position,
    });
    expect(prepared).toMatchObject({ placeholder: "style.tone.kind" });
    const edit = await session.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: main },
      position,
      newName: "style.tone.gentle",
    });
    const changes = (edit?.changes ?? {}) as Record<string, TextEdit[]>;
    const flat = Object.entries(changes).flatMap(([uri, edits]) =>
      edits.map(
        (item) =>
          `${uri.slice(uriOf(folder).length)}:${item.range.start.line + 1}:${item.range.start.character + 1} ${item.newText}`,
      ),
    );
    expect(flat.sort()).toEqual([
      "common/style.charter:1:11 tone.gentle",
      "main.charter:16:20 style.tone.gentle",
      "main.charter:4:38 tone.gentle",
    ]);
    // The same rename from the other file, by the principle's plain id.
    const fromLibrary = await session.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: uriOf(HARM) },
      position: positionOf(text(HARM), "harm.general", 2),
      newName: "harm.broad",
    });
    expect(Object.keys(fromLibrary?.changes ?? {}).sort()).toEqual([uriOf(HARM), main]);
    // A rule nothing else names: one edit, at its definition.
    const rule = await session.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: main },
      position: positionOf(text(MAIN), "revision-has-substance", 1),
      newName: "revision-is-substantial",
    });
    expect(rule?.changes?.[main]?.map((item) => item.range.start.line + 1)).toEqual([26]);
    await expect(
      session.connection.sendRequest(RenameRequest.type, {
        textDocument: { uri: main },
        position,
        newName: "not valid!",
      }),
    ).rejects.toThrow("is not a valid principle id");
  });

  it("finds the uses of a template variable or a function across files; they have no definition", async () => {
    const references = async (uri: string, position: Position) =>
      where(
        (await session.connection.sendRequest(ReferencesRequest.type, {
          textDocument: { uri },
          position,
          context: { includeDeclaration: true },
        })) ?? [],
      );
    expect(await references(main, positionOf(text(MAIN), "{{no_change_marker}}", 5))).toEqual([
      "extra.yaml:16:52-72",
      "main.charter:39:37-57",
    ]);
    expect(await references(main, positionOf(text(MAIN), "words(revision)", 2))).toEqual([
      "common/style.charter:11:8-13",
      "extra.yaml:12:15-20",
      "main.charter:21:51-56",
      "main.charter:28:11-16",
    ]);
    const definition = await session.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: main },
      position: positionOf(text(MAIN), "words(revision)", 2),
    });
    expect(definition).toBeNull();
    // In YAML too, from the expression inside a string.
    expect(await hover(uriOf(EXTRA), positionOf(text(EXTRA), "words(response)", 1))).toContain(
      "`words(text: string): number`",
    );
  });

  it("outlines YAML and JSON constitutions", async () => {
    const outline = async (uri: string): Promise<string[]> =>
      (
        (await session.connection.sendRequest(DocumentSymbolRequest.type, {
          textDocument: { uri },
        })) as DocumentSymbol[]
      ).map(
        (symbol) => `${symbol.detail ?? ""} ${symbol.name} ${symbol.selectionRange.start.line + 1}`,
      );
    const yaml = session.open(EXTRA);
    expect(await outline(yaml)).toEqual([
      "version 1.0.0 extra 2",
      "principle extra.brief 5",
      "rule extra.short 9",
      "template critique-request 14",
    ]);
    const json = session.open(
      join(folder, "outline.json"),
      '{\n  "charter": "j",\n  "version": "1.0.0",\n  "principles": [{ "id": "a", "compare": "q?" }],\n  "drop": ["harm.extra"]\n}\n',
    );
    expect(await outline(json)).toEqual([
      "version 1.0.0 j 2",
      "principle a 4",
      "drop principle harm.extra 5",
    ]);
    session.close(json);
    session.close(yaml);
  });
});
