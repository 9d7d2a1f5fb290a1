// Principle sampling for one round: by weight, among the principles that have a critique and a
// revise request and whose `when` holds for the prompt and the current reply. Draws come only
// from the item's seeded generator, so the sequence depends on (seed, item id) alone.

import {
  evaluateCondition,
  type CompiledConstitution,
  type CompiledPrinciple,
  type RuleRecord,
} from "../constitution/index.js";
import type { SeededRandom } from "../runtime/index.js";
import type { SamplingMode } from "./types.js";

/** A principle Phase 1 can use: it has both requests. */
export type RevisablePrinciple = CompiledPrinciple & {
  readonly critique: string;
  readonly revise: string;
};

export function isRevisable(principle: CompiledPrinciple): principle is RevisablePrinciple {
  return principle.critique !== undefined && principle.revise !== undefined;
}

/** Principles with both requests whose `when` holds for `record`, in constitution order. */
export function eligiblePrinciples(
  constitution: CompiledConstitution,
  record: RuleRecord,
): RevisablePrinciple[] {
  return constitution.principles.filter(
    (principle): principle is RevisablePrinciple =>
      isRevisable(principle) &&
      (principle.when === undefined || evaluateCondition(principle.when, record)),
  );
}

/**
 * Draws one principle by weight. Without replacement, principles already `used` in this item
 * are left out. Returns undefined when nothing can be drawn (the round is then skipped).
 */
export function samplePrinciple(
  eligible: readonly RevisablePrinciple[],
  random: SeededRandom,
  mode: SamplingMode,
  used: ReadonlySet<string>,
): RevisablePrinciple | undefined {
  const candidates =
    mode === "without-replacement"
      ? eligible.filter((principle) => !used.has(principle.id))
      : eligible;
  const index = random.weightedIndex(candidates.map((principle) => principle.weight));
  return index < 0 ? undefined : candidates[index];
}
