// State `parsed`, step 3 (build AST): the typed syntax tree of one constitution file. Every node keeps its source
// range, so checks report against nodes and the formatter can place comments between them.

import type { DiagnosticPosition } from "./diagnostics.js";
import type { ExprBinaryOp, RubricLevel } from "../constitution/compiled.js";

export type Position = DiagnosticPosition;

/** A span of the node's file; `end` is exclusive. */
export interface SourceRange {
  readonly start: Position;
  readonly end: Position;
}

interface Node {
  readonly range: SourceRange;
}

/** A name as written: an id, a tag, a key, a stage. */
export interface NameNode extends Node {
  readonly name: string;
}

/** A string literal, already unescaped or dedented. */
export interface TextNode extends Node {
  readonly value: string;
  /** `"""` block or `"..."`, for the formatter. */
  readonly block: boolean;
}

export interface NumberNode extends Node {
  readonly value: number;
}

/** The rule expression language, with ranges (compiled into `Expr`). */
export type ExprNode =
  | (Node & { readonly kind: "name"; readonly name: string })
  | (Node & { readonly kind: "call"; readonly fn: NameNode; readonly arg: ExprNode })
  | (Node & { readonly kind: "string"; readonly value: string })
  | (Node & { readonly kind: "number"; readonly value: number })
  | (Node & { readonly kind: "boolean"; readonly value: boolean })
  | (Node & { readonly kind: "regex"; readonly source: string; readonly flags: string })
  | (Node & { readonly kind: "list"; readonly items: readonly ExprNode[] })
  | (Node & {
      readonly kind: "binary";
      readonly op: ExprBinaryOp;
      readonly opRange: SourceRange;
      readonly left: ExprNode;
      readonly right: ExprNode;
    })
  | (Node & { readonly kind: "not"; readonly operand: ExprNode });

export interface HeaderDecl extends Node {
  readonly kind: "header";
  readonly name: TextNode;
  readonly version: TextNode;
}

export interface AboutDecl extends Node {
  readonly kind: "about";
  readonly text: TextNode;
}

export interface ImportDecl extends Node {
  readonly kind: "import";
  readonly path: TextNode;
  /** Ids or globs (`harm.*`) to take; absent = everything. */
  readonly only?: readonly NameNode[];
  /** Prefix for imported ids: `as ns` turns `a` into `ns.a`. */
  readonly as?: NameNode;
}

export type DefaultValueNode = Node & {
  readonly value: string | number | boolean;
  /** `name` is a bare word, taken as a string. */
  readonly written: "string" | "number" | "boolean" | "name";
};

export interface DefaultEntry extends Node {
  readonly key: NameNode;
  readonly value: DefaultValueNode;
}

export interface DefaultsDecl extends Node {
  readonly kind: "defaults";
  readonly entries: readonly DefaultEntry[];
}

export type TextField = "critique" | "revise" | "compare";
/** Fields of a principle's `example`. */
export type PrincipleExampleField = "prompt" | "response" | "critique" | "revision";
/** Fields of a few-shot set's `example`: conversation turns, then the critique/revision or the comparison. */
export type FewShotExampleField =
  | "user"
  | "assistant"
  | "critique-request"
  | "critique"
  | "revision-request"
  | "revision"
  | "question"
  | "response-a"
  | "response-b"
  | "answer";
export type ExampleFieldName = PrincipleExampleField | FewShotExampleField;

export interface ExampleField extends Node {
  readonly field: ExampleFieldName;
  readonly keyword: SourceRange;
  readonly text: TextNode;
}

export interface ExampleBlock extends Node {
  readonly kind: "example";
  readonly keyword: SourceRange;
  readonly fields: readonly ExampleField[];
}

export type PrincipleItem =
  | (Node & { readonly kind: TextField; readonly keyword: SourceRange; readonly text: TextNode })
  | (Node & { readonly kind: "when"; readonly keyword: SourceRange; readonly expr: ExprNode })
  | ExampleBlock;

export interface PrincipleDecl extends Node {
  readonly kind: "principle";
  /** `override principle ID { }`: replaces the given fields of an existing principle. */
  readonly override: boolean;
  readonly id: NameNode;
  readonly weight?: NumberNode;
  readonly tags?: readonly NameNode[];
  readonly items: readonly PrincipleItem[];
  /** Written as `principle ID weight N` etc.: header fields in order, for duplicate checks. */
  readonly headerFields: readonly {
    readonly field: "weight" | "tags";
    readonly keyword: SourceRange;
  }[];
  /** A syntax error lies inside: later stages skip checks that depend on it. */
  readonly broken: boolean;
}

export interface DropDecl extends Node {
  readonly kind: "drop";
  readonly id: NameNode;
}

export type RuleItem =
  | (Node & { readonly kind: "on"; readonly keyword: SourceRange; readonly stage: NameNode })
  | (Node & {
      readonly kind: "check";
      readonly check: "require" | "prefer" | "flag";
      readonly keyword: SourceRange;
      readonly expr: ExprNode;
    });

export interface RuleDecl extends Node {
  readonly kind: "rule";
  readonly id: NameNode;
  readonly items: readonly RuleItem[];
  readonly broken: boolean;
}

export interface CriterionNode extends Node {
  readonly level: RubricLevel;
  readonly keyword: SourceRange;
  readonly text: TextNode;
  readonly weight: NumberNode;
  /** `check EXPR`: a rule scores the criterion (1 or 0) instead of the judge. */
  readonly check?: { readonly keyword: SourceRange; readonly expr: ExprNode };
}

/** `when EXPR` in a rubric: the rows it applies to (more than one is a duplicate-field error). */
export interface RubricWhen extends Node {
  readonly keyword: SourceRange;
  readonly expr: ExprNode;
}

export interface RubricDecl extends Node {
  readonly kind: "rubric";
  readonly id: NameNode;
  readonly whens: readonly RubricWhen[];
  readonly criteria: readonly CriterionNode[];
  readonly broken: boolean;
}

export interface TemplateDecl extends Node {
  readonly kind: "template";
  readonly name: NameNode;
  readonly text: TextNode;
}

export interface FewShotStages extends Node {
  readonly keyword: SourceRange;
  readonly stages: readonly NameNode[];
}

/** `few-shot ID { on STAGE, ... example { ... } }`: examples put before every request of its stages. */
export interface FewShotDecl extends Node {
  readonly kind: "few-shot";
  readonly id: NameNode;
  readonly on: readonly FewShotStages[];
  readonly examples: readonly ExampleBlock[];
  readonly broken: boolean;
}

export type Declaration =
  | HeaderDecl
  | AboutDecl
  | ImportDecl
  | DefaultsDecl
  | PrincipleDecl
  | DropDecl
  | RuleDecl
  | RubricDecl
  | TemplateDecl
  | FewShotDecl;

export type SourceFormat = "charter" | "yaml" | "json";

/** One parsed file: its declarations in source order. */
export interface FileAst {
  readonly file: string;
  readonly format: SourceFormat;
  readonly declarations: readonly Declaration[];
  /** `#` comments with their ranges (charter files only), for the formatter. */
  readonly comments: readonly { readonly text: string; readonly range: SourceRange }[];
  /** The file had syntax errors: it is checked only as far as it parsed. */
  readonly hasSyntaxErrors: boolean;
}
