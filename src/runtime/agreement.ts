// Rater agreement from summable counters: Cohen's kappa between two raters and Fleiss' kappa among
// several, over any set of categories. Items add integer counts, so shards, resumed runs and
// merged folders give the same numbers. Phase 2 (judges and principles on a pair) and rubric
// scoring (judges on a criterion) both count and read agreement here.

type Counters = Record<string, number>;
const bump = (counters: Counters, key: string, by = 1): void => {
  counters[key] = (counters[key] ?? 0) + by;
};
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** κ = (observed − chance) / (1 − chance), null when chance agreement is certain. */
export const kappaOf = (observed: number, chance: number): number | null =>
  chance >= 1 - 1e-12 ? null : round((observed - chance) / (1 - chance));

export interface CohenKappa {
  readonly raters: readonly [string, string];
  /** Items both rated. */
  readonly items: number;
  /** Share of items both put in the same category. */
  readonly observed: number;
  /** Null when chance agreement is 1 (both always gave the same category). */
  readonly kappa: number | null;
}

export interface FleissKappa {
  /** Items with two or more raters. */
  readonly items: number;
  readonly observed: number;
  /** Null when there is nothing to measure or chance agreement is 1. */
  readonly kappa: number | null;
}

/** Counts one item's categories from raters `a` and `b` (names without `|`) for Cohen's kappa. */
export function countCohen(
  prefix: string,
  a: string,
  b: string,
  ratingA: string,
  ratingB: string,
  counters: Counters,
): void {
  bump(counters, `${prefix}:${a}|${b}:${ratingA}-${ratingB}`);
}

/** Cohen's kappa of every rater pair counted under `prefix`, from its contingency table. */
export function cohenKappas(
  counters: Readonly<Counters>,
  prefix: string,
  categories: readonly string[],
): CohenKappa[] {
  const tables = new Map<string, Map<string, number>>();
  for (const [key, count] of Object.entries(counters)) {
    if (!key.startsWith(`${prefix}:`)) continue;
    const cut = key.lastIndexOf(":");
    const raters = key.slice(prefix.length + 1, cut);
    if (!raters.includes("|")) continue;
    const table = tables.get(raters) ?? new Map<string, number>();
    table.set(key.slice(cut + 1), count);
    tables.set(raters, table);
  }
  return [...tables].map(([raters, table]) => {
    const [a, b] = raters.split("|") as [string, string];
    const cell = (ra: string, rb: string): number => table.get(`${ra}-${rb}`) ?? 0;
    const items = [...table.values()].reduce((sum, count) => sum + count, 0);
    let agreeing = 0;
    let chance = 0;
    for (const rating of categories) {
      agreeing += cell(rating, rating);
      const rowA = categories.reduce((sum, other) => sum + cell(rating, other), 0);
      const columnB = categories.reduce((sum, other) => sum + cell(other, rating), 0);
      chance += (rowA / items) * (columnB / items);
    }
    const observed = agreeing / items;
    return { raters: [a, b], items, observed: round(observed), kappa: kappaOf(observed, chance) };
  });
}

/**
 * Counts one item's ratings for Fleiss' kappa (raters may differ in number between items): the
 * share of agreeing rater pairs, in millionths, and each category's count.
 */
export function countFleiss(
  prefix: string,
  ratings: readonly string[],
  categories: readonly string[],
  counters: Counters,
): void {
  const n = ratings.length;
  if (n < 2) return;
  let agreeingPairs = 0;
  for (const rating of categories) {
    const count = ratings.filter((other) => other === rating).length;
    agreeingPairs += count * (count - 1);
    bump(counters, `${prefix}:rated:${rating}`, count);
  }
  bump(counters, `${prefix}:items`);
  bump(counters, `${prefix}:ratings`, n);
  // P_i, the share of agreeing rater pairs on this item (integer sums merge exactly).
  bump(counters, `${prefix}:agreement-micros`, Math.round((agreeingPairs / (n * (n - 1))) * 1e6));
}

/** Fleiss' kappa counted under `prefix`, with pooled category shares. */
export function fleissKappa(
  counters: Readonly<Counters>,
  prefix: string,
  categories: readonly string[],
): FleissKappa {
  const get = (key: string): number => counters[`${prefix}:${key}`] ?? 0;
  const items = get("items");
  const ratings = get("ratings");
  if (items === 0 || ratings === 0) return { items, observed: 0, kappa: null };
  const observed = get("agreement-micros") / 1e6 / items;
  const chance = categories.reduce(
    (sum, rating) => sum + (get(`rated:${rating}`) / ratings) ** 2,
    0,
  );
  return { items, observed: round(observed), kappa: kappaOf(observed, chance) };
}
