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

/** The fields a principle block gives (shared by definitions and overrides). */
/** A rubric's `when`, compiled with its canonical source (nothing when absent). */
function whenFields(expr: ExprNode | undefined): { when?: Expr; whenSource?: string } {
  if (expr === undefined) return {};
  const when = toExpr(expr);
  return { when, whenSource: printExpression(when) };
}

function principleFields(
  decl: PrincipleDecl,
  file: string,
): Omit<PrincipleOverride, "id" | "location"> {
  let critique: string | undefined;
  let revise: string | undefined;
  let when: Expr | undefined;
  const compare: string[] = [];
  const examples: CompiledExample[] = [];
  for (const item of decl.items) {
    switch (item.kind) {
      case "critique":
        critique ??= item.text.value;
        break;
      case "revise":
        revise ??= item.text.value;
        break;
      case "compare":
        compare.push(item.text.value);
        break;
      case "when":
        when ??= toExpr(item.expr);
        break;
      case "example": {
        const field = (name: string): string | undefined =>
          item.fields.find((candidate) => candidate.field === name)?.text.value;
        const critiqueText = field("critique");
        const revisionText = field("revision");
        examples.push({
          prompt: field("prompt") ?? "",
          response: field("response") ?? "",
          ...(critiqueText !== undefined ? { critique: critiqueText } : {}),
          ...(revisionText !== undefined ? { revision: revisionText } : {}),
          location: location(file, item.range),
        });
        break;
      }
    }
  }
  return {
    ...(decl.weight !== undefined ? { weight: decl.weight.value } : {}),
    ...(decl.tags !== undefined ? { tags: decl.tags.map((tag) => tag.name) } : {}),
    ...(critique !== undefined ? { critique } : {}),
    ...(revise !== undefined ? { revise } : {}),
    ...(compare.length > 0 ? { compare } : {}),
    ...(when !== undefined ? { when, whenSource: printExpression(when) } : {}),
    ...(examples.length > 0 ? { examples } : {}),
  };
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
      case "principle": {
        const fields = principleFields(decl, file);
        const where = location(file, decl.range);
        if (decl.override) {
          overrides.push(at({ id: decl.id.name, ...fields, location: where }, decl.id.range));
          break;
        }
        const { weight, tags, compare, examples, ...rest } = fields;
        principles.push(
          at(
            {
              id: decl.id.name,
              weight: weight ?? 1,
              tags: tags ?? [],
              ...rest,
              compare: compare ?? [],
              examples: examples ?? [],
              location: where,
            },
            decl.id.range,
          ),
        );
        break;
      }
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
