import { describe, expect, it } from "vitest";
import { pairsOf, parsePairRow } from "../../src/phase2-preference/pairs-input.js";

describe("parsePairRow", () => {
  it("accepts responses rows with and without ids", () => {
    expect(parsePairRow({ id: 7, prompt: "p", responses: ["a", "b", "c"] })).toEqual({
      ok: true,
      group: { id: "7", prompt: "p", responses: ["a", "b", "c"] },
    });
    expect(parsePairRow({ prompt: "p", responses: ["a", "b"] })).toEqual({
      ok: true,
      group: { prompt: "p", responses: ["a", "b"] },
    });
  });

  it("reads chosen/rejected rows as a pair whose first reply is the given choice", () => {
    expect(parsePairRow({ prompt: "p", chosen: "good", rejected: "bad" })).toEqual({
      ok: true,
      group: { prompt: "p", responses: ["good", "bad"], givenChosen: 0 },
    });
  });

  it("explains what is wrong with a bad row", () => {
    const message = (row: unknown) => {
      const result = parsePairRow(row);
      return result.ok ? "ok" : result.message;
    };
    expect(message([1])).toBe("expected a JSON object");
    expect(message({ responses: ["a", "b"] })).toBe("expected `prompt` (a string)");
    expect(message({ prompt: "p", responses: ["a"] })).toMatch(/at least two/);
    expect(message({ prompt: "p", responses: ["a", 2] })).toBe(
      "expected `responses[1]` to be a string",
    );
    expect(message({ prompt: "p", chosen: "a" })).toMatch(/both `chosen` and `rejected`/);
    expect(message({ prompt: "p", responses: ["a", "b"], chosen: "a" })).toMatch(/not both/);
    expect(message({ prompt: "p" })).toMatch(/expected `responses`/);
    expect(message({ id: {}, prompt: "p", responses: ["a", "b"] })).toMatch(/`id`/);
  });
});

describe("pairsOf", () => {
  it("lists all pairs in a fixed order with stable ids", () => {
    expect(pairsOf("g", 3, "all").map((pair) => pair.id)).toEqual(["g:0-1", "g:0-2", "g:1-2"]);
  });

  it("compares each reply with the first under reference pairing", () => {
    expect(pairsOf("g", 4, "reference").map((pair) => [pair.first, pair.second])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });
});
