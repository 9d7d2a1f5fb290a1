// The YAML/JSON constitution's vocabulary: the keys each mapping may hold, and which strings may
// stand as names (ids, tags, stages) so the document reads as the same .charter source would.

/** Keys each mapping may hold (unknown keys get a did-you-mean). */
export const DOCUMENT_KEYS = {
  document: [
    "charter",
    "version",
    "about",
    "imports",
    "defaults",
    "principles",
    "overrides",
    "drop",
    "rules",
    "rubrics",
    "templates",
    "few-shots",
  ],
  import: ["path", "only", "as"],
  principle: ["id", "weight", "tags", "critique", "revise", "compare", "when", "examples"],
  example: ["prompt", "response", "critique", "revision"],
  rule: ["id", "on", "checks"],
  check: ["require", "prefer", "flag"],
  rubric: ["id", "when", "criteria"],
  criterion: ["essential", "important", "optional", "pitfall", "check", "weight"],
  "few-shot set": ["id", "on", "examples"],
  "few-shot example": [
    "conversation",
    "critique-request",
    "critique",
    "revision-request",
    "revision",
    "question",
    "response-a",
    "response-b",
    "answer",
  ],
  turn: ["user", "assistant"],
} as const;

export type Place = keyof typeof DOCUMENT_KEYS;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))*$/;
/** Operator words are never names in .charter source. */
const RESERVED = new Set([
  "and",
  "or",
  "not",
  "in",
  "matches",
  "contains",
  "startswith",
  "endswith",
  "true",
  "false",
]);

export function isWritableName(value: string): boolean {
  return NAME.test(value) && !RESERVED.has(value);
}
