// The questions `charter score` and `charter rubrics` put to a model: one criterion about one reply
// (yes/no, or 0-10), and the request for a rubric. Defaults here; a constitution may override each.

import {
  renderConversation,
  renderTemplate,
  type CompiledConstitution,
  type RubricLevel,
} from "../constitution/index.js";
import type { ChatMessage } from "../providers/index.js";

/** Everything before the question: the conversation ending in the reply, and the criterion. */
const CRITERION = `Here is a conversation between a human and an AI assistant.

{{conversation}}

Judge the assistant's last reply against one criterion of a grading rubric.
Criterion ({{kind}}): {{criterion}}`;

export const DEFAULT_CRITERION_QUESTION = `${CRITERION}

Is this criterion true of the assistant's last reply? Answer with one word: Yes or No.`;

export const DEFAULT_CRITERION_SCALE = `${CRITERION}

How far is this criterion true of the assistant's last reply, from 0 (not at all) to 10 (fully)?
Answer with the number only.`;

export const DEFAULT_RUBRIC_REQUEST = `You are writing a grading rubric for replies to the conversation below.

{{conversation}}

{{reference}}

Write between {{min}} and {{max}} criteria. Each criterion is one self-contained, checkable
statement about a reply, with a kind and a weight:
- "essential" (weight 4 to 5): a reply without it is wrong or useless;
- "important" (weight 2 to 3): a good reply has it;
- "optional" (weight 1): a nice extra;
- "pitfall" (weight -1 to -5): a mistake a reply might make.
Answer with a JSON list only, no other text, like:
[{"criterion": "States that the boiling point falls with altitude", "kind": "essential", "weight": 5}]`;

export type ScoreTemplateName = "criterion-question" | "criterion-scale" | "rubric-request";

const DEFAULTS: Readonly<Record<ScoreTemplateName, string>> = {
  "criterion-question": DEFAULT_CRITERION_QUESTION,
  "criterion-scale": DEFAULT_CRITERION_SCALE,
  "rubric-request": DEFAULT_RUBRIC_REQUEST,
};

/** The constitution's `template` block for `name`, or the default text. */
export function scoreTemplate(
  constitution: CompiledConstitution | undefined,
  name: ScoreTemplateName,
): string {
  return constitution?.templates[name]?.text ?? DEFAULTS[name];
}

/** A conversation turn, as rows give them. */
export interface Turn {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

const lastUser = (turns: readonly Turn[]): string =>
  turns.findLast((turn) => turn.role === "user")?.content ?? "";

/** The messages asking whether (or how far) `criterion` holds for `response` after `conversation`. */
export function criterionMessages(
  template: string,
  conversation: readonly Turn[],
  response: string,
  criterion: { readonly text: string; readonly kind: RubricLevel },
): ChatMessage[] {
  const text = renderTemplate(template, {
    conversation: renderConversation([...conversation, { role: "assistant", content: response }]),
    prompt: lastUser(conversation),
    response,
    criterion: criterion.text,
    kind: criterion.kind,
  });
  return [{ role: "user", content: text.trimEnd() }];
}

/** The messages asking for a rubric for one prompt (with a reference answer when given). */
export function rubricRequestMessages(
  template: string,
  conversation: readonly Turn[],
  reference: string | undefined,
  count: { readonly min: number; readonly max: number },
): ChatMessage[] {
  const text = renderTemplate(template, {
    conversation: renderConversation(conversation),
    prompt: lastUser(conversation),
    reference:
      reference === undefined
        ? ""
        : `A reference answer, for what a good reply contains (do not require its wording):\n${reference}`,
    min: String(count.min),
    max: String(count.max),
  });
  return [{ role: "user", content: text.replace(/\n{3,}/g, "\n\n").trimEnd() }];
}
