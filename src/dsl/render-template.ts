// Fills a template's {{variables}} and renders conversations as the Constitutional AI paper frames
// them (Human:/Assistant: turns). Shared by both phases; the compiler has already checked names.

const VARIABLE = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

/** Names used in a template text, in order of first appearance. */
export function templateVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const match of text.matchAll(VARIABLE)) seen.add(match[1] as string);
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
  return text.replace(VARIABLE, (whole, name: string) => values[name] ?? whole);
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
