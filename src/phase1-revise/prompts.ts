// Builds the critique and revision requests. The default framing follows the Constitutional AI
// paper as chat turns: the conversation so far, then "Critique request: ...", the critique, then
// "Revision request: ...". The texts are the `critique-request` / `revision-request` templates,
// which a constitution's `template` blocks override.

import { renderConversation, renderTemplate, templateVariables } from "../dsl/index.js";
import type { CompiledConstitution, CompiledExample } from "../dsl/index.js";
import type { ChatMessage } from "../providers/index.js";
import type { RevisablePrinciple } from "./sampling.js";

/** The default critique request; the marker sentence lets a model decline to revise. */
export function defaultCritiqueRequest(noChangeMarker: string): string {
  return (
    "Critique request: {{principle.critique}}\n\n" +
    `If the reply needs no change under this request, answer exactly ${noChangeMarker} and nothing else.`
  );
}

export const DEFAULT_REVISION_REQUEST =
  "Revision request: {{principle.revise}}\n\nAnswer with the rewritten reply only.";

export interface PhaseTemplates {
  readonly critique: string;
  readonly revision: string;
}

/**
 * The constitution's templates where it has them, else the defaults. The run's no-change marker is
 * filled in once here (`{{no_change_marker}}`), since it is the same for every call.
 */
export function resolveTemplates(
  constitution: CompiledConstitution,
  noChangeMarker: string,
): PhaseTemplates {
  const override = constitution.templates["critique-request"]?.text;
  return {
    critique:
      override === undefined
        ? defaultCritiqueRequest(noChangeMarker)
        : renderTemplate(override, { no_change_marker: noChangeMarker }),
    revision: constitution.templates["revision-request"]?.text ?? DEFAULT_REVISION_REQUEST,
  };
}

/** The conversation being revised: the input turns and the current reply. */
export interface ConversationState {
  readonly messages: readonly ChatMessage[];
  readonly reply: string;
}

export interface BuiltRequest {
  readonly messages: ChatMessage[];
  /** The rendered template (the last user turn, or the whole single message). */
  readonly text: string;
}

/** The user's last turn: the `prompt` of templates and rules. */
export function lastUserText(messages: readonly ChatMessage[]): string {
  return messages.findLast((message) => message.role === "user")?.content ?? "";
}

const variablesCache = new Map<string, readonly string[]>();

/** The variables a template uses, parsed once per template text (templates are few, calls many). */
function variablesOf(template: string): readonly string[] {
  let variables = variablesCache.get(template);
  if (variables === undefined) {
    variables = templateVariables(template);
    variablesCache.set(template, variables);
  }
  return variables;
}

/** Fills `template`, rendering the conversation only when the template asks for it. */
function fill(
  template: string,
  state: ConversationState,
  principle: RevisablePrinciple,
  examples: string,
  critique?: string,
): string {
  const values: Record<string, string> = {
    prompt: lastUserText(state.messages),
    response: state.reply,
    "principle.id": principle.id,
    "principle.critique": principle.critique,
    "principle.revise": principle.revise,
    examples,
  };
  if (critique !== undefined) values["critique"] = critique;
  if (variablesOf(template).includes("conversation"))
    values["conversation"] = renderConversation([
      ...state.messages,
      { role: "assistant", content: state.reply },
    ]);
  return renderTemplate(template, values);
}

/** An example's turns up to the critique (stage `critique`) or the revision (stage `revision`). */
function exampleTurns(
  example: CompiledExample,
  principle: RevisablePrinciple,
  templates: PhaseTemplates,
  stage: "critique" | "revision",
): ChatMessage[] {
  if (example.critique === undefined) return [];
  if (stage === "revision" && example.revision === undefined) return [];
  const state = {
    messages: [{ role: "user" as const, content: example.prompt }],
    reply: example.response,
  };
  const turns: ChatMessage[] = [
    { role: "user", content: example.prompt },
    { role: "assistant", content: example.response },
    { role: "user", content: fill(templates.critique, state, principle, "") },
    { role: "assistant", content: example.critique },
  ];
  if (stage === "revision") {
    turns.push(
      { role: "user", content: fill(templates.revision, state, principle, "", example.critique) },
      { role: "assistant", content: example.revision ?? "" },
    );
  }
  return turns;
}

function allExampleTurns(
  principle: RevisablePrinciple,
  templates: PhaseTemplates,
  stage: "critique" | "revision",
): ChatMessage[] {
  return principle.examples.flatMap((example) =>
    exampleTurns(example, principle, templates, stage),
  );
}

/**
 * Lays out a request. A template using {{conversation}} is sent as one user message with the
 * conversation written into it; otherwise the conversation goes as chat turns and the template
 * is the last user turn. Examples become prior turns unless the template places {{examples}}.
 */
function layOut(
  template: string,
  state: ConversationState,
  principle: RevisablePrinciple,
  templates: PhaseTemplates,
  stage: "critique" | "revision",
  critique?: string,
): BuiltRequest {
  const variables = variablesOf(template);
  const turns = allExampleTurns(principle, templates, stage);
  const examplesText = variables.includes("examples") ? renderConversation(turns) : "";
  const text = fill(template, state, principle, examplesText, critique);
  const system = state.messages.filter((message) => message.role === "system");
  if (variables.includes("conversation")) {
    return { messages: [...system, { role: "user", content: text }], text };
  }
  const messages: ChatMessage[] = [
    ...system,
    ...(variables.includes("examples") ? [] : turns),
    ...state.messages.filter((message) => message.role !== "system"),
    { role: "assistant", content: state.reply },
  ];
  if (stage === "revision" && critique !== undefined) {
    messages.push(
      { role: "user", content: fill(templates.critique, state, principle, examplesText) },
      { role: "assistant", content: critique },
    );
  }
  messages.push({ role: "user", content: text });
  return { messages, text };
}

/** The critique request for `principle` against the current reply. */
export function buildCritiqueRequest(
  state: ConversationState,
  principle: RevisablePrinciple,
  templates: PhaseTemplates,
): BuiltRequest {
  return layOut(templates.critique, state, principle, templates, "critique");
}

/** The revision request, after `critique` of the current reply. */
export function buildRevisionRequest(
  state: ConversationState,
  principle: RevisablePrinciple,
  templates: PhaseTemplates,
  critique: string,
): BuiltRequest {
  return layOut(templates.revision, state, principle, templates, "revision", critique);
}

/**
 * Whether a critique answered the no-change marker: the marker must be the whole answer. Tolerated
 * around it: whitespace, wrapping quotes, backticks or emphasis (`"`, `'`, `` ` ``, `*`, `_`) and
 * final punctuation (`.`, `!`); inside it: case, and spaces, `_` and `-` between its words
 * ("No changes." matches `NO_CHANGES`). Anything else in the answer means the model had more to
 * say, so the round revises: `NO_CHANGES. However the dose is overstated` is a critique, and so is
 * `The reply is fine. NO_CHANGES` (a marker sharing its answer with other text may be quoted or
 * hedged; a needless revision costs one call, a skipped needed one a wrong training target).
 */
export function isNoChange(critique: string, marker: string): boolean {
  const wanted = normalizeMarker(marker);
  if (wanted === "") return false;
  const answer = critique
    .trim()
    .replace(/[.!]+$/u, "")
    .replace(/^["'`*_]+|["'`*_]+$/gu, "")
    .replace(/[.!]+$/u, "");
  return normalizeMarker(answer) === wanted;
}

/** Lower case, with each run of spaces, `_` and `-` made one space. */
function normalizeMarker(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/gu, " ")
    .trim();
}
