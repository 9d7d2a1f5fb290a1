// `charter lsp` completion in YAML and JSON constitutions over JSON-RPC: the keys valid at the
// cursor, ids where an id is expected (overrides, drop, only), stages, fields and functions in
// expressions, template variables, `defaults` keys and choices; next to the library fixture's
// .charter files, which the documents import.

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CompletionRequest,
  type CompletionItem,
  type TextEdit,
} from "vscode-languageserver-protocol/node";
import { positionOf, startSession, type LspSession } from "./lsp-client.js";

const folder = fileURLToPath(new URL("fixtures/library/", import.meta.url));
const HEADER = 'charter: scratch\nversion: "1.0.0"\n';

describe("charter lsp completion in YAML and JSON", () => {
  let session: LspSession;
  beforeAll(async () => {
    session = await startSession(folder);
  });
  afterAll(async () => {
    await session.stop();
  });

  /** Opens `marked` (without its `§`) as a document next to main.charter; completes at `§`. */
  let scratch = 0;
  const complete = async (marked: string, extension = "yaml"): Promise<CompletionItem[]> => {
    const text = marked.replace("§", "");
    const uri = session.open(join(folder, `scratch-${++scratch}.${extension}`), text);
    const result = await session.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: positionOf(marked, "§"),
    });
    session.close(uri);
    return (Array.isArray(result) ? result : (result?.items ?? [])) as CompletionItem[];
  };
  const labels = async (marked: string, extension = "yaml"): Promise<string[]> =>
    (await complete(marked, extension)).map((item) => item.label);
  const inserted = async (marked: string, extension = "yaml"): Promise<string[]> =>
    (await complete(marked, extension)).map((item) => (item.textEdit as TextEdit).newText);

  it("completes the top-level sections not yet written, as keys", async () => {
    expect(await labels(`${HEADER}§`)).toEqual([
      "about",
      "imports",
      "defaults",
      "principles",
      "overrides",
      "drop",
      "rules",
      "rubrics",
      "templates",
      "few-shots",
    ]);
    expect((await inserted(`${HEADER}pri§`)).slice(0, 2)).toEqual(["about: ", "imports: "]);
  });

  it("completes the fields of a principle, a rule's check, a criterion and a few-shot turn", async () => {
    expect(await labels(`${HEADER}principles:\n  - id: a\n    cri§\n`)).toEqual([
      "weight",
      "tags",
      "critique",
      "revise",
      "compare",
      "when",
      "examples",
    ]);
    expect(await labels(`${HEADER}principles:\n  - §\n`)).toContain("id");
    expect(
      await labels(`${HEADER}rules:\n  - id: r\n    on: response\n    checks:\n      - §\n`),
    ).toEqual(["require", "prefer", "flag"]);
    expect(
      await labels(
        `${HEADER}rubrics:\n  - id: q\n    criteria:\n      - essential: Right\n        §\n`,
      ),
    ).toEqual(["important", "optional", "pitfall", "check", "weight"]);
    const fewShot = `${HEADER}few-shots:\n  - id: d\n    examples:\n      - conversation:\n          - §\n`;
    expect(await labels(fewShot)).toEqual(["user", "assistant"]);
  });

  it("completes `defaults` keys and the choices of a key", async () => {
    const keys = await labels(`${HEADER}defaults:\n  revisions: 2\n  §\n`);
    expect(keys).toEqual(expect.arrayContaining(["both-orders", "seed", "method"]));
    expect(keys).not.toContain("revisions");
    expect(await labels(`${HEADER}defaults:\n  method: §\n`)).toEqual(["logprobs", "vote", "cot"]);
    expect(await labels(`${HEADER}defaults:\n  both-orders: §\n`)).toEqual(["true", "false"]);
  });

  it("completes imported principle ids under overrides and drop, and an import's ids in only", async () => {
    const imported = `${HEADER}imports:\n  - ./common/harm.charter\n`;
    expect(await labels(`${imported}overrides:\n  - id: §\n`)).toEqual([
      "harm.general",
      "harm.extra",
    ]);
    // One already dropped is not offered again.
    expect(await labels(`${imported}drop: [harm.extra, §]\n`)).toEqual(["harm.general"]);
    expect(
      await labels(
        `${HEADER}imports:\n  - path: ./common/style.charter\n    only: [tone.kind, §]\n`,
      ),
    ).toEqual(["tone.kind", "tone.curt", "short-replies", "polite"]);
  });

  it("completes stages, fields and functions in expressions, and template variables", async () => {
    expect(await labels(`${HEADER}rules:\n  - id: r\n    on: §\n`)).toEqual([
      "prompt",
      "response",
      "critique",
      "revision",
      "pair",
    ]);
    const expression = await complete(
      `${HEADER}rules:\n  - id: r\n    on: revision\n    checks:\n      - require: words(rev§) > 2\n`,
    );
    expect(expression.map((item) => item.label)).toEqual(
      expect.arrayContaining(["prompt", "revision", "words", "chars", "lines"]),
    );
    expect(expression.find((item) => item.label === "words")?.textEdit).toMatchObject({
      newText: "words(",
    });
    expect(await labels(`${HEADER}principles:\n  - id: a\n    when: "§"\n`)).toContain("response");
    expect(await labels(`${HEADER}templates:\n  revision-request: |-\n    Ask: {{cri§\n`)).toEqual([
      "conversation",
      "prompt",
      "response",
      "critique",
      "principle.id",
      "principle.critique",
      "principle.revise",
      "examples",
    ]);
    expect(await labels(`${HEADER}templates:\n  crit§\n`)).toContain("critique-request");
  });

  it("completes in JSON, quoting a key typed outside quotes", async () => {
    const json = '{"charter": "j", "version": "1.0.0", "principles": [{"id": "a", "§"}]}';
    expect(await labels(json, "json")).toEqual([
      "weight",
      "tags",
      "critique",
      "revise",
      "compare",
      "when",
      "examples",
    ]);
    expect((await inserted(json, "json"))[0]).toBe("weight");
    expect((await inserted('{"charter": "j", "version": "1.0.0", §}', "json"))[0]).toBe(
      '"about": ',
    );
    expect(
      await labels(
        '{"charter": "j", "version": "1.0.0", "rules": [{"id": "r", "on": "§"}]}',
        "json",
      ),
    ).toEqual(["prompt", "response", "critique", "revision", "pair"]);
  });

  it("offers nothing in YAML or JSON that is not a constitution", async () => {
    expect(await labels("name: build\non: push\n§\n")).toEqual([]);
    expect(await labels('{"name": "x", "§"}', "json")).toEqual([]);
  });
});
