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
}

/** Reads the layout from a CST that parsed without errors. */
export function layoutOf(file: CstNode): Layout {
  const declarations: TopLevelDeclaration[] = [];
  const statementStarts = new Set<number>();
  const visit = (node: CstNode): void => {
    if (STATEMENT_RULES.has(node.name) && node.location !== undefined) {
      statementStarts.add(node.location.startOffset);
    }
    for (const elements of Object.values(node.children)) {
      for (const element of elements) if (!isToken(element)) visit(element);
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
    visit(element);
  }
  return { declarations, statementStarts };
}

/** Whether two neighbouring declarations may stay without a blank line between them. */
export function mayGroup(
  previous: TopLevelDeclaration,
  next: TopLevelDeclaration | undefined,
): boolean {
  return next !== undefined && previous.kind === next.kind && GROUPABLE.has(next.kind);
}
