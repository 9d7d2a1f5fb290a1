// One work item of a scoring run: choose the row's rubric, ask every judge about every
// model-scored criterion of every reply (rule criteria need no call), score each reply, and lay
// out scores.jsonl, the threshold filter and the preference pairs, with counters for stats.json.

import { evaluateCondition, type CompiledConstitution } from "../constitution/index.js";
import {
  CallLedger,
  ProviderError,
  TruncatedReplyError,
  type CallLedgerOptions,
  type ChatModel,
} from "../providers/index.js";
import { countCohen, countFleiss, type ItemContext, type ItemOutcome } from "../runtime/index.js";
import { askCriterion, type CriterionAnswer, type ScoreMethodSettings } from "./ask-criterion.js";
import { scorePairs, type PairsFrom, type PairSettings } from "./score-pairs.js";
import { chooseRubric } from "./rubric-choice.js";
import { criterionKey } from "./score-stats.js";
import type { Criterion, ScoringRubric } from "./rubric.js";
import type { ScoreItemInput, ScoreRow } from "./rows.js";
import { scoreReply, type EssentialCap, type ReplyScore } from "./score-formula.js";
import { criterionMessages, scoreTemplate } from "./templates.js";

export const SCORES_FILE = "scores.jsonl";
export const KEPT_FILE = "kept.jsonl";
export const DROPPED_FILE = "dropped.jsonl";

/** A judge of the panel and the method it answers by. */
export interface ScoreJudge {
  readonly model: ChatModel;
  readonly settings: ScoreMethodSettings;
}

/** Everything that is the same for every item of a run. */
export interface ScoreRunContext {
  readonly constitution: CompiledConstitution;
  readonly rubrics: ReadonlyMap<string, ScoringRubric>;
  /** `--rubric NAME`. */
  readonly rubric?: string;
  readonly panel: readonly ScoreJudge[];
  readonly cap: EssentialCap;
  /** `--threshold X`: keep rows (replies) scoring at least this. */
  readonly threshold?: number;
  readonly pairs?: PairSettings & { readonly from: PairsFrom };
  /** Prices and the truncation policy every call of the run is recorded with. */
  readonly calls?: CallLedgerOptions;
}

/** One criterion's result for one reply. */
export interface CriterionResult {
  readonly criterion: Criterion;
  /** Mean over the panel (or the rule's 1/0). */
  readonly probability: number;
  /** Each judge's answer; empty for a rule criterion. */
  readonly judges: readonly {
    readonly judge: string;
    readonly probability: number;
    readonly detail: Readonly<Record<string, number | string>>;
  }[];
}

export interface ScoredReply extends ReplyScore {
  readonly index: number;
  readonly criteria: readonly CriterionResult[];
}

type Counters = Record<string, number>;
const bump = (counters: Counters, key: string, by = 1): void => {
  counters[key] = (counters[key] ?? 0) + by;
};

/** Six decimals: stable bytes across platforms. */
export const round = (value: number): number => Math.round(value * 1e6) / 1e6;

interface Ask {
  readonly reply: number;
  readonly criterion: number;
  readonly judge: ScoreJudge;
  readonly answer: CriterionAnswer;
}

function criterionRecord(result: CriterionResult): Record<string, unknown> {
  const { criterion } = result;
  return {
    criterion: criterion.text,
    kind: criterion.kind,
    weight: criterion.weight,
    probability: round(result.probability),
    ...(criterion.check !== undefined
      ? { method: "rule", check: criterion.checkSource }
      : {
          method: result.judges.length > 0 ? "judge" : "rule",
          judges: result.judges.map((judge) => ({
            judge: judge.judge,
            probability: round(judge.probability),
            ...Object.fromEntries(
              Object.entries(judge.detail).map(([key, value]) => [
                key,
                typeof value === "number" ? round(value) : value,
              ]),
            ),
          })),
        }),
  };
}

function replyRecord(reply: ScoredReply, panel: readonly ScoreJudge[]): Record<string, unknown> {
  return {
    index: reply.index,
    score: round(reply.score),
    raw: round(reply.raw),
    ...(reply.capped ? { capped: true } : {}),
    criteria: reply.criteria.map((result) => {
      const record = criterionRecord(result);
      // The method a judge answered by, named once per criterion: the panel shares one method.
      if (record["method"] === "judge") record["method"] = panel[0]?.settings.method ?? "judge";
      return record;
    }),
  };
}

/** Why a reply falls below the threshold, in words. */
function dropReason(reply: ScoredReply, threshold: number, cap: EssentialCap): string {
  const base = `score ${round(reply.score)} < threshold ${threshold}`;
  if (!reply.capped) return base;
  const missed = reply.criteria
    .filter((result) => result.criterion.kind === "essential" && result.probability < cap.threshold)
    .map((result) => `"${result.criterion.text}" (p=${round(result.probability)})`);
  return `${base}: capped at ${cap.cap} for missing essential ${missed.join(", ")}`;
}

