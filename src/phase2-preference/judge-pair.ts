// Judging one pair: rules first, then K sampled principles × judges × orders, each question
// giving P(first reply is better); the pair's probability is their mean.

import type { CompiledConstitution } from "../constitution/index.js";
import {
  withSystem,
  type CallLedger,
  type ChatMessage,
  type ChatModel,
} from "../providers/index.js";
import type { SeededRandom } from "../runtime/index.js";
import type { OrderVerdict, PrincipleVerdict, ShownOrder } from "../datasets/index.js";
import { askQuestion, type CallRecord, type MethodSettings } from "./methods.js";
import { applyPairRules, type PairRuleOutcome } from "./pair-rules.js";
import { applicablePrinciples, samplePrinciples } from "./principle-sampling.js";
import { compareTemplate, judgeExamples, judgeMessages, renderCompare } from "./templates.js";

/** A judge of the panel and the method it answers by. */
export interface PanelJudge {
  readonly model: ChatModel;
  readonly settings: MethodSettings;
}

export interface PairSettings {
  /** Principles sampled per pair. */
  readonly principles: number;
  /** Ask (A,B) and (B,A) and average; otherwise one order, chosen by a seeded coin. */
  readonly bothOrders: boolean;
}

/**
 * A trace event for one question asked, after the `call` events of its model calls: what each
 * call's answer was read as, and why the question failed when it did.
 */
export interface QuestionTrace {
  readonly event: "judge-question";
  readonly pair: string;
  readonly judge: string;
  readonly principle: string;
  readonly order: ShownOrder;
  readonly answers: readonly Pick<CallRecord, "sampleIndex" | "answer" | "top">[];
  readonly error?: string;
}

export type PairJudgment =
  | {
      readonly kind: "rule";
      readonly rules: PairRuleOutcome;
      /** 1 when the first reply wins, 0 when the second does. */
      readonly probabilityFirst: 0 | 1;
    }
  | {
      readonly kind: "judged";
      readonly rules: PairRuleOutcome;
      readonly probabilityFirst: number;
      readonly verdicts: readonly PrincipleVerdict[];
    }
  | {
      readonly kind: "failed";
      readonly rules: PairRuleOutcome;
      readonly code: "no-applicable-principle" | "unparseable-answer";
      readonly message: string;
    };

export interface PairToJudge {
  readonly id: string;
  /** The turns before the replies, ending with a user turn. */
  readonly conversation: readonly ChatMessage[];
  /** The last user turn's text: what rules and `{{prompt}}` see. */
  readonly prompt: string;
  readonly first: string;
  readonly second: string;
}

const mean = (values: readonly number[]): number =>
  values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Judges one pair. All questions of the pair are asked concurrently, each on its own fork of
 * `ledger` taken in a fixed order (judge, principle, order), so neither the results nor the trace
 * depend on timing. A call that fails for good is thrown after every question has settled.
 */
export async function judgePair(
  pair: PairToJudge,
  constitution: CompiledConstitution,
  panel: readonly PanelJudge[],
  settings: PairSettings,
  random: SeededRandom,
  ledger: CallLedger,
  signal?: AbortSignal,
): Promise<PairJudgment> {
  const rules = applyPairRules(constitution.rules, pair);
  if (rules.decision !== undefined)
    return { kind: "rule", rules, probabilityFirst: rules.decision.winner === "first" ? 1 : 0 };

  const candidates = applicablePrinciples(constitution.principles, pair);
  if (candidates.length === 0)
    return {
      kind: "failed",
      rules,
      code: "no-applicable-principle",
      message: "no principle with a `compare` question applies to this pair",
    };
  const sampled = samplePrinciples(candidates, settings.principles, random.fork("principles"));
  const orderCoin = random.fork("order");
  const orders: ShownOrder[][] = sampled.map(() =>
    settings.bothOrders
      ? ["first-as-a", "second-as-a"]
      : [orderCoin.next() < 0.5 ? "first-as-a" : "second-as-a"],
  );

  const asks = panel.flatMap((judge) =>
    sampled.flatMap(({ principle, question }, p) =>
      (orders[p] as ShownOrder[]).map(async (order) => {
        const [a, b] =
          order === "first-as-a" ? [pair.first, pair.second] : [pair.second, pair.first];
        const name = judge.settings.method === "cot" ? "compare-cot" : "compare-request";
        const text = renderCompare(compareTemplate(constitution, name), {
          conversation: pair.conversation,
          question,
          responseA: a,
          responseB: b,
          principleId: principle.id,
          examples: judgeExamples(constitution),
        });
        const messages = withSystem(judge.settings, judgeMessages(text, judge.model.capabilities));
        const where = { judge: judge.model.id, principle: principle.id, order };
        const branch = ledger.fork(where);
        const result = await askQuestion(judge.model, messages, judge.settings, branch, signal);
        const trace: QuestionTrace = {
          event: "judge-question",
          pair: pair.id,
          ...where,
          answers: result.calls.map(({ sampleIndex, answer, top }) => ({
            sampleIndex,
            ...(answer === undefined ? {} : { answer }),
            ...(top === undefined ? {} : { top }),
          })),
          ...(result.ok ? {} : { error: result.message }),
        };
        branch.event({ ...trace });
        return { judge, principle, question, order, result };
      }),
    ),
  );
  const settled = await Promise.allSettled(asks);
  const thrown = settled.find((outcome) => outcome.status === "rejected");
  if (thrown !== undefined) throw thrown.reason;
  const answers = settled.flatMap((outcome) =>
    outcome.status === "fulfilled" ? [outcome.value] : [],
  );

  const failed = answers.find((answer) => !answer.result.ok);
  if (failed !== undefined && !failed.result.ok)
    return {
      kind: "failed",
      rules,
      code: "unparseable-answer",
      message: `${failed.judge.model.id} on ${failed.principle.id}: ${failed.result.message}`,
    };

  const verdicts: PrincipleVerdict[] = [];
  for (const judge of panel)
    for (const { principle, question } of sampled) {
      const mine = answers.filter(
        (answer) => answer.judge === judge && answer.principle === principle && answer.result.ok,
      );
      const orderVerdicts: OrderVerdict[] = mine.map(({ order, result }) => {
        const probabilityA = result.ok ? result.probabilityA : Number.NaN;
        return {
          order,
          probabilityFirst: order === "first-as-a" ? probabilityA : 1 - probabilityA,
          detail: result.ok ? result.detail : {},
        };
      });
      const probabilities = orderVerdicts.map((verdict) => verdict.probabilityFirst);
      const [one, other] = probabilities;
      verdicts.push({
        judge: judge.model.id,
        principle: principle.id,
        question,
        orders: orderVerdicts,
        probabilityFirst: mean(probabilities),
        ...(one !== undefined && other !== undefined
          ? { consistent: Math.sign(one - 0.5) === Math.sign(other - 0.5) && one !== 0.5 }
          : {}),
      });
    }
  return {
    kind: "judged",
    rules,
    probabilityFirst: mean(verdicts.map((verdict) => verdict.probabilityFirst)),
    verdicts,
  };
}
