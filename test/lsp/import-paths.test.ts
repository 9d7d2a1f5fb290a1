// `charter lsp` completes import paths over JSON-RPC: in a .charter file's `import "…"` and in a
// YAML/JSON constitution's `imports`, the folders holding constitutions and the constitution files
// beside the document, one segment at a time, `../` while inside the project root, and nothing
// for files that are not constitutions, hidden or skipped folders, the document itself or a file
// already imported. The workspace is written to a temporary folder with its own package.json (the
// project root imports may not leave).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompletionRequest,
  CompletionTriggerKind,
  type CompletionItem,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { positionOf, startSession, type LspSession } from "./lsp-client.js";

const LIBRARY =
  'principle harm.general {\n  critique "Is it harmful?"\n  revise "Make it safe."\n}\n';

const FILES: Record<string, string> = {
  "package.json": '{ "name": "paths-fixture", "private": true }\n',
  "main.charter": 'charter "main" version "1.0.0"\n\nimport "./lib/harm.charter"\n',
  "lib/harm.charter": LIBRARY,
  "lib/style.yaml": "principles:\n  - id: style.kind\n    compare: Which reply is kinder?\n",
  "lib/tone.json": '{ "principles": [{ "id": "tone.warm", "compare": "Which is warmer?" }] }\n',
  "lib/notes.yaml": "title: not a constitution\n",
  "lib/data.json": "[1, 2, 3]\n",
  "lib/readme.md": "# notes\n",
  "lib/deep/nested/extra.charter": LIBRARY,
  "lib/empty/readme.txt": "nothing to import here\n",
  "lib/yaml-only/more.yml": "rules:\n  - id: r\n    on: response\n",
  "node_modules/pkg/x.charter": LIBRARY,
  ".hidden/x.charter": LIBRARY,
  "app/entry.charter": 'charter "entry" version "1.0.0"\n',
  // More entries than the search looks at: offered, since it may hold a constitution.
  ...Object.fromEntries(
    Array.from({ length: 410 }, (_, index) => [`lib/deep/crowd/note-${index}.txt`, "text\n"]),
  ),
};

