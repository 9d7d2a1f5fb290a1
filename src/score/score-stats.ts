// stats.json of a scoring run, from the run's summed counters: the score distribution (ten bins),
// per-criterion pass rates and mean probabilities, per-criterion agreement of a judge panel
// (the runtime's shared Fleiss' and Cohen's kappa, as Phase 2 reports), ties, filter counts.

import { cohenKappas, fleissKappa } from "../runtime/index.js";
import type { Criterion, ScoringRubric } from "./rubric.js";

/** The categories a judge's answer on a criterion falls in. */
const YES_NO: readonly string[] = ["yes", "no"];

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
  /** Replies every judge of the panel rated (yes: p ≥ 0.5, else no). */
  readonly rated: number;
  /** Share of agreeing judge pairs, averaged over rated replies. */
  readonly observed: number;
  readonly fleissKappa: number | null;
  /** Between every two judges of the panel. */
  readonly cohen: readonly {
    readonly judges: readonly [string, string];
    readonly observed: number;
    readonly kappa: number | null;
  }[];
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

/** A criterion's agreement among the panel, from the shared rater-agreement counters. */
export function panelAgreement(
  counters: Readonly<Record<string, number>>,
  prefix: string,
): PanelAgreement | undefined {
  const fleiss = fleissKappa(counters, `${prefix}:fleiss`, YES_NO);
  if (fleiss.items === 0) return undefined;
  return {
    rated: fleiss.items,
    observed: fleiss.observed,
    fleissKappa: fleiss.kappa,
    cohen: cohenKappas(counters, `${prefix}:cohen`, YES_NO).map((found) => ({
      judges: found.raters,
      observed: found.observed,
      kappa: found.kappa,
    })),
  };
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
    const agreement = shape.judges < 2 ? undefined : panelAgreement(counters, prefix);
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
