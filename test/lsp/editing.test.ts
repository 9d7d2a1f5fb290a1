// `charter lsp` completion, formatting, the outline and quick fixes over JSON-RPC.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodeActionRequest,
  CompletionRequest,
  DocumentFormattingRequest,
  DocumentSymbolRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Position,
} from "vscode-languageserver-protocol/node";
import { formatSource } from "../../src/dsl/index.js";
import { positionOf, startSession, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/library/", import.meta.url));
const MAIN = join(folder, "main.charter");
const HEADER = 'charter "scratch" version "1.0.0"\n';

describe("charter lsp editing", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(folder);
  });
  afterAll(async () => {
    await session.stop();
  });

  /** Opens `text` as a document next to main.charter and completes where `|` is. */
  let scratch = 0;
  const complete = async (marked: string): Promise<string[]> => {
    const text = marked.replace("|", "");
    const uri = session.open(join(folder, `scratch-${++scratch}.charter`), text);
    const result = await session.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positionOf(marked, "|"),
    });
    session.close(uri);
    const items = (Array.isArray(result) ? result : (result?.items ?? [])) as CompletionItem[];
    return items.map((item) => item.label);
  };

  it("completes the keywords the grammar allows at the cursor", async () => {
    expect(await complete(`${HEADER}|`)).toEqual([
      "charter",
      "about",
      "import",
      "defaults",
      "override",
      "principle",
      "drop",
      "rule",
      "rubric",
      "template",
      "few-shot",
    ]);
    expect(await complete(`${HEADER}principle p {\n  cri|\n}\n`)).toEqual([
      "critique",
      "revise",
      "compare",
      "when",
      "example",
    ]);
    expect(await complete(`${HEADER}principle p weight 2 |`)).toEqual(["weight", "tags"]);
    // A string just opened (`"` is a trigger character, for JSON keys): nothing to offer.
    expect(await complete(`${HEADER}principle p {\n  critique "|\n}\n`)).toEqual([]);
  });

  it("completes principle ids after override and drop, and an import's ids after only", async () => {
    const imported = `${HEADER}import "./common/harm.charter"\nimport "./common/style.charter" as style\n`;
    expect(await complete(`${imported}drop principle |`)).toEqual([
      "harm.general",
      "harm.extra",
      "style.tone.kind",
      "style.tone.curt",
    ]);
    expect(await complete(`${HEADER}import "./common/style.charter" only tone.kind, |`)).toEqual([
      "tone.kind",
      "tone.curt",
      "short-replies",
      "polite",
    ]);
  });

  it("completes stages, template names and variables, fields and functions, defaults keys", async () => {
    expect(await complete(`${HEADER}rule r {\n  on |\n}\n`)).toEqual([
      "prompt",
      "response",
      "critique",
      "revision",
      "pair",
    ]);
    expect(await complete(`${HEADER}template |`)).toContain("critique-request");
    expect(await complete(`${HEADER}template revision-request """\n  {{cri|}}\n"""\n`)).toEqual([
      "conversation",
      "prompt",
      "response",
      "critique",
      "principle.id",
      "principle.critique",
      "principle.revise",
      "examples",
    ]);
    const expression = await complete(`${HEADER}rule r {\n  on revision\n  require |\n}\n`);
    expect(expression).toEqual(
      expect.arrayContaining(["not", "true", "prompt", "revision", "words", "chars", "lines"]),
    );
    const defaults = await complete(`${HEADER}defaults {\n  revisions 2\n  |\n}\n`);
    expect(defaults).toEqual(expect.arrayContaining(["revisions", "both-orders", "seed"]));
  });

  it("formats with the formatter `charter fmt` uses, and leaves broken files alone", async () => {
    const messy = `charter   "x"  version "1.0.0"\nprinciple a {compare "q?"   }\n`;
    const uri = session.open(join(folder, "messy.charter"), messy);
    const edits = await session.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(edits?.map((edit) => edit.newText)).toEqual([formatSource(messy, "messy.charter").text]);
    expect(edits?.[0]?.range).toEqual({
      start: { line: 0, character: 0 },
      end: { line: 2, character: 0 },
    });
    session.change(uri, [{ text: "principle {" }]);
    const none = await session.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
    expect(none).toEqual([]);
    session.close(uri);
  });

  it("outlines a file's declarations", async () => {
    const uri = session.open(MAIN);
    const symbols = (await session.connection.sendRequest(DocumentSymbolRequest.type, {
      textDocument: { uri },
    })) as DocumentSymbol[];
    expect(symbols.map((symbol) => `${symbol.detail ?? ""} ${symbol.name}`)).toEqual([
      "version 1.0.0 main",
      "import ./common/harm.charter",
      "import ./common/style.charter",
      " defaults",
      "override principle harm.general",
      "drop principle harm.extra",
      "override principle style.tone.kind",
      "principle honesty.calibrated",
      "rule revision-has-substance",
      "rubric factual-qa",
      "template critique-request",
    ]);
    const honesty = symbols[7];
    expect(honesty?.selectionRange.start).toEqual(
      positionOf(readFileSync(MAIN, "utf8"), "honesty.calibrated"),
    );
    session.close(uri);
  });

  it("offers the did-you-mean suggestion of a diagnostic as a quick fix", async () => {
    const text = `${HEADER}principle p {\n  critque "Is it kind?"\n  revise "Be kind."\n}\n`;
    const uri = session.open(join(folder, "typo.charter"), text);
    const diagnostics = await session.diagnostics(uri, (p) => p.diagnostics.length > 0);
    const actions = await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0]!.range,
      context: { diagnostics },
    });
    expect(actions).toEqual([
      expect.objectContaining({
        title: "Change to `critique`",
        kind: "quickfix",
        isPreferred: true,
        edit: {
          changes: {
            [uri]: [{ range: positionRange(text, "critque", 7), newText: "critique" }],
          },
        },
      }),
    ]);
    session.close(uri);
  });
});

function positionRange(
  text: string,
  needle: string,
  length: number,
): { start: Position; end: Position } {
  const start = positionOf(text, needle);
  return { start, end: { line: start.line, character: start.character + length } };
}
