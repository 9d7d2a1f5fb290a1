// Pair sources: validates one input row (`responses` or `chosen`/`rejected`), and lists the pairs
// of a group (all pairs, or each against a reference) in a fixed order so pair ids are stable.

/** How a row with more than two replies is split into pairs. */
export type Pairing = "all" | "reference";
export const PAIRINGS: readonly Pairing[] = ["all", "reference"];

/** One input row, validated: a prompt and the replies to compare. */
export interface PairGroup {
  /** The row's own `id`, when it has one (otherwise the caller derives a stable one). */
  readonly id?: string;
  readonly prompt: string;
  readonly responses: readonly string[];
  /**
   * Set for `{ chosen, rejected }` rows (relabelling): the index of the reply the dataset
   * already prefers. Such rows have `responses: [chosen, rejected]`, so this is always 0.
   */
  readonly givenChosen?: number;
}

/** A pair inside a group: indexes into `responses`, `first < second`. */
export interface PairRef {
  /** `${groupId}:${first}-${second}` */
  readonly id: string;
  readonly first: number;
  readonly second: number;
}

export type RowResult =
  | { readonly ok: true; readonly group: PairGroup }
  | { readonly ok: false; readonly message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readId(row: Record<string, unknown>): string | undefined | Error {
  const id = row["id"];
  if (id === undefined || id === null) return undefined;
  if (typeof id === "string" && id.length > 0) return id;
  if (typeof id === "number" && Number.isFinite(id)) return String(id);
  return new Error("`id` must be a non-empty string or a number");
}

/**
 * Validates one parsed JSONL row. Never throws: a bad row is a message the caller reports with
 * its file and line (or counts, with --skip-invalid).
 *
 * @example
 * parsePairRow({ prompt: "Hi", responses: ["Hello!", "Go away."] })
 * // { ok: true, group: { prompt: "Hi", responses: ["Hello!", "Go away."] } }
 */
export function parsePairRow(row: unknown): RowResult {
  const fail = (message: string): RowResult => ({ ok: false, message });
  if (!isRecord(row)) return fail("expected a JSON object");
  const id = readId(row);
  if (id instanceof Error) return fail(id.message);
  const prompt = row["prompt"];
  if (typeof prompt !== "string") return fail("expected `prompt` (a string)");
  const withId = id === undefined ? {} : { id };

  const responses = row["responses"];
  const chosen = row["chosen"];
  const rejected = row["rejected"];
  if (responses !== undefined) {
    if (chosen !== undefined || rejected !== undefined)
      return fail("give either `responses` or `chosen`/`rejected`, not both");
    if (!Array.isArray(responses) || responses.length < 2)
      return fail("expected `responses` to be an array of at least two strings");
    const bad = responses.findIndex((response) => typeof response !== "string");
    if (bad >= 0) return fail(`expected \`responses[${bad}]\` to be a string`);
    return { ok: true, group: { ...withId, prompt, responses: responses as string[] } };
  }
  if (chosen !== undefined || rejected !== undefined) {
    if (typeof chosen !== "string" || typeof rejected !== "string")
      return fail("expected both `chosen` and `rejected` (strings)");
    return {
      ok: true,
      group: { ...withId, prompt, responses: [chosen, rejected], givenChosen: 0 },
    };
  }
  return fail("expected `responses` (an array) or `chosen` and `rejected`");
}

/**
 * The pairs of a group, in a fixed order: `all` gives (0,1), (0,2), ..., (1,2), ...;
 * `reference` compares each reply with the first: (0,1), (0,2), ...
 */
export function pairsOf(groupId: string, responseCount: number, pairing: Pairing): PairRef[] {
  const pairs: PairRef[] = [];
  const lastFirst = pairing === "reference" ? 0 : responseCount - 2;
  for (let first = 0; first <= lastFirst; first++)
    for (let second = first + 1; second < responseCount; second++)
      pairs.push({ id: `${groupId}:${first}-${second}`, first, second });
  return pairs;
}
