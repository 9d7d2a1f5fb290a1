import { describe, expect, it } from "vitest";
import { applyPairRules } from "../../src/phase2-preference/pair-rules.js";
import { matchesResponse, rule } from "./helpers.js";

const link = matchesResponse("https?://");
const noLinks = rule("no-links", [
  {
    kind: "prefer",
    expr: { kind: "not", operand: link },
    source: "not (response matches /https?:\\/\\//)",
  },
]);
const pair = (first: string, second: string) => ({ prompt: "p", first, second });

describe("applyPairRules", () => {
  it("decides a pair when a prefer check holds for exactly one reply", () => {
    const outcome = applyPairRules([noLinks], pair("see http://x.io", "here it is"));
    expect(outcome.decision).toEqual({
      winner: "second",
      rule: "no-links",
      check: "not (response matches /https?:\\/\\//)",
    });
  });

  it("leaves the pair to the judge when a prefer check holds for both or neither", () => {
    expect(applyPairRules([noLinks], pair("a", "b")).decision).toBeUndefined();
    expect(applyPairRules([noLinks], pair("http://a", "http://b")).decision).toBeUndefined();
  });

  it("prefers the reply that passes a require the other fails, before any prefer", () => {
    const polite = rule("polite", [
      { kind: "require", expr: matchesResponse("please"), source: "polite" },
    ]);
    const outcome = applyPairRules([noLinks, polite], pair("please http://x", "no"));
    expect(outcome.decision).toMatchObject({ winner: "first", rule: "polite" });
    // The overruled prefer is still recorded.
    expect(outcome.events.map((event) => [event.rule, event.prefers])).toEqual([
      ["polite", "first"],
      ["no-links", "second"],
    ]);
  });

  it("records a require both replies fail, and flags, without deciding", () => {
    const polite = rule("polite", [
      { kind: "require", expr: matchesResponse("please"), source: "polite" },
    ]);
    const shouty = rule("shouty", [
      { kind: "flag", expr: matchesResponse("!!"), source: "shouty" },
    ]);
    const outcome = applyPairRules([polite, shouty], pair("no!!", "nope"));
    expect(outcome.decision).toBeUndefined();
    expect(outcome.bothFailRequire).toEqual(["polite"]);
    expect(outcome.flags).toEqual(["shouty"]);
  });

  it("ignores rules of other stages", () => {
    const other = { ...noLinks, stage: "response" as const };
    expect(applyPairRules([other], pair("http://x", "y")).events).toEqual([]);
  });
});
