// The clean path's expressions and leaves: the grammar of expression-grammar.ts read by recursive
// descent, building the nodes build-expression.ts and build-nodes.ts build from the CST (same
// shapes, key order and ranges; left-deep operator chains; depth measured as it goes).

import type { ExprBinaryOp } from "../../constitution/compiled.js";
import type { ExprNode, NameNode, NumberNode, Position, TextNode } from "../ast.js";
import type { ExpressionOrigin } from "./chevrotain-slot.js";
import { CleanScanner, DECLINE, isExprName, isName, type TokenKind } from "./clean-scanner.js";
import { dedentBlock, unescapeString } from "./strings.js";
import { MAX_EXPRESSION_DEPTH } from "./vocabulary.js";

/** Comparison and match operators: the token kind is the operator's spelling. */
const COMPARISONS = new Set<TokenKind>([
  "matches",
  "contains",
  "startswith",
  "endswith",
  "in",
  "==",
  "!=",
  "<",
  "<=",
  ">",
  ">=",
]);

/** Tokens that start an operand (`primary`). */
function startsPrimary(kind: TokenKind): boolean {
  switch (kind) {
    case "string":
    case "block":
    case "number":
    case "true":
    case "false":
    case "regex":
    case "[":
    case "(":
      return true;
    default:
      return isExprName(kind);
  }
}

/**
 * An expression of a YAML/JSON document written at `origin` (its ranges are the file's), read as
 * parseExpression's chevrotain path would read it, or undefined where that would report something.
 */
export function parseCleanExpression(text: string, origin: ExpressionOrigin): ExprNode | undefined {
  const parser = new CleanExpressionParser(text, origin);
  try {
    return parser.expressionEntry();
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

export class CleanExpressionParser extends CleanScanner {
  /** Depth of the expression tree read last (a leaf is 1), as build-expression.ts counts it. */
  private depth = 0;

  /** Consumes a token of `kind`, or declines. */
  protected expect(kind: TokenKind): void {
    if (this.kind !== kind) throw DECLINE;
    this.advance();
  }

  protected name(): NameNode {
    if (!isName(this.kind)) throw DECLINE;
    const node = { name: this.image(), range: this.tokenRange() };
    this.advance();
    return node;
  }

  protected number(): NumberNode {
    if (this.kind !== "number") throw DECLINE;
    const node = { value: Number(this.image()), range: this.tokenRange() };
    this.advance();
    return node;
  }

  /** A string literal's value; a bad escape declines (the chevrotain path reports it). */
  protected textValue(): string {
    const text = this.text;
    if (this.kind === "block") return dedentBlock(text.slice(this.start + 3, this.end - 3));
    if (this.kind !== "string") throw DECLINE;
    const result = unescapeString(text.slice(this.start + 1, this.end - 1));
    if (!result.ok) throw DECLINE;
    return result.value;
  }

  protected textNode(): TextNode {
    const node = {
      value: this.textValue(),
      block: this.kind === "block",
      range: this.tokenRange(),
    };
    this.advance();
    return node;
  }

  /** The grammar's `expressionEntry`: one whole expression and nothing after it. */
  expressionEntry(): ExprNode {
    this.advance();
    const expr = this.topExpression();
    if (this.kind !== "eof") throw DECLINE;
    return expr;
  }

  /** A whole expression; past MAX_EXPRESSION_DEPTH it declines (the builder reports it). */
  protected topExpression(): ExprNode {
    const expr = this.orChain();
    if (this.depth > MAX_EXPRESSION_DEPTH) throw DECLINE;
    return expr;
  }

  private orChain(): ExprNode {
    let result = this.andChain();
    let depth = this.depth;
    while (this.kind === "or") {
      const opRange = this.tokenRange();
      this.advance();
      const right = this.andChain();
      depth = 1 + Math.max(depth, this.depth);
      result = this.binary("or", opRange, result, right);
    }
    this.depth = depth;
    return result;
  }

  private andChain(): ExprNode {
    let result = this.notExpression();
    let depth = this.depth;
    while (this.kind === "and") {
      const opRange = this.tokenRange();
      this.advance();
      const right = this.notExpression();
      depth = 1 + Math.max(depth, this.depth);
      result = this.binary("and", opRange, result, right);
    }
    this.depth = depth;
    return result;
  }

  private binary(
    op: ExprBinaryOp,
    opRange: ReturnType<CleanScanner["tokenRange"]>,
    left: ExprNode,
    right: ExprNode,
  ): ExprNode {
    return {
      kind: "binary",
      op,
      opRange,
      left,
      right,
      range: { start: left.range.start, end: right.range.end },
    };
  }

  private notExpression(): ExprNode {
    if (this.kind !== "not") return this.comparison();
    const start = this.startPosition();
    this.advance();
    const operand = this.notExpression();
    this.depth += 1;
    return { kind: "not", operand, range: { start, end: operand.range.end } };
  }

  private comparison(): ExprNode {
    const left = this.primary();
    if (!COMPARISONS.has(this.kind)) return left;
    const op = this.kind as ExprBinaryOp;
    const leftDepth = this.depth;
    const opRange = this.tokenRange();
    this.advance();
    const right = this.primary();
    this.depth = 1 + Math.max(leftDepth, this.depth);
    return this.binary(op, opRange, left, right);
  }

  private primary(): ExprNode {
    const start = this.startPosition();
    this.depth = 1;
    switch (this.kind) {
      case "string":
      case "block": {
        const value = this.textValue();
        const range = this.tokenRange();
        this.advance();
        return { kind: "string", value, range };
      }
      case "number": {
        const { value, range } = this.number();
        return { kind: "number", value, range };
      }
      case "true":
      case "false": {
        const value = this.kind === "true";
        const range = this.tokenRange();
        this.advance();
        return { kind: "boolean", value, range };
      }
      case "regex": {
        const image = this.image();
        const close = image.lastIndexOf("/");
        const range = this.tokenRange();
        this.advance();
        return {
          kind: "regex",
          source: image.slice(1, close),
          flags: image.slice(close + 1),
          range,
        };
      }
      case "[":
        return this.list(start);
      case "(": {
        this.advance();
        const inner = this.orChain();
        this.expect(")");
        // The parentheses belong to the range, so carets cover what was written.
        return { ...inner, range: this.rangeFrom(start) };
      }
      default:
        return this.nameOrCall(start);
    }
  }

  private list(start: Position): ExprNode {
    this.advance();
    const items: ExprNode[] = [];
    let deepest = 0;
    if (startsPrimary(this.kind)) {
      for (;;) {
        items.push(this.primary());
        deepest = Math.max(deepest, this.depth);
        if (this.kind !== ",") break;
        this.advance();
      }
    }
    this.expect("]");
    this.depth = 1 + deepest;
    return { kind: "list", items, range: this.rangeFrom(start) };
  }

  private nameOrCall(start: Position): ExprNode {
    if (!isExprName(this.kind)) throw DECLINE;
    const name = this.image();
    const nameRange = this.tokenRange();
    this.advance();
    if (this.kind !== "(") return { kind: "name", name, range: this.rangeFrom(start) };
    this.advance();
    const arg = this.orChain();
    this.expect(")");
    this.depth += 1;
    return { kind: "call", fn: { name, range: nameRange }, arg, range: this.rangeFrom(start) };
  }
}
