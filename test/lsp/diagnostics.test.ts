// `charter lsp` diagnostics over JSON-RPC: as you type, across imports (an error in an imported
// file shows on the import and in the file), YAML and JSON constitutions, unsaved text over disk,
// debouncing, and UTF-16 positions.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
} from "vscode-languageserver-protocol/node";
import { compact, positionOf, startSession, uriOf, type LspSession } from "./lsp-client.js";

const fixtures = fileURLToPath(new URL("fixtures/", import.meta.url));

describe("charter lsp diagnostics", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(fixtures);
  });
  afterAll(async () => {
    await session.stop();
  });

  it("announces itself and its features", () => {
    expect(session.initialized.serverInfo?.name).toBe("charter");
    expect(session.initialized.capabilities.textDocumentSync).toBeDefined();
  });

  it("shows an error inside an imported file on the import and in that file", async () => {
    const main = session.open(join(fixtures, "broken/main.charter"));
    const onImport = await session.diagnostics(main, (p) => p.diagnostics.length > 0);
    expect(compact(onImport)).toEqual([
      "3:8 import-has-errors `./lib.charter` has 2 errors: lib.charter:2:3: unknown keyword `critque` in a principle",
    ]);
    const related = onImport[0]?.relatedInformation ?? [];
    expect(related.map((item) => [item.location.uri, item.location.range.start.line])).toEqual([
      [uriOf(join(fixtures, "broken/lib.charter")), 1],
      [uriOf(join(fixtures, "broken/lib.charter")), 7],
    ]);
    // The library is not open, yet its own problems are published (and it needs no header).
    const lib = await session.diagnostics(uriOf(join(fixtures, "broken/lib.charter")));
    expect(compact(lib)).toEqual([
      "2:3 unknown-keyword unknown keyword `critque` in a principle (expected `critique`, `revise`, `compare`, `when` or `example`; did you mean `critique`?)",
      "8:11 unknown-function unknown function `wrds`; the functions are words, chars and lines (did you mean `words`?)",
    ]);
  });

  it("prefers the editor's unsaved text to the disk, and updates the importer", async () => {
    const libPath = join(fixtures, "broken/lib.charter");
    const main = uriOf(join(fixtures, "broken/main.charter"));
    const lib = session.open(
      libPath,
      'principle lib.one {\n  critique "Is it kind?"\n  revise "Make it kind."\n}\n',
    );
    expect(await session.diagnostics(lib, (p) => p.version === 1)).toEqual([]);
    await session.diagnostics(main, (p) => p.diagnostics.length === 0);
    // Closing the document falls back to the file on disk, errors and all.
    session.close(lib);
    await session.diagnostics(lib, (p) => p.diagnostics.length === 2);
    await session.diagnostics(main, (p) => p.diagnostics.length === 1);
  });

  it("reports as you type, for the version just typed", async () => {
    const path = join(fixtures, "library/main.charter");
    const uri = session.open(path);
    expect(await session.diagnostics(uri, (p) => p.version === 1)).toEqual([]);
    // Type a misspelt function into the rule: `words` -> `wordz`.
    const start = positionOf(readFileSync(path, "utf8"), "require words", 12);
    const end = { ...start, character: start.character + 1 };
    const version = session.change(uri, [{ range: { start, end }, text: "z" }]);
    const typed = await session.diagnostics(uri, (p) => p.version === version);
    expect(compact(typed)).toEqual([
      `${start.line + 1}:11 unknown-function unknown function \`wordz\`; the functions are words, chars and lines (did you mean \`words\`?)`,
    ]);
    const fixed = session.change(uri, [{ range: { start, end }, text: "s" }]);
    expect(await session.diagnostics(uri, (p) => p.version === fixed)).toEqual([]);
    session.close(uri);
  });

  it("checks YAML and JSON constitutions, and leaves other YAML alone", async () => {
    const yaml = session.open(join(fixtures, "documents/main.yaml"));
    expect(compact(await session.diagnostics(yaml))).toEqual([
      "5:5 unknown-keyword unknown key `critque` in a principle (expected `id`, `weight`, `tags`, `critique`, `revise`, `compare` or another; did you mean `critique`?)",
    ]);
    const json = session.open(join(fixtures, "documents/main.json"));
    expect(compact(await session.diagnostics(json))).toEqual([
      "4:86 invalid-weight principle weight must be greater than 0, found 0",
    ]);
    const oneLine = session.open(
      join(fixtures, "documents/one-line.json"),
      '{"charter": "j", "version": "1.0.0", "principles": [{"id": "a", "compare": ""}]}',
    );
    expect(compact(await session.diagnostics(oneLine))).toEqual([
      "1:76 empty-text `compare` is empty",
    ]);
    const other = session.open(join(fixtures, "documents/other.yaml"));
    // A change to a constitution forces a round of diagnostics after the open of other.yaml.
    const version = session.change(yaml, [{ text: "charter: yaml-demo\nversion: 1.0.0\n" }]);
    await session.diagnostics(yaml, (p) => p.version === version);
    expect(session.latest(other)).toBeUndefined();
  });

  it("counts positions in UTF-16 code units, as LSP does", async () => {
    const text = 'charter "x" version "1.0.0"\nprinciple p { compare "🙂🙂" critque "x" }\n';
    const uri = session.open(join(fixtures, "documents/emoji.charter"), text);
    const [first] = await session.diagnostics(uri, (p) => p.diagnostics.length > 0);
    // `critque` starts after `principle p { compare "` (23) + two emoji (4 units) + `" ` (2).
    expect(first?.range).toEqual({
      start: { line: 1, character: 29 },
      end: { line: 1, character: 36 },
    });
    session.close(uri);
  });
});

describe("charter lsp debouncing", () => {
  it("recomputes once after a burst of keystrokes", async () => {
    const session = await startSession(fixtures, { debounceMs: 300 });
    try {
      const path = join(fixtures, "documents/burst.charter");
      const uri = uriOf(path);
      session.open(path, 'charter "b" version "1.0.0"\n');
      let version = 1;
      for (const letter of "principle") {
        version = session.change(uri, [
          {
            range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
            text: letter,
          },
        ]);
      }
      await session.diagnostics(uri, (p) => p.version === version);
      expect(session.history(uri).map((params) => params.version)).toEqual([version]);
    } finally {
      await session.stop();
    }
  });
});

describe("charter lsp and the disk", () => {
  it("reads a file again when the client reports it changed on disk", async () => {
    const folder = mkdtempSync(join(tmpdir(), "charter-lsp-disk-"));
    cpSync(join(fixtures, "broken"), folder, { recursive: true });
    writeFileSync(join(folder, "package.json"), "{}\n");
    const session = await startSession(folder);
    try {
      const main = session.open(join(folder, "main.charter"));
      await session.diagnostics(main, (p) => p.diagnostics.length === 1);
      const lib = join(folder, "lib.charter");
      writeFileSync(lib, 'principle lib.one {\n  compare "Which reply is kinder?"\n}\n');
      await session.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: uriOf(lib), type: FileChangeType.Changed }],
      });
      await session.diagnostics(main, (p) => p.diagnostics.length === 0);
      expect(await session.diagnostics(uriOf(lib), (p) => p.diagnostics.length === 0)).toEqual([]);
    } finally {
      await session.stop();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