/** The threshold filter's records for one row: kept (as read) and dropped (with reasons). */
function filterRow(
  id: string,
  line: number,
  row: ScoreRow,
  replies: readonly ScoredReply[],
  threshold: number,
  cap: EssentialCap,
  counters: Counters,
): { kept: unknown[]; dropped: unknown[] } {
  if (row.layout === "several") {
    const passing = replies.filter((reply) => reply.score >= threshold);
    const failing = replies.filter((reply) => reply.score < threshold);
    bump(counters, "kept-replies", passing.length);
    bump(counters, "dropped-replies", failing.length);
    const kept =
      passing.length === 0
        ? []
        : [
            {
              ...row.source,
              responses: passing.map(
                (reply) => (row.source["responses"] as unknown[])[reply.index],
              ),
            },
          ];
    bump(counters, kept.length > 0 ? "kept" : "dropped");
    const dropped =
      failing.length === 0
        ? []
        : [
            {
              id,
              line,
              threshold,
              replies: failing.map((reply) => ({
                index: reply.index,
                score: round(reply.score),
                reason: dropReason(reply, threshold, cap),
              })),
              row: row.source,
            },
          ];
    return { kept, dropped };
  }
  // A single reply, or a labelled pair judged by its chosen reply (the training target).
  const target = replies[0] as ScoredReply;
  if (target.score >= threshold) {
    bump(counters, "kept");
    return { kept: [row.source], dropped: [] };
  }
  bump(counters, "dropped");
  return {
    kept: [],
    dropped: [
      {
        id,
        line,
        threshold,
        score: round(target.score),
        reason: dropReason(target, threshold, cap),
        row: row.source,
      },
    ],
  };
}

export const YES_NO: readonly string[] = ["yes", "no"];

/** The panel's judges as raters: a model listed twice is told apart by its place (`#2`). */
function raterNames(judges: readonly string[]): string[] {
  return judges.map((judge, index) =>
    judges.indexOf(judge) === index ? judge : `${judge}#${index + 1}`,
  );
}

function countReply(
  rubric: ScoringRubric,
  reply: ScoredReply,
  panelSize: number,
  counters: Counters,
): void {
  bump(counters, "replies");
  bump(counters, "score-micros", Math.round(reply.score * 1e6));
  bump(counters, `score-bin:${Math.min(9, Math.floor(reply.score * 10))}`);
  if (reply.capped) bump(counters, "capped");
  reply.criteria.forEach((result, index) => {
    const key = criterionKey(rubric, index, result.criterion);
    const holds = result.probability >= 0.5;
    const passed = result.criterion.kind === "pitfall" ? !holds : holds;
    bump(counters, `criterion:${key}:replies`);
    if (passed) bump(counters, `criterion:${key}:pass`);
    bump(counters, `criterion:${key}:p-micros`, Math.round(result.probability * 1e6));
    if (result.criterion.check !== undefined) bump(counters, `criterion:${key}:rule`);
    // Agreement between judges: each judge's answer read as yes (p ≥ 0.5) or no.
    if (panelSize < 2 || result.judges.length !== panelSize) return;
    const ratings = result.judges.map((judge) => (judge.probability >= 0.5 ? "yes" : "no"));
    countFleiss(`criterion:${key}:fleiss`, ratings, YES_NO, counters);
    const names = raterNames(result.judges.map((judge) => judge.judge));
    for (let i = 0; i < names.length; i++)
      for (let j = i + 1; j < names.length; j++)
        countCohen(
          `criterion:${key}:cohen`,
          names[i] as string,
          names[j] as string,
          ratings[i] as string,
          ratings[j] as string,
          counters,
        );
  });
}

/**
 * Scores every reply of one row. All questions of the row are asked concurrently, each on its own
 * branch of the item's call ledger taken in a fixed order (reply, criterion, judge), so neither
 * results nor trace depend on timing. A call that fails for good fails this row only.
 */
export async function scoreItem(
  itemId: string,
  input: ScoreItemInput,
  run: ScoreRunContext,
  context: ItemContext,
): Promise<ItemOutcome> {
  // Sampled answers (vote, scale) get a seed from (run seed, row id, question): another run seed
  // gives other samples, the same one the same samples.
  const ledger = new CallLedger({
    ...run.calls,
    seedFor: (key) => context.random.fork(key).int(2 ** 31),
  });
  const counters: Counters = { rows: 1 };
  const done = (outcome: Omit<ItemOutcome, "trace" | "counters">): ItemOutcome => {
    for (const [name, value] of Object.entries(counters)) ledger.count(name, value);
    return { ...outcome, trace: ledger.trace(), counters: ledger.counters() };
  };
  try {
    return done(await scoreRow(itemId, input, run, context, ledger, counters));
  } catch (error) {
    if (!(error instanceof ProviderError || error instanceof TruncatedReplyError)) throw error;
    if (context.signal.aborted) throw error;
    const failure = { code: error.code, message: error.message };
    ledger.event({ event: "item-failed", ...failure });
    return done({ outputs: {}, failure });
  }
}

