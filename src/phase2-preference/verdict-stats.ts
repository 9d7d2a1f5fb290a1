// Counters for the statistics of a judged pair that can disagree with the label: each principle's
// and each judge's verdict against the label the *others* give (leave-one-out), the raters'
// categories for Cohen's and Fleiss' kappa, and confidence bins against a given label. All are
// integer sums, so shards and resumed runs add up to the same numbers; preference-stats reads them.

import { countCohen, countFleiss } from "../runtime/index.js";
import type { PrincipleVerdict } from "../datasets/index.js";

type Counters = Record<string, number>;
const bump = (counters: Counters, key: string, by = 1): void => {
  counters[key] = (counters[key] ?? 0) + by;
};

/** A rater's call on a pair: the first reply, the second, or neither (exactly 0.5). */
export type Rating = "first" | "second" | "even";
export const RATINGS: readonly Rating[] = ["first", "second", "even"];

const ratingOf = (probabilityFirst: number): Rating =>
  probabilityFirst > 0.5 ? "first" : probabilityFirst < 0.5 ? "second" : "even";

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/** Verdicts grouped by judge or principle, in first-seen (panel, then sampling) order. */
function groupBy(
  verdicts: readonly PrincipleVerdict[],
  key: "judge" | "principle",
): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  for (const verdict of verdicts) {
    const list = groups.get(verdict[key]) ?? [];
    list.push(verdict.probabilityFirst);
    groups.set(verdict[key], list);
  }
  return groups;
}

/**
 * Leave-one-out agreement: a principle's (or judge's) mean verdict on the pair against the label
 * that the other principles' (judges') verdicts alone would give. With nobody else on the pair,
 * or when the others make a tie, nothing is compared: agreement is never true by construction.
 */
function countLeaveOneOut(
  verdicts: readonly PrincipleVerdict[],
  key: "judge" | "principle",
  tieMargin: number,
  counters: Counters,
): void {
  for (const [name, mine] of groupBy(verdicts, key)) {
    bump(counters, `${key}:${name}:verdicts`, mine.length);
    const others = verdicts.filter((verdict) => verdict[key] !== name);
    if (others.length === 0) continue;
    const label = mean(others.map((verdict) => verdict.probabilityFirst));
    if (Math.abs(label - 0.5) <= tieMargin + 1e-12) {
      bump(counters, `${key}:${name}:loo-others-tied`);
      continue;
    }
    bump(counters, `${key}:${name}:loo-compared`);
    if (ratingOf(mean(mine)) === ratingOf(label)) bump(counters, `${key}:${name}:loo-agree`);
  }
}

/**
 * Counts what a judged pair (label or tie) says about agreement: leave-one-out per principle and
 * per judge, each judge's rating for Cohen's kappa between every two judges, and Fleiss' kappa
 * among the panel's judges and among the sampled principles.
 */
export function countVerdictAgreement(
  verdicts: readonly PrincipleVerdict[],
  tieMargin: number,
  counters: Counters,
): void {
  countLeaveOneOut(verdicts, "principle", tieMargin, counters);
  countLeaveOneOut(verdicts, "judge", tieMargin, counters);
  const judges = [...groupBy(verdicts, "judge")].map(([name, values]) => ({
    name,
    rating: ratingOf(mean(values)),
  }));
  for (let i = 0; i < judges.length; i++)
    for (let j = i + 1; j < judges.length; j++) {
      const [a, b] = [judges[i], judges[j]] as [(typeof judges)[0], (typeof judges)[0]];
      countCohen("cohen", a.name, b.name, a.rating, b.rating, counters);
    }
  countFleiss(
    "fleiss:judges",
    judges.map((judge) => judge.rating),
    RATINGS,
    counters,
  );
  countFleiss(
    "fleiss:principles",
    [...groupBy(verdicts, "principle").values()].map((values) => ratingOf(mean(values))),
    RATINGS,
    counters,
  );
}

/** Confidence bins of the reliability table: [0.5, 0.6), ..., [0.9, 1.0]. */
export const CALIBRATION_BINS = 5;

/**
 * One model-judged pair of a relabelled row against its given label: the judges' confidence
 * (the probability of the reply they favour) and whether they favour the given one (half a point
 * at exactly 0.5).
 */
export function countCalibration(
  probabilityFirst: number,
  givenSide: "first" | "second",
  counters: Counters,
): void {
  const probabilityGiven = givenSide === "first" ? probabilityFirst : 1 - probabilityFirst;
  const confidence = Math.max(probabilityGiven, 1 - probabilityGiven);
  const bin = Math.min(CALIBRATION_BINS - 1, Math.floor((confidence - 0.5) * 10 + 1e-9));
  bump(counters, `calibration:${bin}:pairs`);
  bump(counters, `calibration:${bin}:confidence-micros`, Math.round(confidence * 1e6));
  bump(
    counters,
    `calibration:${bin}:agree-halves`,
    probabilityGiven > 0.5 ? 2 : probabilityGiven === 0.5 ? 1 : 0,
  );
}
