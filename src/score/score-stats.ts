// stats.json of a scoring run, from the run's summed counters: the score distribution (ten bins),
// per-criterion pass rates and mean probabilities, per-criterion agreement of a judge panel
// (observed agreement, Fleiss' kappa, and Cohen's kappa for two judges), ties, filter counts.

import type { Criterion, ScoringRubric } from "./rubric.js";

/** The stats key of a criterion: `rubric#n` for a constitution rubric; rows' own by kind. */
export function criterionKey(rubric: ScoringRubric, index: number, criterion: Criterion): string {
  return rubric.id === "row" ? `row-rubrics#${criterion.kind}` : `${rubric.id}#${index + 1}`;
}

export interface CriterionStats {
  readonly replies: number;
  /** Share of replies meeting it (for a pitfall: avoiding it), reading p ≥ 0.5 as met. */
  readonly passRate: number | null;
  readonly meanProbability: number | null;
  /** Scored by its rule, with no judge. */
  readonly rule: boolean;
  readonly agreement?: PanelAgreement;
}

export interface PanelAgreement {
  /** Replies every judge of the panel rated. */
  readonly rated: number;
  /** Share of judge pairs giving the same yes/no, over rated replies. */
  readonly observed: number | null;
  readonly fleissKappa: number | null;
  /** With exactly two judges. */
  readonly cohenKappa?: number | null;
}

export interface ScoreStats {
  readonly rows: number;
  readonly replies: number;
  readonly meanScore: number | null;
  /** Ten bins of width 0.1: `0.0-0.1` ... `0.9-1.0` (1.0 falls in the last). */
  readonly histogram: Readonly<Record<string, number>>;
  readonly capped: number;
  readonly rubrics: Readonly<Record<string, number>>;
  readonly noRubric: number;
  readonly criteria: Readonly<Record<string, CriterionStats>>;
  readonly filter?: {
    readonly kept: number;
    readonly dropped: number;
    readonly keptReplies?: number;
    readonly droppedReplies?: number;
  };
  readonly pairs?: { readonly pairs: number; readonly preferences: number; readonly ties: number };
  /** Labelled rows (chosen/rejected): share whose chosen reply scored higher. */
  readonly agreementWithGiven: number | null;
}

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1e6) / 1e6;

const kappa = (observed: number, expected: number): number | null =>
  expected >= 1 ? null : Math.round(((observed - expected) / (1 - expected)) * 1e6) / 1e6;

/**
 * Agreement from the summed counters: N rated replies, Σ(yes² + no²) over them (`sq`), Σ yes, and
 * each judge's yes count. Fleiss: P̄ = (sq − N·n) / (N·n·(n−1)), Pₑ = p² + (1−p)² with p = yes/(N·n).
 * Cohen (n = 2): pₒ = (sq − 2N) / 2N, pₑ from each judge's own yes rate.
 */
export function panelAgreement(
  get: (key: string) => number,
  prefix: string,
  judges: number,
): PanelAgreement | undefined {
  const rated = get(`${prefix}:rated`);
  if (judges < 2 || rated === 0) return undefined;
  const observed = (get(`${prefix}:sq`) - rated * judges) / (rated * judges * (judges - 1));
  const p = get(`${prefix}:yes`) / (rated * judges);
  const result: PanelAgreement = {
    rated,
    observed: ratio(observed * rated, rated),
    fleissKappa: kappa(observed, p * p + (1 - p) * (1 - p)),
  };
  if (judges !== 2) return result;
  const one = get(`${prefix}:judge0:yes`) / rated;
  const two = get(`${prefix}:judge1:yes`) / rated;
  return { ...result, cohenKappa: kappa(observed, one * two + (1 - one) * (1 - two)) };
}

/** What the run was asked to do besides scoring, so its sections appear even when empty. */
export interface ScoreStatsShape {
  /** The panel's size. */
  readonly judges: number;
  readonly threshold: boolean;
  readonly pairs: boolean;
}

/** Reads the counters scoreItem sums into stats.json. */
export function scoreStats(
  counters: Readonly<Record<string, number>>,
  shape: ScoreStatsShape,
): ScoreStats {
  const { judges } = shape;
  const get = (key: string): number => counters[key] ?? 0;
  const histogram: Record<string, number> = {};
  for (let bin = 0; bin < 10; bin++)
    histogram[`${(bin / 10).toFixed(1)}-${((bin + 1) / 10).toFixed(1)}`] = get(`score-bin:${bin}`);
  const rubrics: Record<string, number> = {};
  const criteria: Record<string, CriterionStats> = {};
  for (const key of Object.keys(counters).sort()) {
    if (key.startsWith("rubric:")) rubrics[key.slice("rubric:".length)] = get(key);
    if (!key.startsWith("criterion:") || !key.endsWith(":replies")) continue;
    const prefix = key.slice(0, -":replies".length);
    const replies = get(key);
    const agreement = panelAgreement(get, prefix, judges);
    criteria[prefix.slice("criterion:".length)] = {
      replies,
      passRate: ratio(get(`${prefix}:pass`), replies),
      meanProbability: ratio(get(`${prefix}:p-micros`) / 1e6, replies),
      rule: get(`${prefix}:rule`) > 0,
      ...(agreement === undefined ? {} : { agreement }),
    };
  }
  const replies = get("replies");
  const filtered = shape.threshold;
  const paired = shape.pairs;
  return {
    rows: get("rows"),
    replies,
    meanScore: ratio(get("score-micros") / 1e6, replies),
    histogram,
    capped: get("capped"),
    rubrics,
    noRubric: get("no-rubric") + get("unknown-rubric"),
    criteria,
    ...(filtered
      ? {
          filter: {
            kept: get("kept"),
            dropped: get("dropped"),
            ...(get("kept-replies") + get("dropped-replies") > 0
              ? { keptReplies: get("kept-replies"), droppedReplies: get("dropped-replies") }
              : {}),
          },
        }
      : {}),
    ...(paired
      ? { pairs: { pairs: get("pairs"), preferences: get("preferences"), ties: get("ties") } }
      : {}),
    agreementWithGiven: ratio(get("given-agree"), get("given")),
  };
}
