// Turns a run's summed counters into the rates people read: mean confidence, position
// consistency, length bias, per-principle and per-judge agreement, agreement with given labels.

export interface AgreementRate {
  readonly verdicts: number;
  /** Share of verdicts that favoured the pair's final label. */
  readonly agreement: number;
}

export interface PreferenceStats {
  readonly pairs: number;
  readonly preferences: number;
  readonly ties: number;
  readonly failedPairs: number;
  readonly decidedByRule: number;
  /** How often the first (lower-index) and second reply of a pair was chosen. */
  readonly labels: { readonly first: number; readonly second: number };
  /** Mean probability of the chosen reply over all preferences. */
  readonly meanConfidence: number | null;
  /** Share of (judge, principle) verdicts whose two orders preferred the same reply. */
  readonly positionConsistency: number | null;
  /** Share of preferences (between replies of different length) won by the longer reply. */
  readonly longerWon: number | null;
  /** For relabelled rows: share whose given label the judges confirmed. */
  readonly agreementWithGiven: number | null;
  readonly principles: Readonly<Record<string, AgreementRate>>;
  readonly judges: Readonly<Record<string, AgreementRate>>;
}

const ratio = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1e6) / 1e6;

function agreements(
  counters: Readonly<Record<string, number>>,
  prefix: "principle" | "judge",
): Record<string, AgreementRate> {
  const rates: Record<string, AgreementRate> = {};
  for (const [key, verdicts] of Object.entries(counters)) {
    if (!key.startsWith(`${prefix}:`) || !key.endsWith(":verdicts")) continue;
    const name = key.slice(prefix.length + 1, -":verdicts".length);
    const agree = counters[`${prefix}:${name}:agree`] ?? 0;
    rates[name] = { verdicts, agreement: ratio(agree, verdicts) ?? 0 };
  }
  return rates;
}

/** Reads the counters judgeGroup sums into stats.json. */
export function preferenceStats(counters: Readonly<Record<string, number>>): PreferenceStats {
  const get = (key: string): number => counters[key] ?? 0;
  const preferences = get("preferences");
  return {
    pairs: get("pairs"),
    preferences,
    ties: get("ties"),
    failedPairs: get("failed-pairs"),
    decidedByRule: get("decided-by-rule"),
    labels: { first: get("label:first"), second: get("label:second") },
    meanConfidence: ratio(get("confidence-micros") / 1e6, preferences),
    positionConsistency: ratio(get("order-consistent"), get("order-checks")),
    longerWon: ratio(get("longer-won"), get("length-differs")),
    agreementWithGiven: ratio(get("given-agree"), get("given")),
    principles: agreements(counters, "principle"),
    judges: agreements(counters, "judge"),
  };
}