async function scoreRow(
  itemId: string,
  input: ScoreItemInput,
  run: ScoreRunContext,
  context: ItemContext,
  ledger: CallLedger,
  counters: Counters,
): Promise<Omit<ItemOutcome, "trace" | "counters">> {
  const { row, line } = input;
  const choice = chooseRubric(row, run.constitution, run.rubrics, run.rubric);
  if (!choice.ok) {
    bump(counters, choice.code);
    ledger.event({ event: "rubric", error: choice.message });
    return { outputs: {}, failure: { code: choice.code, message: choice.message } };
  }
  const { rubric } = choice;
  bump(counters, rubric.id === "row" ? "rubric:(row)" : `rubric:${rubric.id}`);
  ledger.event({ event: "rubric", rubric: rubric.id, hash: rubric.hash, from: choice.from });
  const prompt = row.conversation.findLast((turn) => turn.role === "user")?.content ?? "";

  const questions = row.responses.flatMap((response, reply) =>
    rubric.criteria.flatMap((criterion, index) => {
      if (criterion.check !== undefined) return [];
      return run.panel.map(async (judge): Promise<Ask> => {
        // Forked before the first await: branches are taken in this loop's order.
        const branch = ledger.fork({ reply, criterion: index, judge: judge.model.id });
        const template = scoreTemplate(
          run.constitution,
          judge.settings.method === "scale" ? "criterion-scale" : "criterion-question",
        );
        const messages = criterionMessages(template, row.conversation, response, criterion);
        const answer = await askCriterion(
          judge.model,
          messages,
          judge.settings,
          branch,
          context.signal,
        );
        branch.event({
          event: "criterion",
          method: judge.settings.method,
          ...(answer.ok ? { probability: round(answer.probability) } : { error: answer.message }),
        });
        return { reply, criterion: index, judge, answer };
      });
    }),
  );
  const asks = await Promise.all(questions);
  const failed = asks.find((ask) => !ask.answer.ok);
  if (failed !== undefined && !failed.answer.ok) {
    const criterion = rubric.criteria[failed.criterion] as Criterion;
    return {
      outputs: {},
      failure: {
        code: "unparseable-answer",
        message: `${failed.judge.model.id} on reply ${failed.reply}, "${criterion.text}": ${failed.answer.message}`,
      },
    };
  }

  const replies: ScoredReply[] = row.responses.map((response, reply) => {
    const criteria: CriterionResult[] = rubric.criteria.map((criterion, index) => {
      if (criterion.check !== undefined) {
        const holds = evaluateCondition(criterion.check, { prompt, response, tags: row.tags });
        ledger.event({
          event: "rule-criterion",
          reply,
          criterion: index,
          check: criterion.checkSource,
          holds,
        });
        return { criterion, probability: holds ? 1 : 0, judges: [] };
      }
      const judges = asks
        .filter((ask) => ask.reply === reply && ask.criterion === index)
        .map((ask) => ({
          judge: ask.judge.model.id,
          probability: ask.answer.ok ? ask.answer.probability : 0,
          detail: ask.answer.ok ? ask.answer.detail : {},
        }));
      const probability = judges.reduce((sum, judge) => sum + judge.probability, 0) / judges.length;
      return { criterion, probability, judges };
    });
    const scored = scoreReply(
      rubric.criteria,
      criteria.map((result) => result.probability),
      run.cap,
    );
    return { index: reply, criteria, ...scored };
  });
  for (const reply of replies) countReply(rubric, reply, run.panel.length, counters);

  const record: Record<string, unknown> = {
    id: itemId,
    rubric: rubric.id,
    rubric_hash: rubric.hash,
    rubric_from: choice.from,
    ...(row.layout === "several" ? {} : { score: round((replies[0] as ScoredReply).score) }),
  };
  if (row.layout === "labelled") {
    const [chosen, rejected] = replies as [ScoredReply, ScoredReply];
    record["margin"] = round(chosen.score - rejected.score);
    record["agrees_with_given"] = chosen.score > rejected.score;
    bump(counters, "given");
    if (chosen.score > rejected.score) bump(counters, "given-agree");
  }
  record["replies"] = replies.map((reply) => replyRecord(reply, run.panel));

  const outputs: Record<string, unknown[]> = { [SCORES_FILE]: [record] };
  if (run.threshold !== undefined) {
    const { kept, dropped } = filterRow(
      itemId,
      line,
      row,
      replies,
      run.threshold,
      run.cap,
      counters,
    );
    outputs[KEPT_FILE] = kept;
    outputs[DROPPED_FILE] = dropped;
  }
  if (run.pairs !== undefined) {
    const made = scorePairs(itemId, row, rubric, replies, run.pairs, run.constitution);
    Object.assign(outputs, made.outputs);
    for (const [key, value] of Object.entries(made.counters)) bump(counters, key, value);
  }
  return { outputs };
}
