// Importers' JSON reading: where bad JSON first goes wrong, for diagnostics with a position.
import { describe, expect, it } from "vitest";
import { jsonErrorOffset } from "../../src/dsl/documents/json-error-offset.js";

describe("jsonErrorOffset", () => {
  it.each([
    ['{"a": }', 6],
    ["[1, 2,]", 6],
    ['{"a": "x\ny"}', 8],
    ['{"a": 1} x', 9],
    ['{"a": tru}', 6],
    ['{"a": "\\q"}', 8],
    ["[1, 2", 5],
    ["", 0],
  ])("%j fails at %i", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
