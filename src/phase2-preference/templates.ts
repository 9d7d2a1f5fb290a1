// The judge's prompts: the default `compare-request` and `compare-cot` texts (after the
// Constitutional AI paper's multiple-choice framing), constitution overrides, and chat messages.

import {
  renderConversation,
  renderTemplate,
  type CompiledConstitution,
  type CompiledExample,
} from "../dsl/index.js";
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

/** Bai et al. 2022, "Constitutional AI", appendix: the multiple-choice evaluation prompt. */
export const DEFAULT_COMPARE_REQUEST = `${QUESTION}

${ANSWER_CUE}`;

/** The chain-of-thought variant: reasoning first, then a stated answer the parser can find. */
export const DEFAULT_COMPARE_COT = `${QUESTION}

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

/** A principle's examples as Human/Assistant exchanges, for templates that use `{{examples}}`. */
export function renderExamples(examples: readonly CompiledExample[]): string {
  return examples
    .map((example) =>
      renderConversation([
        { role: "user", content: example.prompt },
        { role: "assistant", content: example.revision ?? example.response },
      ]),
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
  readonly examples: readonly CompiledExample[];
}

/** Fills a compare template with the catalog's variables (see src/dsl/template-catalog.ts). */
export function renderCompare(template: string, values: CompareValues): string {
  return renderTemplate(template, {
    conversation: renderConversation(values.conversation),
    prompt: values.conversation.findLast((turn) => turn.role === "user")?.content ?? "",
    question: values.question,
    response_a: values.responseA,
    response_b: values.responseB,
    "principle.id": values.principleId,
    examples: renderExamples(values.examples),
  });
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