describe("charter lsp import-path completion", () => {
  const folder = mkdtempSync(join(tmpdir(), "charter-paths-"));
  let session: LspSession;
  beforeAll(async () => {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), text);
    }
    session = await startSession(folder);
  });
  afterAll(async () => {
    await session.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Opens `marked` (without its `§`) as `path` in the workspace; completes at `§`. */
  const complete = async (
    path: string,
    marked: string,
    trigger?: string,
  ): Promise<CompletionItem[]> => {
    const uri = session.open(join(folder, path), marked.replace("§", ""));
    const result = await session.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positionOf(marked, "§"),
      ...(trigger !== undefined
        ? {
            context: {
              triggerKind: CompletionTriggerKind.TriggerCharacter,
              triggerCharacter: trigger,
            },
          }
        : {}),
    });
    session.close(uri);
    return (Array.isArray(result) ? result : (result?.items ?? [])) as CompletionItem[];
  };
  const labels = async (path: string, marked: string, trigger?: string): Promise<string[]> =>
    (await complete(path, marked, trigger)).map((item) => item.label);
  const edits = async (path: string, marked: string): Promise<string[]> =>
    (await complete(path, marked)).map((item) => {
      const edit = item.textEdit as TextEdit;
      return `${edit.range.start.line}:${edit.range.start.character}-${edit.range.end.character} ${edit.newText}`;
    });
  const HEADER = 'charter "scratch" version "1.0.0"\n';

  it("offers the folders holding constitutions and the files beside the document, as ./", async () => {
    expect(await labels("scratch.charter", `${HEADER}import "§`, '"')).toEqual([
      "app/",
      "lib/",
      "main.charter",
    ]);
    expect(await edits("scratch.charter", `${HEADER}import "§"`)).toEqual([
      "1:8-8 ./app/",
      "1:8-8 ./lib/",
      "1:8-8 ./main.charter",
    ]);
    const items = await complete("scratch.charter", `${HEADER}import "./§"`, "/");
    expect(items.map((item) => [item.label, item.kind, item.command?.command])).toEqual([
      ["app/", 19, "editor.action.triggerSuggest"],
      ["lib/", 19, "editor.action.triggerSuggest"],
      ["main.charter", 17, undefined],
    ]);
  });

  it("lists a folder's constitutions as the path is typed, replacing the last segment", async () => {
    const lib = ["deep/", "yaml-only/", "harm.charter", "style.yaml", "tone.json"];
    expect(await labels("scratch.charter", `${HEADER}import "./lib/§"`, "/")).toEqual(lib);
    expect(await edits("scratch.charter", `${HEADER}import "./lib/ha§"\n`)).toEqual([
      "1:14-16 deep/",
      "1:14-16 yaml-only/",
      "1:14-16 harm.charter",
      "1:14-16 style.yaml",
      "1:14-16 tone.json",
    ]);
    expect(await labels("scratch.charter", `${HEADER}import "lib/deep/§`)).toEqual([
      "crowd/",
      "nested/",
    ]);
    expect(await labels("scratch.charter", `${HEADER}import "./lib/deep/nested/§`)).toEqual([
      "extra.charter",
    ]);
    // Not a folder of the workspace: nothing.
    expect(await labels("scratch.charter", `${HEADER}import "./nowhere/§`)).toEqual([]);
  });

  it("climbs with ../ up to the project root, never past it", async () => {
    expect(await edits("app/scratch.charter", `${HEADER}import "§"`)).toEqual([
      "1:8-8 ../",
      "1:8-8 ./entry.charter",
    ]);
    expect(await labels("app/scratch.charter", `${HEADER}import "../§"`, "/")).toEqual([
      "app/",
      "lib/",
      "main.charter",
    ]);
    expect(await labels("app/scratch.charter", `${HEADER}import "../../§"`, "/")).toEqual([]);
    expect(await labels("scratch.charter", `${HEADER}import "../§"`, "/")).toEqual([]);
    expect(await labels("scratch.charter", `${HEADER}import "/etc/§"`, "/")).toEqual([]);
  });

  it("leaves out the document itself and the files its other imports name", async () => {
    const main = `${FILES["main.charter"]}import "./lib/§"\n`;
    expect(await labels("main.charter", main)).toEqual([
      "deep/",
      "yaml-only/",
      "style.yaml",
      "tone.json",
    ]);
    expect(await labels("app/entry.charter", `${HEADER}import "./§"`)).toEqual(["../"]);
  });

  it("offers nothing for `/` outside an import path (a regex)", async () => {
    const regex = `${HEADER}principle p {\n  when response matches /§\n  critique "x"\n}\n`;
    expect(await labels("scratch.charter", regex, "/")).toEqual([]);
  });

  it("completes the paths of a YAML constitution's imports, bare or as `path`", async () => {
    const yaml = 'charter: scratch\nversion: "1.0.0"\nimports:\n';
    expect(await labels("scratch.yaml", `${yaml}  - ./lib/§\n`, "/")).toEqual([
      "deep/",
      "yaml-only/",
      "harm.charter",
      "style.yaml",
      "tone.json",
    ]);
    expect(await edits("scratch.yaml", `${yaml}  - path: "./lib/st§"\n    as: s\n`)).toEqual([
      "3:17-19 deep/",
      "3:17-19 yaml-only/",
      "3:17-19 harm.charter",
      "3:17-19 style.yaml",
      "3:17-19 tone.json",
    ]);
    // A bare item may also begin a mapping: an import's keys come with the paths.
    expect(await edits("scratch.yaml", `${yaml}  - §\n`)).toEqual([
      "3:4-4 path: ",
      "3:4-4 only: ",
      "3:4-4 as: ",
      "3:4-4 ./app/",
      "3:4-4 ./lib/",
      "3:4-4 ./main.charter",
    ]);
    expect(await labels("scratch.yaml", `${yaml}  - [./lib/yaml-only/§]\n`)).toEqual([]);
    expect(await labels("scratch.yaml", "imports: [./lib/yaml-only/§]\n", "/")).toEqual([
      "more.yml",
    ]);
  });

  it("completes the paths of a JSON constitution's imports once the quote is typed", async () => {
    expect(await labels("scratch.json", '{ "imports": ["./lib/deep/§"] }', "/")).toEqual([
      "crowd/",
      "nested/",
    ]);
    expect(
      await edits("scratch.json", '{ "imports": [{ "path": "./§", "only": ["x"] }] }'),
    ).toEqual(["0:27-27 app/", "0:27-27 lib/", "0:27-27 main.charter"]);
    expect(await labels("scratch.json", '{ "imports": ["./§"] }', '"')).toEqual([
      "app/",
      "lib/",
      "main.charter",
    ]);
  });
});
