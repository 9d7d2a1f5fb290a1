// documentCursor: where an editor's cursor is in a YAML/JSON constitution, in half-typed text: the
// path of keys and list positions, key or value, and which mapping of the shape that is.

import { describe, expect, it } from "vitest";
import { documentCursor } from "../../src/dsl/index.js";

/** The cursor at `§` in `marked`, as plain data. */
function at(marked: string) {
  const offset = marked.indexOf("§");
  const cursor = documentCursor(marked.replace("§", ""), offset);
  return (
    cursor && {
      path: cursor.path,
      slot: cursor.slot,
      mapping: cursor.mapping,
      before: cursor.before,
      fields: Object.fromEntries(cursor.fields),
    }
  );
}

describe("documentCursor", () => {
  it("finds a key being typed, alone on its line or as a new list item", () => {
    expect(at("principles:\n  - id: a\n    cri§\n  - id: b\n")).toEqual({
      path: ["principles", 0],
      slot: "key",
      mapping: "principle",
      before: "cri",
      fields: { id: "a" },
    });
    expect(at("rules:\n  - §\n")).toMatchObject({
      path: ["rules", 0],
      slot: "key",
      mapping: "rule",
    });
    expect(at("defaults:\n  rev§\n")).toMatchObject({ slot: "key", mapping: "defaults" });
    expect(at('charter: x\nversion: "1.0.0"\n§\n')).toMatchObject({
      path: [],
      slot: "key",
      mapping: "document",
      fields: { charter: "x", version: "1.0.0" },
    });
  });

  it("finds a value: a list item, an expression, a template, deep in few-shot sets", () => {
    expect(at("imports:\n  - path: ./lib.yaml\n    only: [a, §]\n")).toMatchObject({
      path: ["imports", 0, "only", 1],
      slot: "value",
      mapping: "import",
      fields: { path: "./lib.yaml" },
    });
    expect(at("rules:\n  - id: r\n    checks:\n      - flag: words(resp§) > 2\n")).toMatchObject({
      path: ["rules", 0, "checks", 0, "flag"],
      slot: "value",
      mapping: "check",
      before: "words(resp",
    });
    expect(at("templates:\n  critique-request: |-\n    Say {{conv§\n")).toMatchObject({
      path: ["templates", "critique-request"],
      mapping: "templates",
      before: "Say {{conv",
    });
    expect(
      at("few-shots:\n  - id: d\n    examples:\n      - conversation:\n          - us§\n"),
    ).toMatchObject({ path: ["few-shots", 0, "examples", 0, "conversation", 0], mapping: "turn" });
  });

  it("reads JSON, a string still open at the cursor included", () => {
    expect(at('{"rules": [{"id": "r", "on": "§"}]}')).toMatchObject({
      path: ["rules", 0, "on"],
      slot: "value",
      mapping: "rule",
    });
    expect(at('{"principles": [{"id": "a", "cri§')).toMatchObject({
      path: ["principles", 0],
      slot: "key",
      mapping: "principle",
      before: "cri",
    });
  });

  it("tells a list's bare item (an import's path) from a key being typed", () => {
    const listItem = (marked: string): boolean | undefined =>
      documentCursor(marked.replace("§", ""), marked.indexOf("§"))?.listItem;
    expect(listItem("imports:\n  - ./lib/§\n")).toBe(true);
    expect(listItem('{"imports": ["./§"]}')).toBe(true);
    expect(listItem("imports:\n  - path: ./§\n")).toBe(false);
    expect(listItem('{"imports": [{"pa§"}]}')).toBe(false);
    expect(listItem("defaults:\n  rev§\n")).toBe(false);
  });

  it("knows no mapping off the constitution's shape", () => {
    expect(at("steps:\n  - name: x\n    §\n")).toMatchObject({ slot: "key", mapping: undefined });
  });
});
