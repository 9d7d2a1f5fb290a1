// Small helpers for reading chevrotain CST nodes defensively: after error recovery any child may
// be missing, and tokens inserted by recovery have no position.

import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Position, SourceRange } from "../ast.js";

export function isToken(element: CstElement): element is IToken {
  return "image" in element;
}

/** Real tokens under `key` (recovery-inserted ones dropped). */
export function tokensOf(node: CstNode, key: string): IToken[] {
  const found = node.children[key];
  if (found === undefined) return [];
  return found.filter(
    (element): element is IToken => isToken(element) && element.isInsertedInRecovery !== true,
  );
}

// The single-element readers below loop instead of filtering: they run for every field of every
// declaration, and the arrays `filter` built were a large share of building the AST.

export function tokenOf(node: CstNode, key: string): IToken | undefined {
  const found = node.children[key];
  if (found === undefined) return undefined;
  for (const element of found) {
    if (isToken(element) && element.isInsertedInRecovery !== true) return element;
  }
  return undefined;
}

export function nodesOf(node: CstNode, key: string): CstNode[] {
  const found = node.children[key];
  if (found === undefined) return [];
  return found.filter((element): element is CstNode => !isToken(element));
}

export function nodeOf(node: CstNode, key: string): CstNode | undefined {
  const found = node.children[key];
  if (found === undefined) return undefined;
  for (const element of found) if (!isToken(element)) return element;
  return undefined;
}

export function tokenStart(token: IToken): Position {
  return { line: token.startLine ?? 1, column: token.startColumn ?? 1, offset: token.startOffset };
}

export function tokenEnd(token: IToken): Position {
  const endOffset = token.endOffset ?? token.startOffset + token.image.length - 1;
  // A token ending in a line break (a runaway `"""` block) ends at the start of the next line.
  if (token.image.endsWith("\n")) {
    return { line: (token.endLine ?? token.startLine ?? 1) + 1, column: 1, offset: endOffset + 1 };
  }
  return {
    line: token.endLine ?? token.startLine ?? 1,
    column: (token.endColumn ?? token.startColumn ?? 0) + 1,
    offset: endOffset + 1,
  };
}

export function tokenRange(token: IToken): SourceRange {
  return { start: tokenStart(token), end: tokenEnd(token) };
}

export function spanRange(first: SourceRange, last: SourceRange): SourceRange {
  return { start: first.start, end: last.end };
}

/** All real tokens under a node, in source order. */
export function allTokens(node: CstNode): IToken[] {
  const result: IToken[] = [];
  const visit = (current: CstNode): void => {
    for (const elements of Object.values(current.children)) {
      for (const element of elements) {
        if (isToken(element)) {
          if (element.isInsertedInRecovery !== true && !Number.isNaN(element.startOffset)) {
            result.push(element);
          }
        } else visit(element);
      }
    }
  };
  visit(node);
  return result.sort((a, b) => a.startOffset - b.startOffset);
}

/** The node's range from its first to its last real token. */
export function nodeRange(node: CstNode): SourceRange | undefined {
  const location = node.location;
  if (
    location !== undefined &&
    Number.isFinite(location.startOffset) &&
    Number.isFinite(location.endOffset) &&
    location.startLine !== undefined &&
    location.startColumn !== undefined &&
    location.endLine !== undefined &&
    location.endColumn !== undefined &&
    Number.isFinite(location.endLine)
  ) {
    return {
      start: {
        line: location.startLine,
        column: location.startColumn,
        offset: location.startOffset,
      },
      end: {
        line: location.endLine,
        column: location.endColumn + 1,
        offset: (location.endOffset as number) + 1,
      },
    };
  }
  const tokens = allTokens(node);
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (first === undefined || last === undefined) return undefined;
  return { start: tokenStart(first), end: tokenEnd(last) };
}

/** Whether error recovery touched this node or anything under it. */
export function containsRecovery(node: CstNode): boolean {
  if (node.recoveredNode === true) return true;
  for (const elements of Object.values(node.children)) {
    for (const element of elements) {
      if (isToken(element)) {
        if (element.isInsertedInRecovery === true) return true;
      } else if (containsRecovery(element)) return true;
    }
  }
  return false;
}
