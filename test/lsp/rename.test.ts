// `charter lsp` rename over JSON-RPC: rule, rubric and few-shot ids across .charter and YAML files
// (through `only` and `as`; top.charter imports main.charter, which imports lib.charter `as lib`),
// an import's `as` prefix, and the refusals: nothing renameable under the cursor, a name that is not
// an id, a clash with an existing id, a name an `only` glob drops.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  PrepareRenameRequest,
  RenameRequest,
  type Position,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { positionOf, startSession, uriOf, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/rename/", import.meta.url));
const LIB = join(folder, "lib.charter");
const MAIN = join(folder, "main.charter");
const text = (path: string): string => readFileSync(path, "utf8");

describe("charter lsp rename", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(folder);
    await session.diagnostics(session.open(MAIN));
  });
  afterAll(async () => {
    await session.stop();
  });

  /** The edits of a rename as `file:line:col newText`, sorted. */
  const rename = async (path: string, position: Position, newName: string): Promise<string[]> => {
    const edit = await session.connection.sendRequest(RenameRequest.type, {
      textDocument: { uri: uriOf(path) },
      position,
      newName,
    });
    const changes = (edit?.changes ?? {}) as Record<string, TextEdit[]>;
    return Object.entries(changes)
      .flatMap(([uri, edits]) =>
        edits.map(
          (item) =>
            `${uri.slice(uriOf(folder).length)}:${item.range.start.line + 1}:${item.range.start.character + 1} ${item.newText}`,
        ),
      )
      .sort();
  };
  const prepare = (path: string, position: Position) =>
    session.connection.sendRequest(PrepareRenameRequest.type, {
      textDocument: { uri: uriOf(path) },
      position,
    });

  it("renames a rule id at its definition and in an importer's `only`", async () => {
    expect(await prepare(MAIN, positionOf(text(MAIN), "r.len", 1))).toMatchObject({
      placeholder: "r.len",
    });
    expect(await rename(LIB, positionOf(text(LIB), "r.len", 1), "r.length")).toEqual([
      "lib.charter:11:6 r.length",
      "main.charter:3:36 r.length",
    ]);
  });

  it("renames a rubric id across .charter and YAML files, keeping YAML's quotes", async () => {
    expect(await rename(MAIN, positionOf(text(MAIN), "qa", 1), "answers")).toEqual([
      'doc.yaml:5:12 "answers"',
      "lib.charter:16:8 answers",
      "main.charter:3:43 answers",
    ]);
  });

  it("renames a few-shot set id", async () => {
    expect(await rename(LIB, positionOf(text(LIB), "demos", 1), "greetings")).toEqual([
      "lib.charter:24:10 greetings",
      "main.charter:3:47 greetings",
    ]);
  });

  it("renames a principle through `as`: the prefix stays, the glob in `only` still matches", async () => {
    expect(await rename(MAIN, positionOf(text(MAIN), "lib.p.one", 5), "lib.p.first")).toEqual([
      "lib.charter:3:11 p.first",
      "main.charter:3:29 p.first",
      "main.charter:5:20 lib.p.first",
      "top.charter:5:20 lib.p.first",
    ]);
  });

  it("renames an import's `as` prefix with the names that carry it, in importers too", async () => {
    const position = positionOf(text(MAIN), "as lib", 4);
    expect(await prepare(MAIN, position)).toMatchObject({ placeholder: "lib" });
    expect(await rename(MAIN, position, "base")).toEqual([
      "main.charter:3:56 base",
      "main.charter:5:20 base.p.one",
      "top.charter:5:20 base.p.one",
    ]);
  });

  it("refuses where nothing renameable is under the cursor", async () => {
    await expect(prepare(MAIN, positionOf(text(MAIN), "critique-request", 2))).rejects.toThrow(
      "`critique-request` is a template name from Charter's catalog; it cannot be renamed",
    );
    await expect(prepare(MAIN, positionOf(text(MAIN), "./lib.charter", 2))).rejects.toThrow(
      "an import path is not renamed",
    );
    await expect(prepare(MAIN, positionOf(text(MAIN), "  require", 1))).rejects.toThrow(
      "nothing to rename here",
    );
    // outside.charter overrides a principle of ../library, which is not in the workspace's folder.
    const outside = join(folder, "outside.charter");
    await expect(prepare(outside, positionOf(text(outside), "harm.general", 1))).rejects.toThrow(
      "`harm.general` is defined in ../library/common/harm.charter, outside the workspace's folders; rename it there",
    );
    await expect(rename(MAIN, positionOf(text(MAIN), "own.rule", 1), "not valid!")).rejects.toThrow(
      "`not valid!` is not a valid rule id",
    );
  });

  it("refuses a name that clashes with an existing id, here or in an importer", async () => {
    await expect(rename(LIB, positionOf(text(LIB), "rubric qa", 7), "qa2")).rejects.toThrow(
      /^renaming to `qa2` would give .*lib\.charter:20:8: .*\(duplicate-rubric\)$/,
    );
    // doc.yaml defines `doc-rubric` and imports `qa`: renaming `qa` to it clashes there.
    await expect(rename(LIB, positionOf(text(LIB), "rubric qa", 7), "doc-rubric")).rejects.toThrow(
      /^renaming to `doc-rubric` would give .*doc\.yaml:.*\(duplicate-rubric\)$/,
    );
  });

  it("refuses a name an importer's `only` glob would no longer take", async () => {
    await expect(rename(LIB, positionOf(text(LIB), "p.two", 1), "second")).rejects.toThrow(
      "renaming to `second` would take a principle out of `doc.yaml` (an import's `only` would no longer match it)",
    );
  });
});
