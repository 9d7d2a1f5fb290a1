// Lowering, one file: its AST becomes compiled pieces, each with the range it came from so the
// link stage can merge them and name places in cross-file diagnostics.

import type {
  ExampleBlock,
  ExprNode,
  FewShotDecl,
  FileAst,
  ImportDecl,
  NameNode,
  PrincipleDecl,
  SourceRange,
} from "../ast.js";
import {
  DEFAULT_FEW_SHOT_STAGES,
  type CompiledExample,
  type CompiledFewShotExample,
  type CompiledFewShotSet,
  type CompiledTurn,
  type FewShotStage,
  type CompiledPrinciple,
  type CompiledRule,
  type CompiledRubric,
  type CompiledTemplate,
  type DefaultValue,
  type Expr,
  type ExprField,
  type ExprFunction,
  type RuleStage,
  type SourceLocation,
} from "../../constitution/compiled.js";
import { printExpression } from "../print/print-expression.js";
import { templateVariables } from "../../constitution/render-template.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A compiled piece and where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly file: string;
  readonly range: SourceRange;
}

/** `override principle`: only the fields it gives. */
export interface PrincipleOverride {
  readonly id: string;
  readonly weight?: number;
  readonly tags?: readonly string[];
  readonly critique?: string;
  readonly revise?: string;
  readonly compare?: readonly string[];
  readonly when?: Expr;
  readonly whenSource?: string;
  readonly examples?: readonly CompiledExample[];
  readonly location: SourceLocation;
}

/** Everything one file defines, before imports are merged in. */
export interface CompiledUnit {
  readonly file: string;
  readonly header?: { readonly name: string; readonly version: string };
  readonly about?: string;
  readonly imports: readonly ImportDecl[];
  readonly defaults: Readonly<Record<string, DefaultValue>>;
  readonly principles: readonly Located<CompiledPrinciple>[];
  readonly overrides: readonly Located<PrincipleOverride>[];
  readonly drops: readonly Located<NameNode>[];
  readonly rules: readonly Located<CompiledRule>[];
  readonly rubrics: readonly Located<CompiledRubric>[];
  readonly templates: readonly Located<CompiledTemplate>[];
  readonly fewShots: readonly Located<CompiledFewShotSet>[];
}

export function toExpr(node: ExprNode): Expr {
  switch (node.kind) {
    case "name":
      return { kind: "field", name: node.name as ExprField };
    case "call":
      return { kind: "call", fn: node.fn.name as ExprFunction, arg: toExpr(node.arg) };
    case "string":
    case "number":
    case "boolean":
      return { kind: node.kind, value: node.value } as Expr;
    case "regex":
      return { kind: "regex", source: node.source, flags: node.flags };
    case "list":
      return { kind: "list", items: node.items.map(toExpr) };
    case "binary":
      return { kind: "binary", op: node.op, left: toExpr(node.left), right: toExpr(node.right) };
    case "not":
      return { kind: "not", operand: toExpr(node.operand) };
  }
}

function location(file: string, range: SourceRange): SourceLocation {
  return { file, line: range.start.line, column: range.start.column };
}

/** A rubric's `when`, compiled with its canonical source (nothing when absent). */
function whenFields(expr: ExprNode | undefined): { when?: Expr; whenSource?: string } {
  if (expr === undefined) return {};
  const when = toExpr(expr);
  return { when, whenSource: printExpression(when) };
}

/** What a principle block's items give, first of each (all `compare`s and examples). */
interface PrincipleItems {
  critique?: string;
  revise?: string;
  when?: Expr;
  compare: string[];
  examples: CompiledExample[];
}

function principleItems(decl: PrincipleDecl, file: string): PrincipleItems {
  const items: PrincipleItems = { compare: [], examples: [] };
  for (const item of decl.items) {
    switch (item.kind) {
      case "critique":
        items.critique ??= item.text.value;
        break;
      case "revise":
        items.revise ??= item.text.value;
        break;
      case "compare":
        items.compare.push(item.text.value);
        break;
      case "when":
        items.when ??= toExpr(item.expr);
        break;
      case "example":
        items.examples.push(principleExample(item, file));
        break;
    }
  }
  return items;
}

