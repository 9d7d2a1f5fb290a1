// Rubrics as scoring uses them: a constitution's compiled rubric or a row's own list of
// `{criterion, weight, kind?}` (RaR / RLCF per-prompt rubrics, and what `charter rubrics` writes),
// validated by the same rules the compiler applies, with a content hash for the output.

import type { CompiledRubric, Expr, RubricLevel } from "../constitution/index.js";
import { canonicalJson, sha256Hex } from "../io/index.js";

export const RUBRIC_KINDS: readonly RubricLevel[] = [
  "essential",
  "important",
  "optional",
  "pitfall",
];

/** One criterion, whatever its source. */
export interface Criterion {
  readonly text: string;
  readonly kind: RubricLevel;
  /** Negative for pitfalls, positive otherwise. */
  readonly weight: number;
  /** Scored by this rule (1 or 0) instead of the judge. */
  readonly check?: Expr;
  readonly checkSource?: string;
}

/** A rubric ready to score with. */
export interface ScoringRubric {
  /** The constitution's rubric id, or `row` for a row's own rubric. */
  readonly id: string;
  /** `sha256:` of the canonical criteria (and `when`): two runs' scores compare when it matches. */
  readonly hash: string;
  readonly criteria: readonly Criterion[];
}

function hashOf(content: unknown): string {
  return `sha256:${sha256Hex(canonicalJson(content))}`;
}

/** A compiled rubric as scoring uses it. */
export function fromCompiled(rubric: CompiledRubric): ScoringRubric {
  const criteria: Criterion[] = rubric.criteria.map((criterion) => ({
    text: criterion.text,
    kind: criterion.level,
    weight: criterion.weight,
    ...(criterion.check === undefined
      ? {}
      : { check: criterion.check, checkSource: criterion.checkSource ?? "" }),
  }));
  return {
    id: rubric.id,
    hash: hashOf({ when: rubric.whenSource ?? null, criteria: criteria.map(contentOf) }),
    criteria,
  };
}

const contentOf = (criterion: Criterion): unknown => ({
  criterion: criterion.text,
  kind: criterion.kind,
  weight: criterion.weight,
  ...(criterion.checkSource === undefined ? {} : { check: criterion.checkSource }),
});

/** How many criteria a rubric may have, when a caller limits it (`charter rubrics --min/--max`). */
export interface CriterionCount {
  readonly min: number;
  readonly max: number;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Validates a rubric given as data (`[{criterion, weight, kind?}]`), with the compiler's rules:
 * a non-empty text, no text twice (case and outer spaces ignored), a known kind, a finite weight,
 * negative for a pitfall and positive otherwise. A missing kind is `pitfall` for a negative weight
 * and `important` otherwise. Returns the problem, naming the field, or the rubric.
 *
 * @example
 * parseRowRubric([{ criterion: "Names the capital", weight: 3 }], "rubric")
 * // { id: "row", hash: "sha256:…", criteria: [{ text: "Names the capital", kind: "important", weight: 3 }] }
 */
export function parseRowRubric(
  value: unknown,
  field: string,
  count?: CriterionCount,
): ScoringRubric | string {
  if (!Array.isArray(value) || value.length === 0)
    return `'${field}' must be a non-empty list of {criterion, weight, kind?}`;
  if (count !== undefined && (value.length < count.min || value.length > count.max))
    return `'${field}' has ${value.length} criteria; between ${count.min} and ${count.max} were asked for`;
  const criteria: Criterion[] = [];
  const seen = new Map<string, number>();
  for (const [index, item] of value.entries()) {
    const at = `${field}[${index}]`;
    if (!isRecord(item)) return `${at} must be an object {criterion, weight, kind?}`;
    const { criterion, weight, kind } = item;
    if (typeof criterion !== "string" || criterion.trim() === "")
      return `${at}.criterion must be a non-empty string`;
    const key = criterion.trim().toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) return `${at}.criterion repeats ${field}[${earlier}]`;
    seen.set(key, index);
    if (typeof weight !== "number" || !Number.isFinite(weight) || weight === 0)
      return `${at}.weight must be a non-zero number`;
    if (kind !== undefined && !RUBRIC_KINDS.includes(kind as RubricLevel))
      return `${at}.kind must be one of ${RUBRIC_KINDS.join(", ")}`;
    const level: RubricLevel =
      (kind as RubricLevel | undefined) ?? (weight < 0 ? "pitfall" : "important");
    if (level === "pitfall" ? weight > 0 : weight < 0)
      return level === "pitfall"
        ? `${at}.weight must be negative for a pitfall, found ${weight}`
        : `${at}.weight must be positive for an ${level} criterion, found ${weight}`;
    criteria.push({ text: criterion, kind: level, weight });
  }
  return { id: "row", hash: hashOf({ when: null, criteria: criteria.map(contentOf) }), criteria };
}

/** A rubric as data rows carry it (what `charter rubrics` writes). */
export function rubricRows(
  rubric: ScoringRubric,
): { criterion: string; kind: string; weight: number }[] {
  return rubric.criteria.map((criterion) => ({
    criterion: criterion.text,
    kind: criterion.kind,
    weight: criterion.weight,
  }));
}
