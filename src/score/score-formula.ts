// The rubric score of one reply from its per-criterion probabilities: a weighted sum over the
// positive criteria minus the pitfall terms, normalised to [0, 1], with an optional essential cap.

import type { Criterion } from "./rubric.js";

/** How essential criteria may cap a score. */
export interface EssentialCap {
  /** An essential criterion with probability below this counts as missed. */
  readonly threshold: number;
  /** A reply that misses an essential criterion scores at most this (1 = no cap). */
  readonly cap: number;
}

export const NO_CAP: EssentialCap = { threshold: 0.5, cap: 1 };

export interface ReplyScore {
  /** In [0, 1]. */
  readonly score: number;
  /** Σ wᵢ·pᵢ over every criterion (pitfall weights are negative), before normalising. */
  readonly raw: number;
  /** The essential cap lowered the score. */
  readonly capped: boolean;
}

const clamp01 = (value: number): number => Math.min(1, Math.max(0, value));

/**
 * score = clamp((Σ₊ wᵢ·pᵢ + Σ₋ wᵢ·pᵢ) / Σ₊ wᵢ, 0, 1), where Σ₊ runs over essential, important and
 * optional criteria (wᵢ > 0) and Σ₋ over pitfalls (wᵢ < 0, so each subtracts |wᵢ|·pᵢ); pᵢ is the
 * probability that criterion i holds. A reply meeting every positive criterion and no pitfall
 * scores 1. A rubric of pitfalls only scores 1 − Σ|wᵢ|·pᵢ / Σ|wᵢ|. Then, when an essential
 * criterion has pᵢ < cap.threshold, the score is at most cap.cap.
 *
 * @example
 * scoreReply([{ kind: "essential", weight: 4, text: "a" }, { kind: "pitfall", weight: -2, text: "b" }], [1, 0.5], NO_CAP)
 * // { score: 0.75, raw: 3, capped: false }
 */
export function scoreReply(
  criteria: readonly Criterion[],
  probabilities: readonly number[],
  cap: EssentialCap,
): ReplyScore {
  let positive = 0;
  let negative = 0;
  let raw = 0;
  let missedEssential = false;
  criteria.forEach((criterion, index) => {
    const probability = probabilities[index] ?? 0;
    raw += criterion.weight * probability;
    if (criterion.weight > 0) positive += criterion.weight;
    else negative -= criterion.weight;
    if (criterion.kind === "essential" && probability < cap.threshold) missedEssential = true;
  });
  const normalised = positive > 0 ? raw / positive : negative > 0 ? 1 + raw / negative : 0;
  const score = clamp01(normalised);
  const capped = missedEssential && score > cap.cap;
  return { score: capped ? cap.cap : score, raw, capped };
}
