// Builds the critique and revision requests. The default framing follows the Constitutional AI
// paper as chat turns: the conversation so far, then "Critique request: ...", the critique, then
// "Revision request: ...". The texts are the `critique-request` / `revision-request` templates,
// which a constitution's `template` blocks override.

import {
  renderConversation,
  renderTemplate,
  renderTranscripts,
  templateVariables,
  type CompiledConstitution,
  type CompiledExample,
  type TranscriptParts,
} from "../constitution/index.js";
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

/** Phase 1's stages a few-shot set may apply to. */
export type ReviseStage = "response" | "critique" | "revision";

export interface PhaseTemplates {
  readonly critique: string;
  readonly revision: string;
  /** The constitution's few-shot examples for each stage, in declaration order. */
  readonly fewShots: Readonly<Record<ReviseStage, readonly TranscriptParts[]>>;
}

/** The transcripts of the constitution's few-shot sets that apply to `stage`. */
function fewShotsFor(constitution: CompiledConstitution, stage: ReviseStage): TranscriptParts[] {
  return (constitution.fewShots ?? []).flatMap((set) =>
    set.stages.includes(stage)
      ? set.examples.filter((example) => example.kind === "transcript")
      : [],
  );
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
    fewShots: {
      response: fewShotsFor(constitution, "response"),
      critique: fewShotsFor(constitution, "critique"),
      revision: fewShotsFor(constitution, "revision"),
    },
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

/** What a template is filled with: the conversation, the reply, the requests' own texts. */
interface FillValues {
  readonly state: ConversationState;
  readonly principleId: string;
  readonly critiqueRequest: string;
  readonly revisionRequest: string;
  readonly examples: string;
  readonly critique?: string;
}

/** Fills `template`, rendering the conversation only when the template asks for it. */
function fill(template: string, values: FillValues): string {
  const filled: Record<string, string> = {
    prompt: lastUserText(values.state.messages),
    response: values.state.reply,
    "principle.id": values.principleId,
    "principle.critique": values.critiqueRequest,
    "principle.revise": values.revisionRequest,
    examples: values.examples,
  };
  if (values.critique !== undefined) filled["critique"] = values.critique;
  if (variablesOf(template).includes("conversation"))
    filled["conversation"] = renderConversation([
      ...values.state.messages,
      { role: "assistant", content: values.state.reply },
    ]);
  return renderTemplate(template, filled);
}

/** A principle's own example as a worked transcript up to `stage`, asking that principle's requests. */
function principleTranscript(
  example: CompiledExample,
  principle: RevisablePrinciple,
  stage: "critique" | "revision",
): TranscriptParts | undefined {
  if (example.critique === undefined) return undefined;
  if (stage === "revision" && example.revision === undefined) return undefined;
  return {
    turns: [
      { role: "user", content: example.prompt },
      { role: "assistant", content: example.response },
    ],
    critiqueRequest: principle.critique,
    critique: example.critique,
    ...(stage === "revision" && example.revision !== undefined
      ? { revisionRequest: principle.revise, revision: example.revision }
      : {}),
  };
}

/**
 * A worked transcript as chat turns: its conversation, then each request rendered through the
 * run's own template (with the example's own request text) and answered. A template that writes
 * `{{conversation}}` carries the example's conversation itself, so it is not sent twice.
 */
function transcriptTurns(
  example: TranscriptParts,
  templates: PhaseTemplates,
  principleId: string,
): ChatMessage[] {
  const turns: ChatMessage[] = example.turns.map((turn) => ({ ...turn }));
  const lastReply = turns.findLast((turn) => turn.role === "assistant")?.content ?? "";
  const values: FillValues = {
    state: { messages: turns.slice(0, turns.length - 1), reply: lastReply },
    principleId,
    critiqueRequest: example.critiqueRequest ?? "",
    revisionRequest: example.revisionRequest ?? "",
    examples: "",
  };
  const messages: ChatMessage[] = [];
  if (
    example.critiqueRequest === undefined ||
    !variablesOf(templates.critique).includes("conversation")
  )
    messages.push(...turns);
  if (example.critiqueRequest !== undefined && example.critique !== undefined) {
    messages.push(
      { role: "user", content: fill(templates.critique, values) },
      { role: "assistant", content: example.critique },
    );
  }
  if (example.revisionRequest !== undefined && example.revision !== undefined) {
    messages.push(
      {
        role: "user",
        content: fill(templates.revision, { ...values, critique: example.critique ?? "" }),
      },
      { role: "assistant", content: example.revision },
    );
  }
  return messages;
}

/**
 * Lays out a request. The few-shot examples come first (the constitution's sets, whole and in
 * order, so every call of a stage starts with the same prefix; then the principle's own), either
 * as prior chat turns or, where the template places `{{examples}}`, as text there. A template
 * using `{{conversation}}` is then sent as one user message with the conversation written into
 * it; otherwise the conversation goes as chat turns and the template is the last user turn.
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
  const own = principle.examples.flatMap(
    (example) => principleTranscript(example, principle, stage) ?? [],
  );
  const shots = [...templates.fewShots[stage], ...own];
  const examplesText = variables.includes("examples") ? renderTranscripts(shots) : "";
  const prior = variables.includes("examples")
    ? []
    : [
        ...templates.fewShots[stage].flatMap((example) => transcriptTurns(example, templates, "")),
        ...own.flatMap((example) => transcriptTurns(example, templates, principle.id)),
      ];
  const values: FillValues = {
    state,
    principleId: principle.id,
    critiqueRequest: principle.critique,
    revisionRequest: principle.revise,
    examples: examplesText,
    ...(critique === undefined ? {} : { critique }),
  };
  const text = fill(template, values);
  const system = state.messages.filter((message) => message.role === "system");
  if (variables.includes("conversation")) {
    return { messages: [...system, ...prior, { role: "user", content: text }], text };
  }
  const messages: ChatMessage[] = [
    ...system,
    ...prior,
    ...state.messages.filter((message) => message.role !== "system"),
    { role: "assistant", content: state.reply },
  ];
  if (stage === "revision" && critique !== undefined) {
    const { critique: _omit, ...asked } = values;
    messages.push(
      { role: "user", content: fill(templates.critique, asked) },
      { role: "assistant", content: critique },
    );
  }
  messages.push({ role: "user", content: text });
  return { messages, text };
}

/** The first reply's request: the stage's few-shot examples as prior turns, then the input. */
export function buildReplyRequest(
  messages: readonly ChatMessage[],
  templates: PhaseTemplates,
): ChatMessage[] {
  const shots = templates.fewShots.response;
  if (shots.length === 0) return [...messages];
  const system = messages.filter((message) => message.role === "system");
  return [
    ...system,
    ...shots.flatMap((example) => transcriptTurns(example, templates, "")),
    ...messages.filter((message) => message.role !== "system"),
  ];
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
