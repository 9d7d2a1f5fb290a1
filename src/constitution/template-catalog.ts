// The prompt templates a constitution may override, and the {{variables}} each may use.
// The compiler checks `template` blocks against this; the phases own the default texts.

export interface TemplateSpec {
  readonly description: string;
  readonly variables: readonly string[];
}

/** Both judge templates see the same values. */
const COMPARE_VARIABLES: readonly string[] = [
  "conversation",
  "prompt",
  "question",
  "response_a",
  "response_b",
  "principle.id",
  "examples",
];

/** Both criterion templates see the same values. */
const CRITERION_VARIABLES: readonly string[] = [
  "conversation",
  "prompt",
  "response",
  "criterion",
  "kind",
];

/** What each `{{variable}}` stands for (editors show it on hover). */
export const TEMPLATE_VARIABLES: Readonly<Record<string, string>> = {
  conversation: "the conversation so far, rendered as Human/Assistant turns",
  prompt: "the user's prompt",
  response: "the reply under review",
  critique: "the critique just produced (revision only)",
  "principle.id": "the sampled principle's id",
  "principle.critique": "the sampled principle's critique request",
  "principle.revise": "the sampled principle's revision request",
  question: "the compare question",
  response_a: "the first of the two replies compared",
  response_b: "the second of the two replies compared",
  examples:
    "worked examples as text: in Phase 1 the few-shot sets' transcripts and the principle's examples; in Phase 2 the labelled comparisons of sets `on pair`, solved",
  no_change_marker: "what a critique answers when nothing needs changing (critique only)",
  criterion: "one rubric criterion",
  kind: "the criterion's kind (essential, important, optional or pitfall)",
  reference: "a reference answer, when the row gives one",
  min: "the fewest criteria to write",
  max: "the most criteria to write",
};

/** Built-in templates; their variables are explained in TEMPLATE_VARIABLES. */
export const TEMPLATE_CATALOG: Readonly<Record<string, TemplateSpec>> = {
  "critique-request": {
    description: "Phase 1: asks the model to critique its last reply against a principle.",
    variables: [
      "conversation",
      "prompt",
      "response",
      "principle.id",
      "principle.critique",
      "examples",
      "no_change_marker",
    ],
  },
  "revision-request": {
    description: "Phase 1: asks the model to rewrite its reply given the critique.",
    variables: [
      "conversation",
      "prompt",
      "response",
      "critique",
      "principle.id",
      "principle.critique",
      "principle.revise",
      "examples",
    ],
  },
  "compare-request": {
    description: "Phase 2: the multiple-choice question put to the judge.",
    variables: COMPARE_VARIABLES,
  },
  "compare-cot": {
    description: "Phase 2: the chain-of-thought variant of the judge question.",
    variables: COMPARE_VARIABLES,
  },
  "criterion-question": {
    description:
      "charter score: asks whether one rubric criterion holds for one reply (Yes or No).",
    variables: CRITERION_VARIABLES,
  },
  "criterion-scale": {
    description: "charter score --method scale: asks how far one criterion holds, from 0 to 10.",
    variables: CRITERION_VARIABLES,
  },
  "rubric-request": {
    description: "charter rubrics: asks a model to write a rubric (a JSON list) for one prompt.",
    variables: ["conversation", "prompt", "reference", "min", "max"],
  },
};

/** `defaults { }` keys the compiler knows, with the type each takes. */
export const DEFAULT_KEYS: Readonly<Record<string, "number" | "boolean" | "string">> = {
  revisions: "number",
  "judge-principles": "number",
  "both-orders": "boolean",
  seed: "number",
  sampling: "string",
  method: "string",
  samples: "number",
  temperature: "number",
  "max-tokens": "number",
  // Each purpose's own settings; `temperature` and `max-tokens` above stand for Phase 1's three.
  "reply-temperature": "number",
  "reply-max-tokens": "number",
  "reply-system": "string",
  "critique-temperature": "number",
  "critique-max-tokens": "number",
  "critique-system": "string",
  "revision-temperature": "number",
  "revision-max-tokens": "number",
  "revision-system": "string",
  "judge-temperature": "number",
  "judge-max-tokens": "number",
  "judge-system": "string",
  "generate-temperature": "number",
  "generate-max-tokens": "number",
  "generate-system": "string",
  "no-change-marker": "string",
  "tie-margin": "number",
  "cot-clamp-low": "number",
  "cot-clamp-high": "number",
  "score-method": "string",
  "essential-threshold": "number",
  "essential-cap": "number",
};

/** `defaults { }` string keys whose value is one of a fixed set (checked at compile time). */
export const DEFAULT_CHOICES: Readonly<Record<string, readonly string[]>> = {
  sampling: ["with-replacement", "without-replacement"],
  method: ["logprobs", "vote", "cot"],
  "score-method": ["logprobs", "vote", "scale"],
};
