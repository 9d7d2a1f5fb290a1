// The compiled form of a constitution: plain JSON-serialisable objects that both phases read.
// This file is the contract between the compiler and everything downstream; change it with care.

/** Schema id written into every compiled constitution. */
export const COMPILED_SCHEMA = "charter/1" as const;

/** Where a piece came from: 1-based line and column, as editors show them. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Pipeline stages a rule can act at. */
export type RuleStage = "prompt" | "response" | "critique" | "revision" | "pair";
export const RULE_STAGES: readonly RuleStage[] = [
  "prompt",
  "response",
  "critique",
  "revision",
  "pair",
];

/** Fields a rule expression may read. */
export type ExprField = "prompt" | "response" | "critique" | "revision" | "tags";
export const EXPR_FIELDS: readonly ExprField[] = [
  "prompt",
  "response",
  "critique",
  "revision",
  "tags",
];

export type ExprFunction = "words" | "chars" | "lines";
/** The functions a rule expression may call: each takes a string and gives a number. */
export const EXPR_FUNCTIONS: Readonly<Record<ExprFunction, string>> = {
  words: "the number of words (runs of non-space characters)",
  chars: "the number of characters (Unicode code points)",
  lines: "the number of lines (0 for empty text)",
};
export type ExprBinaryOp =
  | "matches"
  | "contains"
  | "startswith"
  | "endswith"
  | "in"
  | "=="
  | "!="
  | "<"
  | "<="
  | ">"
  | ">="
  | "and"
  | "or";

/** The rule expression language, as a JSON-serialisable tree. Pure and total. */
export type Expr =
  | { readonly kind: "field"; readonly name: ExprField }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "number"; readonly value: number }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "regex"; readonly source: string; readonly flags: string }
  | { readonly kind: "list"; readonly items: readonly Expr[] }
  | { readonly kind: "call"; readonly fn: ExprFunction; readonly arg: Expr }
  | {
      readonly kind: "binary";
      readonly op: ExprBinaryOp;
      readonly left: Expr;
      readonly right: Expr;
    }
  | { readonly kind: "not"; readonly operand: Expr };

/** A few-shot demonstration attached to a principle. */
export interface CompiledExample {
  readonly prompt: string;
  readonly response: string;
  readonly critique?: string;
  readonly revision?: string;
  readonly location: SourceLocation;
}

/** Where a few-shot set is put: before the first reply, critique or revision requests, or judge questions. */
export type FewShotStage = "response" | "critique" | "revision" | "pair";
export const FEW_SHOT_STAGES: readonly FewShotStage[] = [
  "response",
  "critique",
  "revision",
  "pair",
];
/** Stages a few-shot set without `on` applies to, as in the paper. */
export const DEFAULT_FEW_SHOT_STAGES: readonly FewShotStage[] = ["critique", "revision"];

/** One turn of a few-shot conversation. */
export interface CompiledTurn {
  readonly role: "user" | "assistant";
  readonly content: string;
}

/**
 * A worked transcript: a conversation (its last assistant turn is the reply under review) and,
 * optionally, the critique request asked of it, the critique, the revision request and the
 * revision, each with its own request text (not re-rendered with the sampled principle).
 */
export interface CompiledTranscriptExample {
  readonly kind: "transcript";
  readonly turns: readonly CompiledTurn[];
  readonly critiqueRequest?: string;
  readonly critique?: string;
  readonly revisionRequest?: string;
  readonly revision?: string;
  readonly location: SourceLocation;
}

/** A labelled comparison for the judge: a conversation ending in a user turn, two replies, the answer. */
export interface CompiledComparisonExample {
  readonly kind: "comparison";
  readonly turns: readonly CompiledTurn[];
  /** Its own question; absent = the sampled principle's question. */
  readonly question?: string;
  readonly responseA: string;
  readonly responseB: string;
  readonly answer: "A" | "B";
  readonly location: SourceLocation;
}

export type CompiledFewShotExample = CompiledTranscriptExample | CompiledComparisonExample;

/** `few-shot ID { ... }`: examples placed first in every request of its stages, in order. */
export interface CompiledFewShotSet {
  readonly id: string;
  readonly stages: readonly FewShotStage[];
  /** All transcripts, or (a set `on pair`) all comparisons. */
  readonly examples: readonly CompiledFewShotExample[];
  readonly location: SourceLocation;
}

export interface CompiledPrinciple {
  /** Dotted id, unique in the constitution (after imports, overrides and drops). */
  readonly id: string;
  /** Sampling weight, > 0. Default 1. */
  readonly weight: number;
  readonly tags: readonly string[];
  /** Phase 1: the critique request. */
  readonly critique?: string;
  /** Phase 1: the revision request. */
  readonly revise?: string;
  /** Phase 2: one or more multiple-choice questions. */
  readonly compare: readonly string[];
  /** Applicability: sampled only where this holds (absent = always). */
  readonly when?: Expr;
  /** Source text of `when`, for traces and messages. */
  readonly whenSource?: string;
  readonly examples: readonly CompiledExample[];
  readonly location: SourceLocation;
}

export type RuleCheckKind = "require" | "prefer" | "flag";

export interface CompiledRuleCheck {
  readonly kind: RuleCheckKind;
  readonly expr: Expr;
  /** The expression as written, for traces and messages. */
  readonly source: string;
}

export interface CompiledRule {
  readonly id: string;
  readonly stage: RuleStage;
  readonly checks: readonly CompiledRuleCheck[];
  readonly location: SourceLocation;
}

export type RubricLevel = "essential" | "important" | "optional" | "pitfall";

export interface CompiledCriterion {
  readonly level: RubricLevel;
  readonly text: string;
  /** Pitfalls are negative. */
  readonly weight: number;
  /**
   * `check EXPR`: the criterion is scored by this rule (1 when it holds, else 0) and no judge is
   * asked. Sees `prompt`, `response` and `tags`.
   */
  readonly check?: Expr;
  /** Source text of `check`, for traces and messages. */
  readonly checkSource?: string;
}

export interface CompiledRubric {
  readonly id: string;
  /** Applicability: the rubric is chosen for a row only where this holds (sees `prompt`, `tags`). */
  readonly when?: Expr;
  /** Source text of `when`, for traces and messages. */
  readonly whenSource?: string;
  readonly criteria: readonly CompiledCriterion[];
  readonly location: SourceLocation;
}

export interface CompiledTemplate {
  /** A name from TEMPLATE_CATALOG. */
  readonly name: string;
  /** Text with `{{variable}}` placeholders, dedented. */
  readonly text: string;
  readonly variables: readonly string[];
  readonly location: SourceLocation;
}

/** Values a `defaults { }` block may hold, keyed by the kebab-case name as written. */
export type DefaultValue = string | number | boolean;

export interface CompiledConstitution {
  readonly schema: typeof COMPILED_SCHEMA;
  readonly name: string;
  readonly version: string;
  readonly about?: string;
  /** `sha256:` + hex of the canonical content (everything but source locations). */
  readonly hash: string;
  /** The entry file, as given. */
  readonly file: string;
  /** Files pulled in by imports, in resolution order. */
  readonly imports: readonly string[];
  readonly defaults: Readonly<Record<string, DefaultValue>>;
  readonly principles: readonly CompiledPrinciple[];
  readonly rules: readonly CompiledRule[];
  readonly rubrics: readonly CompiledRubric[];
  /** Keyed by template name. */
  readonly templates: Readonly<Record<string, CompiledTemplate>>;
  /** Few-shot sets in declaration order (imports first); absent when there are none. */
  readonly fewShots?: readonly CompiledFewShotSet[];
}
