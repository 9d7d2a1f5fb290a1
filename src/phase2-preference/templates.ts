// The judge's prompts: the default `compare-request` and `compare-cot` texts (after the
// Constitutional AI paper's multiple-choice framing), constitution overrides, and chat messages.

import {
  renderConversation,
  renderTemplate,
  type CompiledComparisonExample,
  type CompiledConstitution,
} from "../constitution/index.js";
import type { ChatMessage, ModelCapabilities } from "../providers/index.js";

/** The cue that ends a direct question, so the next token is the letter. */
export const ANSWER_CUE = "The answer is: (";

/** The conversation, the principle's question and the two options, as both templates start. */
const QUESTION = `Consider the following conversation between a human and an assistant:

{{conversation}}

{{question}}

Options:
(A) {{response_a}}
(B) {{response_b}}`;

/**
 * Bai et al. 2022, "Constitutional AI", appendix: the multiple-choice evaluation prompt, after
 * the constitution's labelled comparisons (`few-shot ... { on pair }`), as the paper prefixed its
 * feedback model.
 */
export const DEFAULT_COMPARE_REQUEST = `{{examples}}

${QUESTION}

${ANSWER_CUE}`;

/** The chain-of-thought variant: reasoning first, then a stated answer the parser can find. */
export const DEFAULT_COMPARE_COT = `{{examples}}

${QUESTION}

Let's think step by step. Then finish with one line, "The answer is (A)" or "The answer is (B)".`;

export type CompareTemplateName = "compare-request" | "compare-cot";

/** The constitution's `template` block for `name`, or the default text. */
export function compareTemplate(
  constitution: CompiledConstitution,
  name: CompareTemplateName,
): string {
  const override = constitution.templates[name];
  if (override !== undefined) return override.text;
  return name === "compare-request" ? DEFAULT_COMPARE_REQUEST : DEFAULT_COMPARE_COT;
}

/** The constitution's labelled comparisons for the judge, in declaration order. */
export function judgeExamples(constitution: CompiledConstitution): CompiledComparisonExample[] {
  return (constitution.fewShots ?? []).flatMap((set) =>
    set.stages.includes("pair")
      ? set.examples.filter((example) => example.kind === "comparison")
      : [],
  );
}

/**
 * Labelled comparisons as solved questions, for `{{examples}}`: each in the default question's
 * form with its own conversation and question (or the question being asked), ending in its answer.
 */
export function renderExamples(
  examples: readonly CompiledComparisonExample[],
  question: string,
): string {
  return examples
    .map(
      (example) =>
        `${renderTemplate(QUESTION, {
          conversation: renderConversation(example.turns),
          question: example.question ?? question,
          response_a: example.responseA,
          response_b: example.responseB,
        })}\n\n${ANSWER_CUE}${example.answer})`,
    )
    .join("\n\n");
}

export interface CompareValues {
  /** The turns before the two replies (earlier turns rendered too), ending with a user turn. */
  readonly conversation: readonly ChatMessage[];
  readonly question: string;
  readonly responseA: string;
  readonly responseB: string;
  readonly principleId: string;
  /** The labelled comparisons put before the question (`judgeExamples(constitution)`). */
  readonly examples: readonly CompiledComparisonExample[];
}

/**
 * Fills a compare template with the catalog's variables (see src/dsl/template-catalog.ts).
 * Leading blank lines (an empty `{{examples}}`) are dropped.
 */
export function renderCompare(template: string, values: CompareValues): string {
  return renderTemplate(template, {
    conversation: renderConversation(values.conversation),
    prompt: values.conversation.findLast((turn) => turn.role === "user")?.content ?? "",
    question: values.question,
    response_a: values.responseA,
    response_b: values.responseB,
    "principle.id": values.principleId,
    examples: renderExamples(values.examples, values.question),
  }).trimStart();
}

/**
 * The chat messages for a rendered question. A text ending with the answer cue keeps it at the
 * end of the user message, unless the model accepts an assistant prefill: then the cue becomes
 * the start of the assistant's turn, which is where the paper put it.
 */
export function judgeMessages(text: string, capabilities: ModelCapabilities): ChatMessage[] {
  const trimmed = text.trimEnd();
  if (capabilities.assistantPrefill && trimmed.endsWith(ANSWER_CUE)) {
    const question = trimmed.slice(0, -ANSWER_CUE.length).trimEnd();
    return [
      { role: "user", content: question },
      { role: "assistant", content: ANSWER_CUE },
    ];
  }
  return [{ role: "user", content: trimmed }];
}
