// The score formula, the essential cap, the 0-10 reader and the row-rubric validator.
import { describe, expect, it } from "vitest";
import {
  NO_CAP,
  parseRowRubric,
  parseScale,
  scoreReply,
  type Criterion,
} from "../../src/score/index.js";

const criteria: Criterion[] = [
  { text: "a", kind: "essential", weight: 4 },
  { text: "b", kind: "important", weight: 2 },
  { text: "c", kind: "optional", weight: 2 },
  { text: "d", kind: "pitfall", weight: -4 },
];

describe("scoreReply", () => {
  it("is Σ wᵢ·pᵢ over positive criteria minus pitfalls, over Σ positive weights, clamped to [0, 1]", () => {
    expect(scoreReply(criteria, [1, 1, 1, 0], NO_CAP)).toEqual({ score: 1, raw: 8, capped: false });
    expect(scoreReply(criteria, [1, 0.5, 0, 0.25], NO_CAP)).toEqual({
      score: 0.5,
      raw: 4,
      capped: false,
    });
    expect(scoreReply(criteria, [0, 0, 0, 1], NO_CAP)).toEqual({
      score: 0,
      raw: -4,
      capped: false,
    });
  });

  it("scores a rubric of pitfalls only from 1 (none present) down to 0", () => {
    const pitfalls: Criterion[] = [
      { text: "x", kind: "pitfall", weight: -1 },
      { text: "y", kind: "pitfall", weight: -3 },
    ];
    expect(scoreReply(pitfalls, [0, 0], NO_CAP).score).toBe(1);
    expect(scoreReply(pitfalls, [1, 0], NO_CAP).score).toBe(0.75);
    expect(scoreReply(pitfalls, [1, 1], NO_CAP).score).toBe(0);
  });

  it("caps the score when an essential criterion falls below the threshold", () => {
    const cap = { threshold: 0.5, cap: 0.3 };
    expect(scoreReply(criteria, [0.4, 1, 1, 0], cap)).toEqual({
      score: 0.3,
      raw: 5.6,
      capped: true,
    });
    expect(scoreReply(criteria, [0.6, 1, 1, 0], cap).capped).toBe(false);
    expect(scoreReply(criteria, [0, 0, 0.5, 0], cap)).toEqual({
      score: 0.125,
      raw: 1,
      capped: false,
    });
  });
});

describe("parseScale", () => {
  it("reads the first 0-10 number, never 75 or 11", () => {
    expect(parseScale("7")).toBe(7);
    expect(parseScale("Score: 8/10")).toBe(8);
    expect(parseScale("7.5 out of 10")).toBe(7.5);
    expect(parseScale("10")).toBe(10);
    expect(parseScale("75")).toBeUndefined();
    expect(parseScale("11 points")).toBeUndefined();
    expect(parseScale("no idea")).toBeUndefined();
  });
});

describe("parseRowRubric", () => {
  it("fills the kind from the weight's sign and hashes the content", () => {
    const rubric = parseRowRubric(
      [
        { criterion: "Names it", weight: 2 },
        { criterion: "Lies", weight: -1 },
      ],
      "rubric",
    );
    if (typeof rubric === "string") throw new Error(rubric);
    expect(rubric.criteria.map((criterion) => criterion.kind)).toEqual(["important", "pitfall"]);
    expect(rubric.hash).toMatch(/^sha256:/);
  });

  it("names the field of each problem", () => {
    const bad = (value: unknown) => parseRowRubric(value, "rubric");
    expect(bad([])).toBe("'rubric' must be a non-empty list of {criterion, weight, kind?}");
    expect(bad([{ criterion: "", weight: 1 }])).toBe(
      "rubric[0].criterion must be a non-empty string",
    );
    expect(bad([{ criterion: "a", weight: 0 }])).toBe("rubric[0].weight must be a non-zero number");
    expect(bad([{ criterion: "a", weight: 1, kind: "vital" }])).toMatch(
      /^rubric\[0\]\.kind must be one of essential/,
    );
    expect(bad([{ criterion: "a", weight: 2, kind: "pitfall" }])).toBe(
      "rubric[0].weight must be negative for a pitfall, found 2",
    );
    expect(bad([{ criterion: "a", weight: -2, kind: "essential" }])).toBe(
      "rubric[0].weight must be positive for an essential criterion, found -2",
    );
    expect(
      bad([
        { criterion: "A ", weight: 1 },
        { criterion: "a", weight: 1 },
      ]),
    ).toBe("rubric[1].criterion repeats rubric[0]");
    expect(parseRowRubric([{ criterion: "a", weight: 1 }], "rubric", { min: 2, max: 3 })).toBe(
      "'rubric' has 1 criteria; between 2 and 3 were asked for",
    );
  });
});
