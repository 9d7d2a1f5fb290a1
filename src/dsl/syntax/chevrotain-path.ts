// State `parsed` for .charter text by chevrotain: lex, parse with recovery, build the AST. Syntax
// problems become diagnostics, at most one per top-level declaration so recovery does not pile up
// noise. The one module behind which chevrotain is used for .charter files (parse-charter.ts
// comes here only for a file or expression the clean path declined, or for a clean file's tokens
// and CST). Importing it registers it in chevrotain-slot.ts, where parse-charter.ts finds it.

import type { ExprNode, SourceRange } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { AstBuilder } from "./build-ast.js";
import { ExpressionBuilder } from "./build-expression.js";
import { tokenRange } from "./cst-access.js";
import { lex } from "./lex.js";
import { keywordSpelling } from "./lexer.js";
import { nextTokenTypes, parseTokens, serializedGrammar } from "./parser.js";
import { syntaxDiagnostics } from "./syntax-diagnostics.js";
import { registerChevrotainPath, type ExpressionOrigin } from "./chevrotain-slot.js";

import type { CharterSyntax, ParsedFile } from "./parsed-file.js";

export { lex, type LexResult } from "./lex.js";

/** A .charter file's tokens, comments and CST (for a file whose AST came from the clean path). */
export function charterSyntax(text: string, file: string): CharterSyntax {
  const lexed = lex(text, file);
  const { cst } = parseTokens(lexed.tokens, "charterFile");
  return { tokens: lexed.tokens, comments: lexed.comments, cst };
}

/** The `parsed` state of one .charter file by chevrotain. Never throws on bad input. */
export function parseWithChevrotain(text: string, file: string): ParsedFile {
  const lexed = lex(text, file);
  const { cst, errors } = parseTokens(lexed.tokens, "charterFile");
  const problems = [
    ...lexed.diagnostics.map((entry) => entry.range.start.offset),
    ...errors.map((error) => error.token.startOffset).filter((offset) => !Number.isNaN(offset)),
  ].sort((a, b) => a - b);
  const builder = new AstBuilder(file, text, problems);
  const declarations = builder.declarations(cst);
  const syntax = syntaxDiagnostics(errors, lexed, file, text);
  // Recovery may re-read a token the parser already complained about: report it once.
  const reported = new Set(syntax.map((entry) => entry.range.start.offset));
  const diagnostics = [
    ...lexed.diagnostics,
    ...syntax,
    ...builder.diagnostics.filter((entry) => !reported.has(entry.range.start.offset)),
  ];
  return {
    ast: {
      file,
      format: "charter",
      declarations,
      comments: lexed.comments.map((token) => ({ text: token.image, range: tokenRange(token) })),
      hasSyntaxErrors: errors.length > 0 || lexed.diagnostics.length > 0,
    },
    diagnostics,
    syntax: { tokens: lexed.tokens, comments: lexed.comments, cst },
  };
}

/**
 * Parses one expression (as in YAML/JSON constitutions) written at `origin` in `file`, so its
 * ranges point into that file. Returns undefined with diagnostics when it does not parse.
 */
export function parseExpression(
  text: string,
  file: string,
  origin: ExpressionOrigin = { line: 1, column: 1, offset: 0 },
): { expr?: ExprNode; diagnostics: Diagnostic[] } {
  const lexed = lex(text, file);
  const { cst, errors } = parseTokens(lexed.tokens, "expressionEntry");
  const builder = new ExpressionBuilder(file, text, origin);
  const inner = cst.children["expression"]?.[0];
  const expr =
    inner !== undefined && !("image" in inner) && errors.length === 0
      ? builder.topExpression(inner)
      : undefined;
  // Lexing and parsing saw `text` alone: their diagnostics are moved to where it stands. The
  // builder made its ranges there already.
  const diagnostics = [
    ...[
      ...lexed.diagnostics,
      ...syntaxDiagnostics(errors.slice(0, 1), lexed, file, text, "expression"),
    ].map((entry) => shiftDiagnostic(entry, origin)),
    ...builder.diagnostics,
  ];
  return expr === undefined || diagnostics.length > 0 ? { diagnostics } : { expr, diagnostics };
}

type Origin = ExpressionOrigin;

function shiftPosition(position: Origin, origin: Origin): Origin {
  return {
    line: position.line + origin.line - 1,
    column: position.line === 1 ? position.column + origin.column - 1 : position.column,
    offset: position.offset + origin.offset,
  };
}

function shiftRange(range: SourceRange, origin: Origin): SourceRange {
  return { start: shiftPosition(range.start, origin), end: shiftPosition(range.end, origin) };
}

function shiftDiagnostic(entry: Diagnostic, origin: Origin): Diagnostic {
  return { ...entry, range: { ...entry.range, ...shiftRange(entry.range, origin) } };
}

registerChevrotainPath({
  parseWithChevrotain,
  charterSyntax,
  parseExpression,
  nextTokenTypes,
  keywordSpelling,
  serializedGrammar,
});
