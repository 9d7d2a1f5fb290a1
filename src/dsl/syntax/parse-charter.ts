// State `parsed` for .charter text: the clean path first (clean-parser.ts: a file with nothing to
// report, read straight into the AST), else the chevrotain path (chevrotain-path.ts: recovery and
// every syntax diagnostic), found through chevrotain-slot.ts so it loads only when needed. A clean
// file's tokens and CST are made by chevrotain when first read.

import type { ExprNode } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { parseCleanExpression } from "./clean-expression.js";
import { parseClean } from "./clean-parser.js";
import { chevrotainPath, type ExpressionOrigin } from "./chevrotain-slot.js";
import type { CharterSyntax, ParsedFile } from "./parsed-file.js";

export type { CharterSyntax, ParsedFile } from "./parsed-file.js";

/** The `parsed` state of one .charter file. Never throws on bad input. */
export function parseCharter(text: string, file: string): ParsedFile {
  const ast = parseClean(text, file);
  if (ast === undefined) return chevrotainPath().parseWithChevrotain(text, file);
  let syntax: CharterSyntax | undefined;
  return {
    ast,
    diagnostics: [],
    get syntax(): CharterSyntax {
      return (syntax ??= chevrotainPath().charterSyntax(text, file));
    },
  };
}

/**
 * Parses one expression (as in YAML/JSON constitutions) written at `origin` in `file`, so its
 * ranges point into that file: the clean path first, chevrotain for what it declines. Returns
 * undefined with diagnostics when it does not parse.
 */
export function parseExpression(
  text: string,
  file: string,
  origin: ExpressionOrigin = { line: 1, column: 1, offset: 0 },
): { expr?: ExprNode; diagnostics: Diagnostic[] } {
  const expr = parseCleanExpression(text, origin);
  if (expr !== undefined) return { expr, diagnostics: [] };
  return chevrotainPath().parseExpression(text, file, origin);
}
