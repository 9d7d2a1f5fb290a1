// Which principles judge a pair: K drawn by weight without replacement from those that have a
// `compare` question and whose `when` holds, and one question each, all from the pair's seed.

import { evaluateCondition, type CompiledPrinciple } from "../constitution/index.js";
import type { SeededRandom } from "../runtime/index.js";

export interface SampledQuestion {
  readonly principle: CompiledPrinciple;
  readonly question: string;
}

/**
 * Principles that may judge this pair. A `when` is tested with each reply as `response`; the
 * principle applies when it holds for either reply, because a principle that concerns one side
 * (say, overconfident wording) is exactly what can tell the two apart.
 */
export function applicablePrinciples(
  principles: readonly CompiledPrinciple[],
  pair: { readonly prompt: string; readonly first: string; readonly second: string },
  tags: readonly string[] = [],
): CompiledPrinciple[] {
  return principles.filter((principle) => {
    if (principle.compare.length === 0) return false;
    const when = principle.when;
    if (when === undefined) return true;
    return (
      evaluateCondition(when, { prompt: pair.prompt, response: pair.first, tags }) ||
      evaluateCondition(when, { prompt: pair.prompt, response: pair.second, tags })
    );
  });
}

/**
 * Draws up to `count` distinct principles, weighted, then one compare question of each (seeded
 * when a principle has several). Fewer than `count` applicable principles → all of them.
 */
export function samplePrinciples(
  candidates: readonly CompiledPrinciple[],
  count: number,
  random: SeededRandom,
): SampledQuestion[] {
  const weights = candidates.map((principle) => principle.weight);
  const picks: SampledQuestion[] = [];
  while (picks.length < count) {
    const index = random.weightedIndex(weights);
    if (index < 0) break;
    weights[index] = 0;
    const principle = candidates[index] as CompiledPrinciple;
    const question =
      principle.compare.length === 1
        ? (principle.compare[0] as string)
        : (principle.compare[random.int(principle.compare.length)] as string);
    picks.push({ principle, question });
  }
  return picks;
}