function principleExample(block: ExampleBlock, file: string): CompiledExample {
  const field = (name: string): string | undefined =>
    block.fields.find((candidate) => candidate.field === name)?.text.value;
  const critique = field("critique");
  const revision = field("revision");
  const example: Partial<Mutable<CompiledExample>> = {
    prompt: field("prompt") ?? "",
    response: field("response") ?? "",
  };
  if (critique !== undefined) example.critique = critique;
  if (revision !== undefined) example.revision = revision;
  example.location = location(file, block.range);
  return example as CompiledExample;
}

/**
 * A principle definition. Properties are assigned in the order the compiled form has always
 * listed them (id, weight, tags, critique, revise, when, whenSource, compare, examples,
 * location), one by one rather than by spreading optional pieces: thousands of these are made
 * per compile, and objects built from spreads were a large share of lowering's time.
 */
function principleDefinition(decl: PrincipleDecl, file: string): CompiledPrinciple {
  const items = principleItems(decl, file);
  const principle: Partial<Mutable<CompiledPrinciple>> = {
    id: decl.id.name,
    weight: decl.weight?.value ?? 1,
    tags: decl.tags?.map((tag) => tag.name) ?? [],
  };
  if (items.critique !== undefined) principle.critique = items.critique;
  if (items.revise !== undefined) principle.revise = items.revise;
  if (items.when !== undefined) {
    principle.when = items.when;
    principle.whenSource = printExpression(items.when);
  }
  principle.compare = items.compare;
  principle.examples = items.examples;
  principle.location = location(file, decl.range);
  return principle as CompiledPrinciple;
}

/** `override principle`: only the fields it gives, in the same order as a definition's. */
function principleOverride(decl: PrincipleDecl, file: string): PrincipleOverride {
  const items = principleItems(decl, file);
  const override: Mutable<PrincipleOverride> = {
    id: decl.id.name,
  } as Mutable<PrincipleOverride>;
  if (decl.weight !== undefined) override.weight = decl.weight.value;
  if (decl.tags !== undefined) override.tags = decl.tags.map((tag) => tag.name);
  if (items.critique !== undefined) override.critique = items.critique;
  if (items.revise !== undefined) override.revise = items.revise;
  if (items.compare.length > 0) override.compare = items.compare;
  if (items.when !== undefined) {
    override.when = items.when;
    override.whenSource = printExpression(items.when);
  }
  if (items.examples.length > 0) override.examples = items.examples;
  override.location = location(file, decl.range);
  return override;
}

/** One checked few-shot example: its turns, then the fields after them. */
function fewShotExample(
  example: ExampleBlock,
  pair: boolean,
  file: string,
): CompiledFewShotExample {
  const turns: CompiledTurn[] = [];
  const after = new Map<string, string>();
  for (const field of example.fields) {
    if ((field.field === "user" || field.field === "assistant") && after.size === 0)
      turns.push({ role: field.field, content: field.text.value });
    else after.set(field.field, field.text.value);
  }
  const where = location(file, example.range);
  const optional = (key: string, name: string) => {
    const value = after.get(key);
    return value === undefined ? {} : { [name]: value };
  };
  if (pair) {
    return {
      kind: "comparison",
      turns,
      ...optional("question", "question"),
      responseA: after.get("response-a") ?? "",
      responseB: after.get("response-b") ?? "",
      answer: after.get("answer")?.trim() === "B" ? "B" : "A",
      location: where,
    };
  }
  return {
    kind: "transcript",
    turns,
    ...optional("critique-request", "critiqueRequest"),
    ...optional("critique", "critique"),
    ...optional("revision-request", "revisionRequest"),
    ...optional("revision", "revision"),
    location: where,
  };
}

