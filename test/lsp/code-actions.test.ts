// `charter lsp` quick fixes over JSON-RPC, beyond did-you-mean: each one is requested for the
// diagnostic the server published, applied to the text, and the fixed text is checked again by
// the server (the diagnostic it fixed is gone).

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CodeActionRequest,
  type CodeAction,
  type Position,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { startSession, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/library/", import.meta.url));
const HEADER = 'charter "scratch" version "1.0.0"\n';

function offsetAt(text: string, position: Position): number {
  const lines = text.split("\n");
  let offset = 0;
  for (let line = 0; line < position.line; line++) offset += (lines[line]?.length ?? 0) + 1;
  return offset + position.character;
}

/** `edits` applied to `text` (last first, so earlier offsets hold). */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort(
    (a, b) => offsetAt(text, b.range.start) - offsetAt(text, a.range.start),
  );
  let result = text;
  for (const edit of sorted) {
    result =
      result.slice(0, offsetAt(text, edit.range.start)) +
      edit.newText +
      result.slice(offsetAt(text, edit.range.end));
  }
  return result;
}

describe("charter lsp quick fixes", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(folder);
  });
  afterAll(async () => {
    await session.stop();
  });

  /**
   * Opens `text` as `name`, takes the quick fix for its `code` diagnostic, applies it and waits
   * for the server's diagnostics of the fixed text. Returns the fix's title, the fixed text and the
   * codes still reported.
   */
  const fix = async (
    name: string,
    text: string,
    code: string,
  ): Promise<{ title: string; fixed: string; codes: string[] }> => {
    const uri = session.open(join(folder, name), text);
    const diagnostics = await session.diagnostics(uri, (p) =>
      p.diagnostics.some((entry) => entry.code === code),
    );
    const target = diagnostics.filter((entry) => entry.code === code);
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: target[0]!.range,
      context: { diagnostics: target },
    })) as CodeAction[];
    expect(actions).toHaveLength(1);
    const action = actions[0]!;
    expect(action.kind).toBe("quickfix");
    const fixed = applyEdits(text, action.edit?.changes?.[uri] ?? []);
    const version = session.change(uri, [{ text: fixed }]);
    const after = await session.diagnostics(uri, (p) => p.version === version);
    session.close(uri);
    return { title: action.title, fixed, codes: after.map((entry) => String(entry.code)) };
  };

  it("inserts a missing header, in .charter, YAML and JSON", async () => {
    const charter = await fix(
      "no-header.charter",
      'principle p {\n  compare "Which is kinder?"\n}\n',
      "missing-header",
    );
    expect(charter.title).toBe('Add the header `charter "no-header" version "1.0.0"`');
    expect(charter.fixed).toBe(
      'charter "no-header" version "1.0.0"\n\nprinciple p {\n  compare "Which is kinder?"\n}\n',
    );
    expect(charter.codes).toEqual([]);
    const yaml = await fix(
      "no-header.yaml",
      "principles:\n  - id: p\n    compare: Which is kinder?\n",
      "missing-header",
    );
    expect(yaml.fixed).toBe(
      'charter: "no-header"\nversion: "1.0.0"\nprinciples:\n  - id: p\n    compare: Which is kinder?\n',
    );
    expect(yaml.codes).toEqual([]);
    const json = await fix(
      "no-header.json",
      '{"principles": [{"id": "p", "compare": "Which is kinder?"}]}\n',
      "missing-header",
    );
    expect(json.fixed).toBe(
      '{"charter": "no-header", "version": "1.0.0", "principles": [{"id": "p", "compare": "Which is kinder?"}]}\n',
    );
    expect(json.codes).toEqual([]);
  });

  it("removes a repeated field: a principle's text, a rule's `on`, a `defaults` key", async () => {
    const principle = await fix(
      "twice.charter",
      `${HEADER}principle p {\n  critique "Is it kind?"\n  revise "Make it kind."\n  critique "Is it true?"\n}\n`,
      "duplicate-field",
    );
    expect(principle.title).toBe("Remove the second `critique`");
    expect(principle.fixed).toBe(
      `${HEADER}principle p {\n  critique "Is it kind?"\n  revise "Make it kind."\n}\n`,
    );
    expect(principle.codes).toEqual([]);
    const rule = await fix(
      "twice-rule.charter",
      `${HEADER}rule r {\n  on response\n  on revision\n  flag words(response) > 2\n}\n`,
      "duplicate-field",
    );
    expect(rule.fixed).toBe(`${HEADER}rule r {\n  on response\n  flag words(response) > 2\n}\n`);
    expect(rule.codes).toEqual([]);
    const defaults = await fix(
      "twice-defaults.charter",
      `${HEADER}defaults { revisions 2 seed 1 revisions 3 }\nprinciple p { compare "q?" }\n`,
      "duplicate-field",
    );
    expect(defaults.fixed).toBe(
      `${HEADER}defaults { revisions 2 seed 1 }\nprinciple p { compare "q?" }\n`,
    );
    expect(defaults.codes).toEqual([]);
  });

  it("makes a version semantic", async () => {
    const charter = await fix(
      "version.charter",
      'charter "v" version "1.2"\nprinciple p { compare "q?" }\n',
      "invalid-version",
    );
    expect([charter.title, charter.fixed.split("\n")[0], charter.codes]).toEqual([
      "Change the version to `1.2.0`",
      'charter "v" version "1.2.0"',
      [],
    ]);
    const yaml = await fix(
      "version.yaml",
      "charter: v\nversion: v2\nprinciples:\n  - id: p\n    compare: q?\n",
      "invalid-version",
    );
    expect([yaml.fixed.split("\n")[1], yaml.codes]).toEqual(['version: "2.0.0"', []]);
  });

  it("turns a weight's sign the way its criterion or principle needs", async () => {
    const pitfall = await fix(
      "pitfall.charter",
      `${HEADER}rubric r {\n  pitfall "Mocks the user" weight 3\n}\n`,
      "invalid-weight",
    );
    expect([pitfall.title, pitfall.codes]).toEqual(["Change the weight to -3", []]);
    expect(pitfall.fixed).toContain('pitfall "Mocks the user" weight -3');
    const principle = await fix(
      "negative.charter",
      `${HEADER}principle p weight -2 {\n  compare "q?"\n}\n`,
      "invalid-weight",
    );
    expect([principle.fixed.split("\n")[1], principle.codes]).toEqual([
      "principle p weight 2 {",
      [],
    ]);
  });

  it("closes a string or a regex left open on its line", async () => {
    const text = await fix(
      "open-string.charter",
      `${HEADER}principle p {\n  compare "Which is kinder?  \n}\n`,
      "unterminated-string",
    );
    expect([text.title, text.fixed.split("\n")[2], text.codes]).toEqual([
      "Close the string",
      '  compare "Which is kinder?"  ',
      [],
    ]);
    const regex = await fix(
      "open-regex.charter",
      `${HEADER}principle p {\n  when response matches /always\n  compare "q?"\n}\n`,
      "unterminated-regex",
    );
    expect([regex.title, regex.fixed.split("\n")[2], regex.codes]).toEqual([
      "Close the regex",
      "  when response matches /always/",
      [],
    ]);
  });
});
