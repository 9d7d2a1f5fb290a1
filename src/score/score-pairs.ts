// `--pairs-from`: preference pairs made from a row's scored replies, in Phase 2's output layouts
// (its formatPreference), with the score margin. Pairs within the tie margin are not forced.

import type { CompiledConstitution } from "../constitution/index.js";
import { formatPreference, type OutputFormat } from "../datasets/index.js";
import type { ScoringRubric } from "./rubric.js";
import type { ScoreRow } from "./rows.js";
import type { ScoredReply } from "./score-item.js";

export type PairsFrom = "best-worst" | "all";
export const PAIRS_FROM: readonly PairsFrom[] = ["best-worst", "all"];

export const PREFERENCES_FILE = "preferences.jsonl";
export const TIES_FILE = "ties.jsonl";

export interface PairSettings {
  /** A pair whose scores differ by at most this is a tie. */
  readonly tieMargin: number;
  readonly format: OutputFormat;
}

const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** The (first, second) reply indexes to compare, in a fixed order. */
function candidates(replies: readonly ScoredReply[], from: PairsFrom): [number, number][] {
  if (replies.length < 2) return [];
  if (from === "all") {
    const pairs: [number, number][] = [];
    for (let first = 0; first < replies.length - 1; first++)
      for (let second = first + 1; second < replies.length; second++) pairs.push([first, second]);
    return pairs;
  }
  // Best and worst; on equal scores the earlier reply stands for both ends.
  let best = 0;
  let worst = 0;
  replies.forEach((reply, index) => {
    if (reply.score > (replies[best] as ScoredReply).score) best = index;
    if (reply.score < (replies[worst] as ScoredReply).score) worst = index;
  });
  if (best === worst) worst = best === 0 ? 1 : 0;
  return [[Math.min(best, worst), Math.max(best, worst)]];
}

/** The preference and tie records one row gives, with counters. */
export function scorePairs(
  rowId: string,
  row: ScoreRow,
  rubric: ScoringRubric,
  replies: readonly ScoredReply[],
  settings: PairSettings & { readonly from: PairsFrom },
  constitution: CompiledConstitution,
): { outputs: Record<string, unknown[]>; counters: Record<string, number> } {
  const preferences: unknown[] = [];
  const ties: unknown[] = [];
  const counters: Record<string, number> = {};
  const bump = (key: string): void => {
    counters[key] = (counters[key] ?? 0) + 1;
  };
  for (const [first, second] of candidates(replies, settings.from)) {
    const a = replies[first] as ScoredReply;
    const b = replies[second] as ScoredReply;
    const id = `${rowId}:${first}-${second}`;
    bump("pairs");
    const margin = Math.abs(a.score - b.score);
    if (margin <= settings.tieMargin + 1e-12) {
      bump("ties");
      ties.push({
        id,
        prompt: row.shape === "text" ? row.conversation[0]?.content : row.conversation,
        response_a: row.responses[first],
        response_b: row.responses[second],
        score_a: round(a.score),
        score_b: round(b.score),
        rubric: rubric.id,
      });
      continue;
    }
    bump("preferences");
    const [chosen, rejected] = a.score > b.score ? [first, second] : [second, first];
    const chosenScore = (replies[chosen] as ScoredReply).score;
    const rejectedScore = (replies[rejected] as ScoredReply).score;
    const record = formatPreference(
      {
        id,
        conversation: row.conversation,
        shape: row.shape,
        chosen: row.responses[chosen] as string,
        rejected: row.responses[rejected] as string,
        // Phase 2's columns read a probability; a score pair has a margin of scores instead.
        probability: 0.5 + margin / 2,
        margin,
        decidedBy: "judge",
        flags: [],
        verdicts: [],
        constitution: `${constitution.name}@${constitution.version}`,
      },
      settings.format,
    );
    preferences.push(
      withScoreColumns(record, settings.format, chosenScore, rejectedScore, margin, rubric),
    );
  }
  return { outputs: { [PREFERENCES_FILE]: preferences, [TIES_FILE]: ties }, counters };
}

/**
 * The TRL layouts carry Charter's columns: here the two scores, their margin and the rubric
 * replace the judge's probability and verdicts. `openai-dpo` and `hh` keep only their own keys.
 */
function withScoreColumns(
  record: unknown,
  format: OutputFormat,
  chosen: number,
  rejected: number,
  margin: number,
  rubric: ScoringRubric,
): unknown {
  if (format !== "trl" && format !== "trl-chat") return record;
  const {
    probability: _probability,
    verdicts: _verdicts,
    decided_by: _decidedBy,
    margin: _margin,
    ...rest
  } = record as Record<string, unknown>;
  return {
    ...rest,
    margin: round(margin),
    chosen_score: round(chosen),
    rejected_score: round(rejected),
    rubric: rubric.id,
    rubric_hash: rubric.hash,
  };
}
