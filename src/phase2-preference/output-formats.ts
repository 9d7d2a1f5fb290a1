// Preference records in the layouts trainers read: TRL (prompt/chosen/rejected, with Charter's
// probability, margin and verdicts), OpenAI preference fine-tuning, and Anthropic HH-RLHF.

import { assertNever } from "../errors.js";
import type { PrincipleVerdict } from "./judge-pair.js";

export type OutputFormat = "trl" | "trl-chat" | "openai-dpo" | "hh";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["trl", "trl-chat", "openai-dpo", "hh"];

/** A labelled pair, whatever the layout. */
export interface PreferenceLabel {
  readonly id: string;
  readonly prompt: string;
  readonly chosen: string;
  readonly rejected: string;
  /** Probability that `chosen` is the better reply (≥ 0.5). */
  readonly probability: number;
  /** P(chosen) − P(rejected) = 2·probability − 1: 0 is a coin toss, 1 is certain. */
  readonly margin: number;
  readonly decidedBy: "judge" | "rule";
  /** The deciding rule, when a rule decided. */
  readonly rule?: string;
  readonly flags: readonly string[];
  readonly verdicts: readonly PrincipleVerdict[];
  /** For relabelled rows: whether the given label agrees with this one. */
  readonly agreesWithGiven?: boolean;
  /** `name@version` of the constitution. */
  readonly constitution: string;
}

/** Six decimals: enough for any trainer, and stable bytes across platforms. */
export const round = (value: number): number => Math.round(value * 1e6) / 1e6;

function verdictsForOutput(verdicts: readonly PrincipleVerdict[]): unknown[] {
  return verdicts.map((verdict) => ({
    judge: verdict.judge,
    principle: verdict.principle,
    question: verdict.question,
    probability_first: round(verdict.probabilityFirst),
    ...(verdict.consistent === undefined ? {} : { consistent: verdict.consistent }),
    orders: verdict.orders.map((order) => ({
      order: order.order,
      probability_first: round(order.probabilityFirst),
      ...Object.fromEntries(
        Object.entries(order.detail).map(([key, value]) => [
          key,
          typeof value === "number" ? round(value) : value,
        ]),
      ),
    })),
  }));
}

/** Charter's own columns, kept beside TRL's in both TRL layouts. */
function charterColumns(label: PreferenceLabel): Record<string, unknown> {
  return {
    probability: round(label.probability),
    margin: round(label.margin),
    decided_by: label.decidedBy,
    ...(label.rule === undefined ? {} : { rule: label.rule }),
    ...(label.flags.length === 0 ? {} : { flags: label.flags }),
    ...(label.agreesWithGiven === undefined ? {} : { agrees_with_given: label.agreesWithGiven }),
    constitution: label.constitution,
    verdicts: verdictsForOutput(label.verdicts),
  };
}

/**
 * The record for one label. `trl` keeps everything (TRL's standard explicit-prompt preference
 * columns plus Charter's fields; extra columns are ignored by TRL's trainers); `trl-chat` is TRL's
 * conversational form (prompt and replies as message lists, so the trainer applies the chat
 * template), with the same extra columns. `openai-dpo` and
 * `hh` hold only their documented keys, because their consumers validate strictly; the verdicts
 * remain in trace.jsonl.
 */
export function formatPreference(label: PreferenceLabel, format: OutputFormat): unknown {
  switch (format) {
    case "trl":
      return {
        id: label.id,
        prompt: label.prompt,
        chosen: label.chosen,
        rejected: label.rejected,
        ...charterColumns(label),
      };
    case "trl-chat":
      return {
        id: label.id,
        prompt: [{ role: "user", content: label.prompt }],
        chosen: [{ role: "assistant", content: label.chosen }],
        rejected: [{ role: "assistant", content: label.rejected }],
        ...charterColumns(label),
      };
    case "openai-dpo":
      return {
        input: { messages: [{ role: "user", content: label.prompt }] },
        preferred_output: [{ role: "assistant", content: label.chosen }],
        non_preferred_output: [{ role: "assistant", content: label.rejected }],
      };
    case "hh":
      return {
        chosen: hhTranscript(label.prompt, label.chosen),
        rejected: hhTranscript(label.prompt, label.rejected),
      };
    default:
      return assertNever(format, "output format");
  }
}

/** Anthropic HH-RLHF's layout: the whole exchange as one string per side. */
export function hhTranscript(prompt: string, reply: string): string {
  return `\n\nHuman: ${prompt}\n\nAssistant: ${reply}`;
}

/** A pair left unlabelled because its probability fell within the tie margin. */
export interface TieRecord {
  readonly id: string;
  readonly prompt: string;
  readonly first: string;
  readonly second: string;
  readonly probabilityFirst: number;
  readonly verdicts: readonly PrincipleVerdict[];
  readonly constitution: string;
}

/** ties.jsonl is always in one layout, whatever --format says: it is for people to inspect. */
export function formatTie(tie: TieRecord): unknown {
  return {
    id: tie.id,
    prompt: tie.prompt,
    response_a: tie.first,
    response_b: tie.second,
    probability_a: round(tie.probabilityFirst),
    constitution: tie.constitution,
    verdicts: verdictsForOutput(tie.verdicts),
  };
}
