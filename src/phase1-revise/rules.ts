// Applies the constitution's deterministic rules at a stage of the loop (critique, revision) and
// decides a principle's `when`. The expression semantics belong to the constitution's evaluator;
// this file only says what a failing `require` or a holding `flag` means for Phase 1.

import {
  evaluateCondition,
  type CompiledRule,
  type RuleRecord,
  type RuleStage,
} from "../constitution/index.js";

export interface StageVerdict {
  /** Ids of rules with a `require` that failed: the step is rejected. */
  readonly rejectedBy: readonly string[];
  /** Ids of rules with a `flag` that held: recorded, nothing else. */
  readonly flaggedBy: readonly string[];
  /** One entry per check decided, for the trace. */
  readonly checks: readonly {
    readonly rule: string;
    readonly kind: string;
    readonly source: string;
    readonly holds: boolean;
  }[];
}

/**
 * Runs every rule `on stage`. `prefer` checks only mean something between two replies (the
 * `pair` stage of Phase 2), so they are not evaluated here.
 */
export function applyStageRules(
  rules: readonly CompiledRule[],
  stage: RuleStage,
  record: RuleRecord,
): StageVerdict {
  const rejectedBy: string[] = [];
  const flaggedBy: string[] = [];
  const checks: { rule: string; kind: string; source: string; holds: boolean }[] = [];
  for (const rule of rules) {
    if (rule.stage !== stage) continue;
    for (const check of rule.checks) {
      if (check.kind === "prefer") continue;
      const holds = evaluateCondition(check.expr, record);
      checks.push({ rule: rule.id, kind: check.kind, source: check.source, holds });
      if (check.kind === "require" && !holds && !rejectedBy.includes(rule.id))
        rejectedBy.push(rule.id);
      if (check.kind === "flag" && holds && !flaggedBy.includes(rule.id)) flaggedBy.push(rule.id);
    }
  }
  return { rejectedBy, flaggedBy, checks };
}