function fewShotSet(decl: FewShotDecl, file: string): CompiledFewShotSet {
  const written = decl.on[0]?.stages.map((stage) => stage.name as FewShotStage);
  const stages = written === undefined || written.length === 0 ? DEFAULT_FEW_SHOT_STAGES : written;
  const pair = stages.includes("pair");
  return {
    id: decl.id.name,
    stages: [...new Set(stages)],
    examples: decl.examples.map((example) => fewShotExample(example, pair, file)),
    location: location(file, decl.range),
  };
}

/**
 * Lowers one file's declarations to the pieces it exports, whatever its diagnostics: linking
 * needs them to name places across files even in a file with errors, and a constitution is only
 * assembled from them when no file involved has an error.
 */
export function compileUnit(ast: FileAst): CompiledUnit {
  const file = ast.file;
  const at = <T>(value: T, range: SourceRange): Located<T> => ({ value, file, range });
  let header: CompiledUnit["header"];
  let about: string | undefined;
  const imports: ImportDecl[] = [];
  const defaults: Record<string, DefaultValue> = Object.create(null) as Record<
    string,
    DefaultValue
  >; // a `__proto__` key stays a key
  const principles: Located<CompiledPrinciple>[] = [];
  const overrides: Located<PrincipleOverride>[] = [];
  const drops: Located<NameNode>[] = [];
  const rules: Located<CompiledRule>[] = [];
  const rubrics: Located<CompiledRubric>[] = [];
  const templates: Located<CompiledTemplate>[] = [];
  const fewShots: Located<CompiledFewShotSet>[] = [];
  for (const decl of ast.declarations) {
    switch (decl.kind) {
      case "header":
        header ??= { name: decl.name.value, version: decl.version.value };
        break;
      case "about":
        about ??= decl.text.value;
        break;
      case "import":
        imports.push(decl);
        break;
      case "defaults":
        for (const entry of decl.entries) defaults[entry.key.name] = entry.value.value;
        break;
      case "principle":
        if (decl.override) overrides.push(at(principleOverride(decl, file), decl.id.range));
        else principles.push(at(principleDefinition(decl, file), decl.id.range));
        break;
      case "drop":
        drops.push(at(decl.id, decl.id.range));
        break;
      case "rule": {
        const stage = decl.items.find((item) => item.kind === "on")?.stage.name as RuleStage;
        const checks = decl.items.flatMap((item) => {
          if (item.kind !== "check") return [];
          const expr = toExpr(item.expr);
          return [{ kind: item.check, expr, source: printExpression(expr) }];
        });
        rules.push(
          at(
            { id: decl.id.name, stage, checks, location: location(file, decl.range) },
            decl.id.range,
          ),
        );
        break;
      }
      case "rubric":
        rubrics.push(
          at(
            {
              id: decl.id.name,
              ...whenFields(decl.whens[0]?.expr),
              criteria: decl.criteria.map((criterion) => {
                const check = criterion.check && toExpr(criterion.check.expr);
                return {
                  level: criterion.level,
                  text: criterion.text.value,
                  weight: criterion.weight.value,
                  ...(check === undefined ? {} : { check, checkSource: printExpression(check) }),
                };
              }),
              location: location(file, decl.range),
            },
            decl.id.range,
          ),
        );
        break;
      case "few-shot":
        fewShots.push(at(fewShotSet(decl, file), decl.id.range));
        break;
      case "template":
        templates.push(
          at(
            {
              name: decl.name.name,
              text: decl.text.value,
              variables: templateVariables(decl.text.value),
              location: location(file, decl.range),
            },
            decl.name.range,
          ),
        );
        break;
    }
  }
  return {
    file,
    ...(header !== undefined ? { header } : {}),
    ...(about !== undefined ? { about } : {}),
    imports,
    defaults,
    principles,
    overrides,
    drops,
    rules,
    rubrics,
    templates,
    fewShots,
  };
}
