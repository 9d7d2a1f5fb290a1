// Rater agreement from summable counters: textbook values, categories of any kind, and sums that
// merge (two halves counted apart give the whole's kappa).
import { describe, expect, it } from "vitest";
import { cohenKappas, countCohen, countFleiss, fleissKappa } from "../../src/runtime/index.js";

const YES_NO = ["yes", "no"];

describe("rater agreement", () => {
  it("Cohen's kappa: 50 items, 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no gives 0.4", () => {
    const counters: Record<string, number> = {};
    const add = (a: string, b: string, times: number) => {
      for (let i = 0; i < times; i++) countCohen("c", "r1", "r2", a, b, counters);
    };
    add("yes", "yes", 20);
    add("yes", "no", 5);
    add("no", "yes", 10);
    add("no", "no", 15);
    expect(cohenKappas(counters, "c", YES_NO)).toEqual([
      { raters: ["r1", "r2"], items: 50, observed: 0.7, kappa: 0.4 },
    ]);
  });

  it("Fleiss' kappa is null when every rating is the same, and sums of halves merge", () => {
    const same: Record<string, number> = {};
    countFleiss("f", ["yes", "yes", "yes"], YES_NO, same);
    expect(fleissKappa(same, "f", YES_NO)).toEqual({ items: 1, observed: 1, kappa: null });
    const items = [
      ["yes", "yes", "no"],
      ["no", "no", "no"],
      ["yes", "no", "no"],
      ["yes", "yes", "yes"],
    ];
    const whole: Record<string, number> = {};
    for (const ratings of items) countFleiss("f", ratings, YES_NO, whole);
    const first: Record<string, number> = {};
    const second: Record<string, number> = {};
    for (const ratings of items.slice(0, 2)) countFleiss("f", ratings, YES_NO, first);
    for (const ratings of items.slice(2)) countFleiss("f", ratings, YES_NO, second);
    const merged: Record<string, number> = { ...first };
    for (const [key, value] of Object.entries(second)) merged[key] = (merged[key] ?? 0) + value;
    // P̄ = (1/3 + 1 + 1/3 + 1) / 4 = 2/3; p(yes) = 6/12, Pₑ = 0.5 → κ = 1/3.
    expect(fleissKappa(whole, "f", YES_NO)).toEqual({
      items: 4,
      observed: 0.666667,
      kappa: 0.333333,
    });
    expect(fleissKappa(merged, "f", YES_NO)).toEqual(fleissKappa(whole, "f", YES_NO));
  });
});
