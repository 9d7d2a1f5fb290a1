// Turns a run's summed counters into the rates people read: labels by model and by rule, mean
// confidence of the model's labels, position consistency, length bias, leave-one-out agreement
// per principle and per judge, Cohen's and Fleiss' kappa, and, with given labels, calibration.

import { cohenKappas, fleissKappa } from "../runtime/index.js";
import { CALIBRATION_BINS, RATINGS } from "./verdict-stats.js";

export interface LeaveOneOut {
  /** Verdicts compared with the label the others (other principles or judges) gave. */
  readonly compared: number;
  /** Share of those that favoured the same reply; null when nothing could be compared. */
  readonly agreement: number | null;
  /** Pairs where the others made a tie, so there was no label to agree with. */
  readonly othersTied: number;
}

export interface AgreementRate {
  readonly verdicts: number;
  readonly leaveOneOut: LeaveOneOut;
}

export interface CohenKappa {
  readonly judges: readonly [string, string];
  /** Pairs both judged. */
  readonly pairs: number;
  /** Share of pairs where both favoured the same reply (or both neither). */
  readonly observed: number;
  /** Cohen's kappa; null when chance agreement is 1 (both always gave the same call). */
  readonly kappa: number | null;
}

export interface FleissKappa {
  /** Pairs with two or more raters. */
  readonly pairs: number;
  readonly observed: number;
  /** Fleiss' kappa; null when there is nothing to measure or chance agreement is 1. */
  readonly kappa: number | null;
}

export interface ReliabilityBin {
  /** The confidence range [low, high) (the last bin includes 1). */
  readonly range: readonly [number, number];
  readonly pairs: number;
  /** Mean probability of the favoured reply. */
  readonly meanConfidence: number | null;
  /** Share of pairs whose favoured reply is the given choice. */
  readonly agreement: number | null;
}

export interface Calibration {
  /** Model-judged pairs (labels and ties) of rows with a given choice. */
  readonly pairs: number;
  /** Expected calibration error: Σ (pairs in bin / pairs) · |agreement − mean confidence|. */
  readonly expectedCalibrationError: number | null;
  readonly bins: readonly ReliabilityBin[];
}

export interface PreferenceStats {
  readonly pairs: number;
  readonly preferences: number;
  readonly ties: number;
  readonly failedPairs: number;
  /** Labels the judges decided, and labels a rule decided (no model asked). */
  readonly decidedByModel: number;
  readonly decidedByRule: number;
  /** How often the first (lower-index) and second reply of a pair was chosen. */
  readonly labels: { readonly first: number; readonly second: number };
  /** Mean probability of the chosen reply over the judges' labels (rules' labels excluded). */
  readonly meanConfidence: number | null;
  /** Share of (judge, principle) verdicts whose two orders preferred the same reply. */
  readonly positionConsistency: number | null;
  /** Share of preferences (between replies of different length) won by the longer reply. */
  readonly longerWon: number | null;
  /** For relabelled rows: share whose given label the run confirmed, and by whom. */
  readonly agreementWithGiven: number | null;
  readonly agreementWithGivenByModel: number | null;
  readonly agreementWithGivenByRule: number | null;
  readonly principles: Readonly<Record<string, AgreementRate>>;
  readonly judges: Readonly<Record<string, AgreementRate>>;
  readonly kappa: {
    /** Between every two judges of a panel (empty with one judge). */
    readonly cohen: readonly CohenKappa[];
    /** Among the panel's judges, each pair rated by every judge. */
    readonly judges: FleissKappa;
    /** Among the principles sampled for a pair (none with one principle per pair). */
    readonly principles: FleissKappa;
  };
  /** Relabel mode only (rows with a given choice): how well the probabilities are calibrated. */
  readonly calibration: Calibration | null;
}

type Counts = Readonly<Record<string, number>>;

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1e6) / 1e6;
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

function agreements(
  counters: Counts,
  prefix: "principle" | "judge",
): Record<string, AgreementRate> {
  const rates: Record<string, AgreementRate> = {};
  for (const [key, verdicts] of Object.entries(counters)) {
    if (!key.startsWith(`${prefix}:`) || !key.endsWith(":verdicts")) continue;
    const name = key.slice(prefix.length + 1, -":verdicts".length);
    const get = (what: string): number => counters[`${prefix}:${name}:${what}`] ?? 0;
    const compared = get("loo-compared");
    rates[name] = {
      verdicts,
      leaveOneOut: {
        compared,
        agreement: ratio(get("loo-agree"), compared),
        othersTied: get("loo-others-tied"),
      },
    };
  }
  return rates;
}

/** Phase 2's Cohen's kappas (between every two judges), in its own field names. */
function cohenBetweenJudges(counters: Counts): CohenKappa[] {
  return cohenKappas(counters, "cohen", RATINGS).map((found) => ({
    judges: found.raters,
    pairs: found.items,
    observed: found.observed,
    kappa: found.kappa,
  }));
}

/** Phase 2's Fleiss' kappa under `prefix`, in its own field names. */
function fleissAmong(counters: Counts, prefix: string): FleissKappa {
  const found = fleissKappa(counters, prefix, RATINGS);
  return { pairs: found.items, observed: found.observed, kappa: found.kappa };
}

function calibration(counters: Counts): Calibration | null {
  const bins: ReliabilityBin[] = [];
  let pairs = 0;
  let error = 0;
  for (let bin = 0; bin < CALIBRATION_BINS; bin++) {
    const get = (what: string): number => counters[`calibration:${bin}:${what}`] ?? 0;
    const count = get("pairs");
    const confidence = count === 0 ? null : get("confidence-micros") / 1e6 / count;
    const agreement = count === 0 ? null : get("agree-halves") / 2 / count;
    pairs += count;
    if (confidence !== null && agreement !== null)
      error += count * Math.abs(agreement - confidence);
    const low = round(0.5 + bin / 10);
    bins.push({
      range: [low, round(low + 0.1)],
      pairs: count,
      meanConfidence: confidence === null ? null : round(confidence),
      agreement: agreement === null ? null : round(agreement),
    });
  }
  if (pairs === 0) return null;
  return { pairs, expectedCalibrationError: round(error / pairs), bins };
}

/** Reads the counters judgeGroup sums into stats.json. */
export function preferenceStats(counters: Counts): PreferenceStats {
  const get = (key: string): number => counters[key] ?? 0;
  const byModel = get("decided-by-model");
  const given = get("given:model") + get("given:rule");
  return {
    pairs: get("pairs"),
    preferences: get("preferences"),
    ties: get("ties"),
    failedPairs: get("failed-pairs"),
    decidedByModel: byModel,
    decidedByRule: get("decided-by-rule"),
    labels: { first: get("label:first"), second: get("label:second") },
    meanConfidence: ratio(get("confidence-micros") / 1e6, byModel),
    positionConsistency: ratio(get("order-consistent"), get("order-checks")),
    longerWon: ratio(get("longer-won"), get("length-differs")),
    agreementWithGiven: ratio(get("given-agree:model") + get("given-agree:rule"), given),
    agreementWithGivenByModel: ratio(get("given-agree:model"), get("given:model")),
    agreementWithGivenByRule: ratio(get("given-agree:rule"), get("given:rule")),
    principles: agreements(counters, "principle"),
    judges: agreements(counters, "judge"),
    kappa: {
      cohen: cohenBetweenJudges(counters),
      judges: fleissAmong(counters, "fleiss:judges"),
      principles: fleissAmong(counters, "fleiss:principles"),
    },
    calibration: calibration(counters),
  };
}
