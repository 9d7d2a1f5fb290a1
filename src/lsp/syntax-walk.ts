// Small walks over a file's AST that several editor features share: every rule expression with the
// place it is evaluated, and the `{{variable}}` occurrences in template texts.

import {
  TEMPLATE_VARIABLE,
  type ExprNode,
  type FileAst,
  type SourceRange,
  type TemplateDecl,
} from "../dsl/index.js";

/** Every expression written in the file (`when`, `require`/`prefer`/`flag`, `check`). */
export function* expressionsOf(ast: FileAst): Generator<ExprNode> {
  for (const decl of ast.declarations) {
    switch (decl.kind) {
      case "principle":
        for (const item of decl.items) if (item.kind === "when") yield item.expr;
        break;
      case "rule":
        for (const item of decl.items) if (item.kind === "check") yield item.expr;
        break;
      case "rubric":
        for (const when of decl.whens) yield when.expr;
        for (const criterion of decl.criteria) if (criterion.check) yield criterion.check.expr;
        break;
      default:
        break;
    }
  }
}

/** Every node of an expression, outermost first. */
export function* nodesOf(expr: ExprNode): Generator<ExprNode> {
  yield expr;
  switch (expr.kind) {
    case "binary":
      yield* nodesOf(expr.left);
      yield* nodesOf(expr.right);
      break;
    case "not":
      yield* nodesOf(expr.operand);
      break;
    case "call":
      yield* nodesOf(expr.arg);
      break;
    case "list":
      for (const item of expr.items) yield* nodesOf(item);
      break;
    default:
      break;
  }
}

/** A `{{variable}}` in a template's source text, with its offsets in the file. */
export interface VariableUse {
  readonly template: TemplateDecl;
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** The `{{variable}}`s of every template, found in the source text (escapes never occur in names). */
export function* variableUses(ast: FileAst, text: string): Generator<VariableUse> {
  for (const decl of ast.declarations) {
    if (decl.kind !== "template") continue;
    const range: SourceRange = decl.text.range;
    const source = text.slice(range.start.offset, range.end.offset);
    for (const match of source.matchAll(new RegExp(TEMPLATE_VARIABLE.source, "g"))) {
      const start = range.start.offset + (match.index ?? 0);
      yield { template: decl, name: match[1] as string, start, end: start + match[0].length };
    }
  }
}

/** A use of a name built into Charter: a template's `{{variable}}` or a called function. */
export interface BuiltinUse {
  readonly kind: "variable" | "function";
  readonly name: string;
  /** Offsets in the file: the whole `{{variable}}`, or the function's name. */
  readonly start: number;
  readonly end: number;
}

/** Every `{{variable}}` and function call written in a file. */
export function* builtinUses(ast: FileAst, text: string): Generator<BuiltinUse> {
  for (const use of variableUses(ast, text)) {
    yield { kind: "variable", name: use.name, start: use.start, end: use.end };
  }
  for (const expr of expressionsOf(ast)) {
    for (const node of nodesOf(expr)) {
      if (node.kind !== "call") continue;
      const { start, end } = node.fn.range;
      yield { kind: "function", name: node.fn.name, start: start.offset, end: end.offset };
    }
  }
}

/** The built-in name under the cursor (the end counts: the cursor sits after a word). */
export function builtinAt(ast: FileAst, text: string, offset: number): BuiltinUse | undefined {
  for (const use of builtinUses(ast, text)) {
    if (use.start <= offset && offset <= use.end) return use;
  }
  return undefined;
}
