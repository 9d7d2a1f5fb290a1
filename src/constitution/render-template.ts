// Fills a template's {{variables}} and renders conversations as the Constitutional AI paper frames
// them (Human:/Assistant: turns). Shared by both phases; the compiler has already checked names.

/**
 * A `{{variable}}` in a template: any name without spaces or braces, so the compiler reports a
 * misspelt one (`{{response-a}}`) instead of rendering it as written. Filling leaves a name with
 * no value untouched, so the wider class renders every checked template as before.
 */
export const TEMPLATE_VARIABLE = /\{\{\s*([^{}\s]*)\s*\}\}/g;

/** Names used in a template text, in order of first appearance. */
export function templateVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(TEMPLATE_VARIABLE)) seen.add(match[1] as string);
  return [...seen];
}

/**
 * Replaces each `{{name}}` with `values[name]`. A name with no value is left as written, so a
 * mistake shows in the trace instead of silently vanishing.
 *
 * @example
 * renderTemplate("Critique request: {{principle.critique}}", { "principle.critique": "Is it kind?" })
 */
export function renderTemplate(text: string, values: Readonly<Record<string, string>>): string {
  return text.replace(TEMPLATE_VARIABLE, (whole, name: string) => values[name] ?? whole);
}

export interface ConversationTurn {
  readonly role: "system" | "user" | "assistant";
  readonly content: string;
}

/** Labels of the paper's framing; parameters, not literals scattered through the phases. */
export interface ConversationLabels {
  readonly user: string;
  readonly assistant: string;
}

export const DEFAULT_CONVERSATION_LABELS: ConversationLabels = {
  user: "Human",
  assistant: "Assistant",
};

/** Renders turns as `Human: ...` / `Assistant: ...` blocks separated by blank lines (system turns are skipped). */
export function renderConversation(
  turns: readonly ConversationTurn[],
  labels: ConversationLabels = DEFAULT_CONVERSATION_LABELS,
): string {
  return turns
    .filter((turn) => turn.role !== "system")
    .map((turn) => `${turn.role === "user" ? labels.user : labels.assistant}: ${turn.content}`)
    .join("\n\n");
}

/** The labels of a worked transcript's critique and revision steps, as the paper writes them. */
export interface TranscriptLabels extends ConversationLabels {
  readonly critiqueRequest: string;
  readonly critique: string;
  readonly revisionRequest: string;
  readonly revision: string;
}

export const DEFAULT_TRANSCRIPT_LABELS: TranscriptLabels = {
  ...DEFAULT_CONVERSATION_LABELS,
  critiqueRequest: "Critique request",
  critique: "Critique",
  revisionRequest: "Revision request",
  revision: "Revision",
};

/** What a worked transcript holds (a few-shot example, or a principle's example made into one). */
export interface TranscriptParts {
  readonly turns: readonly ConversationTurn[];
  readonly critiqueRequest?: string;
  readonly critique?: string;
  readonly revisionRequest?: string;
  readonly revision?: string;
}

/**
 * One worked example as text, the way the paper's few-shot prompts read: the conversation's
 * Human/Assistant turns, then each step on its own labelled paragraph. Requests appear as their
 * own text (never a whole template), so a template placing `{{examples}}` next to
 * `{{conversation}}` shows each example once, in order, without nested labels.
 *
 * @example renderTranscript({ turns: [{ role: "user", content: "Hi" }, { role: "assistant", content: "Hey" }], critiqueRequest: "Rude?", critique: "No." })
 * // "Human: Hi\n\nAssistant: Hey\n\nCritique request: Rude?\n\nCritique: No."
 */
export function renderTranscript(
  example: TranscriptParts,
  labels: TranscriptLabels = DEFAULT_TRANSCRIPT_LABELS,
): string {
  const steps: string[] = [];
  const step = (label: string, text: string | undefined): void => {
    if (text !== undefined) steps.push(`${label}: ${text}`);
  };
  step(labels.critiqueRequest, example.critiqueRequest);
  step(labels.critique, example.critique);
  step(labels.revisionRequest, example.revisionRequest);
  step(labels.revision, example.revision);
  return [renderConversation(example.turns, labels), ...steps]
    .filter((part) => part !== "")
    .join("\n\n");
}

/** Several worked examples, a blank line between them. */
export function renderTranscripts(
  examples: readonly TranscriptParts[],
  labels: TranscriptLabels = DEFAULT_TRANSCRIPT_LABELS,
): string {
  return examples.map((example) => renderTranscript(example, labels)).join("\n\n");
}
