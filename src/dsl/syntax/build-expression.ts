// The AST builder's expressions: operator chains as left-deep trees, `not`, comparisons, calls,
// lists and literals, with each tree's depth measured as it is built (no second walk).

import type { CstNode } from "chevrotain";
import type { ExprBinaryOp } from "../../constitution/compiled.js";
import type { ExprNode } from "../ast.js";
import { diagnostic } from "../diagnostics.js";
import { NodeBuilder } from "./build-nodes.js";
import { nodeOf, nodesOf, spanRange, tokenOf, tokensOf } from "./cst-access.js";
import { MAX_EXPRESSION_DEPTH } from "./vocabulary.js";

const OPERATORS: Readonly<Record<string, ExprBinaryOp>> = {
  matches: "matches",
  contains: "contains",
  startswith: "startswith",
  endswith: "endswith",
  in: "in",
  "==": "==",
  "!=": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

/** Builds expression nodes from a CST, collecting diagnostics. */
export class ExpressionBuilder extends NodeBuilder {
  /** Depth of the tree `expression` built last (a leaf is 1). */
  private depth = 0;

  /**
   * Builds a whole expression. Operator chains become left-deep trees, so a very long chain is
   * refused like deep brackets: every later stage walks expressions recursively.
   */
  topExpression(node: CstNode): ExprNode | undefined {
    const expr = this.expression(node);
    if (expr === undefined || this.depth <= MAX_EXPRESSION_DEPTH) return expr;
    this.diagnostics.push(
      diagnostic(
        "nesting-too-deep",
        `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels; split it into several checks`,
        { file: this.file, ...expr.range },
      ),
    );
    return undefined;
  }

  /** Builds an expression subtree and sets `depth`; undefined where recovery left a hole. */
  private expression(node: CstNode): ExprNode | undefined {
    switch (node.name) {
      case "expression":
      case "andExpr": {
        const op: ExprBinaryOp = node.name === "expression" ? "or" : "and";
        const operands: (ExprNode | undefined)[] = [];
        const depths: number[] = [];
        for (const operand of nodesOf(node, "operand")) {
          operands.push(this.expression(operand));
          depths.push(this.depth);
        }
        const operators = tokensOf(node, "operator");
        let result = operands[0];
        let depth = depths[0] ?? 0;
        for (let index = 1; index < operands.length; index++) {
          const right = operands[index];
          const operator = operators[index - 1];
          if (result === undefined || right === undefined || operator === undefined)
            return undefined;
          result = {
            kind: "binary",
            op,
            opRange: this.tokenRange(operator),
            left: result,
            right,
            range: spanRange(result.range, right.range),
          };
          depth = 1 + Math.max(depth, depths[index] ?? 0);
        }
        this.depth = depth;
        return result;
      }
      case "notExpr": {
        const not = tokenOf(node, "Not");
        const inner = nodeOf(node, not ? "operand" : "comparison");
        const operand = inner && this.expression(inner);
        if (operand === undefined) return undefined;
        if (!not) return operand;
        this.depth += 1;
        return { kind: "not", operand, range: spanRange(this.tokenRange(not), operand.range) };
      }
      case "comparison": {
        const leftNode = nodeOf(node, "left");
        const left = leftNode && this.expression(leftNode);
        const operator = tokenOf(node, "operator");
        if (left === undefined || operator === undefined) return left;
        const leftDepth = this.depth;
        const rightNode = nodeOf(node, "right");
        const right = rightNode && this.expression(rightNode);
        const op = OPERATORS[operator.image];
        if (right === undefined || op === undefined) return undefined;
        this.depth = 1 + Math.max(leftDepth, this.depth);
        return {
          kind: "binary",
          op,
          opRange: this.tokenRange(operator),
          left,
          right,
          range: spanRange(left.range, right.range),
        };
      }
      case "primary":
        return this.primary(node);
      case "listLiteral": {
        const range = this.nodeRange(node);
        if (range === undefined) return undefined;
        const items: ExprNode[] = [];
        let deepest = 0;
        for (const item of nodesOf(node, "item")) {
          const built = this.expression(item);
          if (built === undefined) return undefined;
          items.push(built);
          deepest = Math.max(deepest, this.depth);
        }
        this.depth = 1 + deepest;
        return { kind: "list", items, range };
      }
      default:
        return undefined;
    }
  }

  private primary(node: CstNode): ExprNode | undefined {
    const range = this.nodeRange(node);
    if (range === undefined) return undefined;
    this.depth = 1;
    const string = tokenOf(node, "string");
    if (string !== undefined) {
      const text = this.textOf(string);
      return text && { kind: "string", value: text.value, range };
    }
    const number = tokenOf(node, "number");
    if (number !== undefined) return { kind: "number", value: Number(number.image), range };
    const boolean = tokenOf(node, "boolean");
    if (boolean !== undefined) return { kind: "boolean", value: boolean.image === "true", range };
    const regex = tokenOf(node, "regex");
    if (regex !== undefined) {
      const closed = regex.tokenType.name === "Regex";
      const end = closed ? regex.image.lastIndexOf("/") : regex.image.length;
      return {
        kind: "regex",
        source: regex.image.slice(1, end),
        flags: closed ? regex.image.slice(end + 1) : "",
        range,
      };
    }
    const list = nodeOf(node, "list");
    if (list !== undefined) return this.expression(list);
    const inner = nodeOf(node, "inner");
    if (inner !== undefined) {
      const built = this.expression(inner);
      // Keep the parentheses in the range, so carets cover what was written.
      return built && ({ ...built, range } as ExprNode);
    }
    const name = tokenOf(node, "name");
    if (name === undefined) return undefined;
    if (tokensOf(node, "call").length > 0) {
      const argumentNode = nodeOf(node, "argument");
      const arg = argumentNode && this.expression(argumentNode);
      const fn = this.name(name);
      this.depth += 1;
      return arg && fn && { kind: "call", fn, arg, range };
    }
    return { kind: "name", name: name.image, range };
  }
}
