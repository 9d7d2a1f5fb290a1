// The `pair` stage: deterministic rules that decide a pair before any model is asked.
// `require` failing for exactly one reply, or `prefer` holding for exactly one, decides it.

import { evaluateCondition, type CompiledRule, type Expr } from "../constitution/index.js";

/** Which reply of the pair: the first (lower index) or the second. */
export type Side = "first" | "second";

export interface RuleEvent {
  readonly rule: string;
  readonly kind: "require" | "prefer" | "flag";
  readonly check: string;
  /** Whether the check held for the first and the second reply. */
  readonly first: boolean;
  readonly second: boolean;
  /** The reply this check prefers, when it separates the two. */
  readonly prefers?: Side;
}

export interface PairRuleOutcome {
  /** The deciding check, when one separated the replies. */
  readonly decision?: { readonly winner: Side; readonly rule: string; readonly check: string };
  /** Every check that held or failed for a reply (flags, requires failing, prefers separating). */
  readonly events: readonly RuleEvent[];
  /** Rule ids of `require` checks that both replies fail: recorded, the pair is still judged. */
  readonly bothFailRequire: readonly string[];
  /** Rule ids of `flag` checks that held for either reply. */
  readonly flags: readonly string[];
}

/**
 * Applies the constitution's `pair` rules. Order of authority: every `require` check first (a
 * hard constraint), then `prefer` checks in the order written; the first check that separates
 * the replies decides, later separating checks are kept as events only.
 */
export function applyPairRules(
  rules: readonly CompiledRule[],
  pair: { readonly prompt: string; readonly first: string; readonly second: string },
  tags: readonly string[] = [],
): PairRuleOutcome {
  const events: RuleEvent[] = [];
  const bothFailRequire: string[] = [];
  const flags: string[] = [];
  const holds = (expr: Expr, response: string): boolean =>
    // The reply under test is the record's `response`.
    evaluateCondition(expr, { prompt: pair.prompt, response, tags });

  const pairRules = rules.filter((rule) => rule.stage === "pair");
  const checks = [
    ...pairRules.flatMap((rule) =>
      rule.checks.filter((check) => check.kind === "require").map((check) => ({ rule, check })),
    ),
    ...pairRules.flatMap((rule) =>
      rule.checks.filter((check) => check.kind !== "require").map((check) => ({ rule, check })),
    ),
  ];
  let decision: PairRuleOutcome["decision"];
  for (const { rule, check } of checks) {
    const first = holds(check.expr, pair.first);
    const second = holds(check.expr, pair.second);
    const base = { rule: rule.id, kind: check.kind, check: check.source, first, second };
    if (check.kind === "flag") {
      if (first || second) {
        events.push(base);
        flags.push(rule.id);
      }
      continue;
    }
    if (check.kind === "require" && !first && !second) {
      events.push(base);
      bothFailRequire.push(rule.id);
      continue;
    }
    if (first === second) continue;
    const prefers: Side = first ? "first" : "second";
    events.push({ ...base, prefers });
    decision ??= { winner: prefers, rule: rule.id, check: check.source };
  }
  return {
    ...(decision === undefined ? {} : { decision }),
    events,
    bothFailRequire,
    flags,
  };
}
