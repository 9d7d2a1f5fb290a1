// Where the formatter breaks lines: the statements of a file as the parser's CST sees them.

import type { CstNode } from "chevrotain";
import { isToken } from "../syntax/cst-access.js";

/** CST rules whose nodes each start a line of their own. */
const STATEMENT_RULES = new Set([
  "defaultEntry",
  "principleItem",
  "exampleField",
  "ruleItem",
  "rubricWhen",
  "criterion",
  "fewShotItem",
]);

/**
 * String tokens. Inside an expression they keep the one-line quoted spelling of the expression's
 * canonical print (`whenSource`), so `fmt` and `convert --to charter` agree on them.
 */
const STRING_TOKENS = new Set(["SimpleString", "TripleString"]);

/** Top-level declarations that sit one per line and may stay in a tight group. */
const GROUPABLE = new Set(["importDecl", "dropDecl"]);

export interface TopLevelDeclaration {
  /** The CST rule: `principleDecl`, `importDecl`, ... */
  readonly kind: string;
  readonly startOffset: number;
  /** Offset of the declaration's last character. */
  readonly endOffset: number;
}

export interface Layout {
  /** Top-level declarations in source order. */
  readonly declarations: readonly TopLevelDeclaration[];
  /** Start offsets of statements inside blocks. */
  readonly statementStarts: ReadonlySet<number>;
  /** Start offsets of string tokens inside expressions (printed quoted, never as `"""` blocks). */
  readonly expressionStrings: ReadonlySet<number>;
}

/** Reads the layout from a CST that parsed without errors. */
export function layoutOf(file: CstNode): Layout {
  const declarations: TopLevelDeclaration[] = [];
  const statementStarts = new Set<number>();
  const expressionStrings = new Set<number>();
  const visit = (node: CstNode, inExpression: boolean): void => {
    if (STATEMENT_RULES.has(node.name) && node.location !== undefined) {
      statementStarts.add(node.location.startOffset);
    }
    const expression = inExpression || node.name === "expression";
    for (const elements of Object.values(node.children)) {
      for (const element of elements) {
        if (!isToken(element)) visit(element, expression);
        else if (expression && STRING_TOKENS.has(element.tokenType.name))
          expressionStrings.add(element.startOffset);
      }
    }
  };
  for (const element of file.children["declaration"] ?? []) {
    if (isToken(element)) continue;
    const inner = Object.values(element.children)[0]?.[0];
    const location = element.location;
    if (inner === undefined || isToken(inner) || location === undefined) continue;
    declarations.push({
      kind: inner.name,
      startOffset: location.startOffset,
      endOffset: location.endOffset ?? location.startOffset,
    });
    visit(element, false);
  }
  return { declarations, statementStarts, expressionStrings };
}

/** Whether two neighbouring declarations may stay without a blank line between them. */
export function mayGroup(
  previous: TopLevelDeclaration,
  next: TopLevelDeclaration | undefined,
): boolean {
  return next !== undefined && previous.kind === next.kind && GROUPABLE.has(next.kind);
}
