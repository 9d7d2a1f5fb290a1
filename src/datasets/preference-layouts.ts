// Preference labels in the layouts trainers read: TRL (prompt/chosen/rejected, with Charter's
// probability, margin and verdicts), OpenAI preference fine-tuning, and Anthropic HH-RLHF. Each
// layout's rows are written by its module in layouts/, which `charter inspect` reads them with.

import { assertNever } from "../errors.js";
import type { MessageTurn } from "../io/index.js";
import type { PrincipleVerdict } from "./verdicts.js";
import type { PromptShape } from "./pair-rows.js";
import {
  copyTurn,
  writePreferenceHh,
  writePreferenceOpenAiDpo,
  writePreferenceTrl,
  writePreferenceTrlChat,
} from "./layouts/index.js";

export type OutputFormat = "trl" | "trl-chat" | "openai-dpo" | "hh";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["trl", "trl-chat", "openai-dpo", "hh"];

/** The conversation a pair's replies continue, and the shape its input gave it in. */
export interface PairPrompt {
  /** The turns before the replies, ending with a user turn. */
  readonly conversation: readonly MessageTurn[];
  readonly shape: PromptShape;
}

/** A labelled pair, whatever the layout. */
export interface PreferenceLabel extends PairPrompt {
  readonly id: string;
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
 * columns plus Charter's fields; extra columns are ignored by TRL's trainers), in the prompt's
 * shape; `trl-chat` is TRL's conversational form (prompt and replies as message lists, so the
 * trainer applies the chat template), with the same extra columns. `openai-dpo` and
 * `hh` hold only their documented keys, because their consumers validate strictly; the verdicts
 * remain in trace.jsonl.
 */
export function formatPreference(label: PreferenceLabel, format: OutputFormat): unknown {
  switch (format) {
    case "trl":
      // The prompt in the shape it was given: a string prompt keeps TRL's standard layout, a
      // conversation keeps TRL's conversational one (prompt and replies as message lists).
      return label.shape === "text"
        ? writePreferenceTrl(
            label.id,
            promptText(label),
            label.chosen,
            label.rejected,
            charterColumns(label),
          )
        : chatRecord(label);
    case "trl-chat":
      return chatRecord(label);
    case "openai-dpo":
      return writePreferenceOpenAiDpo(label.conversation, label.chosen, label.rejected);
    case "hh":
      return writePreferenceHh(label.conversation, label.chosen, label.rejected);
    default:
      return assertNever(format, "output format");
  }
}

/** A text-shaped prompt is a single user turn: its text. */
const promptText = (prompt: PairPrompt): string => prompt.conversation[0]?.content ?? "";

function chatRecord(label: PreferenceLabel): unknown {
  return writePreferenceTrlChat(
    label.id,
    label.conversation,
    label.chosen,
    label.rejected,
    charterColumns(label),
  );
}

/** A pair left unlabelled because its probability fell within the tie margin. */
export interface TieRecord extends PairPrompt {
  readonly id: string;
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
    prompt: tie.shape === "text" ? promptText(tie) : tie.conversation.map(copyTurn),
    response_a: tie.first,
    response_b: tie.second,
    probability_a: round(tie.probabilityFirst),
    constitution: tie.constitution,
    verdicts: verdictsForOutput(tie.verdicts),
  };
}
