// State `parsed` for .charter text: the clean path first (clean-parser.ts: a file with nothing to
// report, read straight into the AST), else the chevrotain path (chevrotain-path.ts: recovery and
// every syntax diagnostic). A clean file's tokens and CST are made by chevrotain when first read.

import { charterSyntax, parseWithChevrotain } from "./chevrotain-path.js";
import { parseClean } from "./clean-parser.js";
import type { CharterSyntax, ParsedFile } from "./parsed-file.js";

export { lex, parseExpression, type LexResult } from "./chevrotain-path.js";
export { MAX_NESTING } from "./vocabulary.js";
export type { CharterSyntax, ParsedFile } from "./parsed-file.js";

/** The `parsed` state of one .charter file. Never throws on bad input. */
export function parseCharter(text: string, file: string): ParsedFile {
  const ast = parseClean(text, file);
  if (ast === undefined) return parseWithChevrotain(text, file);
  let syntax: CharterSyntax | undefined;
  return {
    ast,
    diagnostics: [],
    get syntax(): CharterSyntax {
      return (syntax ??= charterSyntax(text, file));
    },
  };
}
