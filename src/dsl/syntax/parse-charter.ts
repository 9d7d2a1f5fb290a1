// Stages 1-3 for .charter text: lex, parse with recovery, build the AST. Syntax problems become
// diagnostics, at most one per top-level declaration so recovery does not pile up noise.

import type { CstNode, IRecognitionException, IToken } from "chevrotain";
import type { ExprNode, FileAst, SourceRange } from "../ast.js";
import { AstBuilder, KEYWORDS_BY_PLACE, unknownKeyword, type KeywordPlace } from "./build-ast.js";
import { tokenEnd, tokenRange } from "./cst-access.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";
import { charterLexer, describeToken, TOP_LEVEL_KEYWORDS } from "./lexer.js";
import { parseTokens } from "./parser.js";
import { decodeSyntaxMessage, joinExpected } from "./syntax-messages.js";

export interface LexResult {
  readonly tokens: IToken[];
  readonly comments: IToken[];
  readonly diagnostics: Diagnostic[];
  /** Where the token stream was cut because nesting went too deep. */
  readonly cutAt?: number;
}

/** Characters people bring from other languages, and how Charter spells them. */
const CHARACTER_HINTS: Readonly<Record<string, string>> = {
  "=": "==",
  "!": "not",
  "&": "and",
  "&&": "and",
  "|": "or",
  "||": "or",
  "'": '"',
};

/** Deepest nesting of `{ ( [` and chained `not`s the parser is asked to follow. */
export const MAX_NESTING = 64;

/**
 * Cuts the token stream where nesting passes MAX_NESTING, so a hostile file cannot overflow
 * the recursive-descent parser's stack. Returns the offset of the cut, if any.
 */
function limitNesting(
  tokens: IToken[],
  file: string,
  diagnostics: Diagnostic[],
): number | undefined {
  let depth = 0;
  let nots = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as IToken;
    const name = token.tokenType.name;
    if (name === "LBrace" || name === "LParen" || name === "LBracket") depth++;
    else if (name === "RBrace" || name === "RParen" || name === "RBracket")
      depth = Math.max(0, depth - 1);
    nots = name === "Not" ? nots + 1 : 0;
    if (depth + nots > MAX_NESTING) {
      diagnostics.push(
        diagnostic(
          "nesting-too-deep",
          `nesting deeper than ${MAX_NESTING} levels; the rest of the file is not read`,
          { file, ...tokenRange(token) },
        ),
      );
      tokens.length = index;
      return token.startOffset;
    }
  }
  return undefined;
}

/** Stage 1: tokens, comments (kept for the formatter) and lexical diagnostics. */
export function lex(text: string, file: string): LexResult {
  const result = charterLexer().tokenize(text);
  const diagnostics: Diagnostic[] = [];
  for (const error of result.errors) {
    const line = error.line ?? 1;
    const column = error.column ?? 1;
    const character = text.slice(error.offset, error.offset + error.length);
    const shown = character.length > 12 ? `${character.slice(0, 12)}...` : character;
    const suggestion = CHARACTER_HINTS[character];
    diagnostics.push(
      diagnostic(
        "unknown-character",
        `unknown character${error.length > 1 ? "s" : ""} \`${shown}\``,
        {
          file,
          start: { line, column, offset: error.offset },
          end: { line, column: column + error.length, offset: error.offset + error.length },
        },
        suggestion === undefined ? {} : { suggestion },
      ),
    );
  }
  for (const token of result.tokens) {
    const name = token.tokenType.name;
    if (name === "UnterminatedSimpleString" || name === "UnterminatedTripleString") {
      const block = name === "UnterminatedTripleString";
      diagnostics.push(
        diagnostic(
          "unterminated-string",
          block ? 'this `"""` block is never closed' : "this string is not closed on its line",
          { file, ...tokenRange(token) },
          { expected: block ? '`"""`' : '`"`' },
        ),
      );
    } else if (name === "UnterminatedRegex") {
      diagnostics.push(
        diagnostic(
          "unterminated-regex",
          "this regex is not closed on its line",
          { file, ...tokenRange(token) },
          { expected: "`/`" },
        ),
      );
    }
  }
  const cut = limitNesting(result.tokens, file, diagnostics);
  return {
    tokens: result.tokens,
    comments: result.groups["comments"] ?? [],
    diagnostics,
    ...(cut !== undefined ? { cutAt: cut } : {}),
  };
}

/** Which keywords a misspelling may be aiming at, by the rule the parser was in. */
const PLACE_BY_RULE: Readonly<Record<string, KeywordPlace>> = {
  charterFile: "declaration",
  declaration: "declaration",
  principleDecl: "principleHeader",
  principleItem: "principle",
  exampleField: "example",
  exampleBlock: "example",
  ruleDecl: "rule",
  ruleItem: "rule",
  rubricDecl: "rubric",
  rubricWhen: "rubric",
  criterion: "rubric",
};

/**
 * What else could have come where chevrotain names only the token after an optional part or a
 * loop: `{` after a principle id (or `weight`, `tags`), `}` closing a block (or an item keyword).
 */
const ALSO_EXPECTED: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  principleDecl: { "`{`": KEYWORDS_BY_PLACE.principleHeader, "`}`": KEYWORDS_BY_PLACE.principle },
  exampleBlock: { "`}`": KEYWORDS_BY_PLACE.example },
  ruleDecl: { "`}`": KEYWORDS_BY_PLACE.rule },
  rubricDecl: { "`}`": KEYWORDS_BY_PLACE.rubric },
};

/** What can start an expression operand, said once as "a value" instead of eight names. */
const OPERAND_STARTS = new Set([
  "a string",
  "a number",
  "`true`",
  "`false`",
  "a regex",
  "`[`",
  "`(`",
  "a field or function",
  "`not`",
]);

function collapseOperands(names: string[]): void {
  if (!names.includes("a field or function") || !names.includes("a regex")) return;
  const rest = names.filter((name) => !OPERAND_STARTS.has(name));
  names.splice(0, names.length, "a value (field, string, number, regex, list or `(`)", ...rest);
}

function syntaxDiagnostic(
  error: IRecognitionException,
  file: string,
  lastToken: IToken | undefined,
  subject: "file" | "expression",
): Diagnostic {
  const token = error.token;
  const { expected, rule } = decodeSyntaxMessage(error.message);
  const names = [...expected];
  if (rule === "charterFile" && names.length === 1 && names[0] === "end of file") {
    // Between declarations: say what may start one, not that the file should end.
    names.splice(0, 1, "a declaration (`principle`, `rule`, `rubric`, `template`, ...)");
  }
  const also = names.length === 1 ? ALSO_EXPECTED[rule]?.[names[0] as string] : undefined;
  if (also !== undefined) names.unshift(...also.map((keyword) => `\`${keyword}\``));
  collapseOperands(names);
  // End of input has no position of its own: point just after the last token.
  const atEnd = token.tokenType.name === "EOF" || Number.isNaN(token.startOffset);
  const end = lastToken === undefined ? { line: 1, column: 1, offset: 0 } : tokenEnd(lastToken);
  const range: SourceRange = atEnd ? { start: end, end } : tokenRange(token);
  if (token.tokenType.name === "Identifier") {
    const place = PLACE_BY_RULE[rule];
    const keywords = names
      .filter((name) => /^`[a-z]+`$/.test(name))
      .map((name) => name.slice(1, -1));
    if (place !== undefined && didYouMean(token.image, keywords) !== undefined) {
      return unknownKeyword(token.image, place, range, file);
    }
  }
  const expectedText = joinExpected(names);
  const at = atEnd ? `found the end of the ${subject}` : `found ${describeToken(token)}`;
  return diagnostic(
    "unexpected-token",
    `expected ${expectedText}, ${at}`,
    { file, ...range },
    { expected: expectedText },
  );
}

/** Offsets where top-level declarations start (brace depth 0), to group errors by declaration. */
function declarationStarts(tokens: readonly IToken[]): number[] {
  const starts: number[] = [];
  const topLevel = new Set(TOP_LEVEL_KEYWORDS);
  let depth = 0;
  for (const token of tokens) {
    const name = token.tokenType.name;
    if (name === "LBrace") depth++;
    else if (name === "RBrace") depth = Math.max(0, depth - 1);
    else if (depth === 0 && (topLevel.has(token.tokenType) || name === "Identifier")) {
      starts.push(token.startOffset);
    }
  }
  return starts;
}

function segmentOf(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if ((starts[middle] as number) <= offset) {
      found = middle;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** The innermost `{` still open before `offset`: where a missing `}` belongs. */
function unclosedBrace(tokens: readonly IToken[], offset: number): IToken | undefined {
  const open: IToken[] = [];
  for (const token of tokens) {
    if (token.startOffset >= offset) break;
    if (token.tokenType.name === "LBrace") open.push(token);
    else if (token.tokenType.name === "RBrace") open.pop();
  }
  return open[open.length - 1];
}

/** Syntax errors as diagnostics: the first per top-level declaration, none inside a runaway block. */
function followsUnknown(ends: ReadonlySet<number>, offset: number, text: string): boolean {
  let index = offset;
  while (index > 0 && /\s/.test(text[index - 1] as string)) index--;
  return ends.has(index);
}

function syntaxDiagnostics(
  errors: readonly IRecognitionException[],
  lexed: LexResult,
  file: string,
  text: string,
  subject: "file" | "expression" = "file",
): Diagnostic[] {
  const textLength = text.length;
  const starts = declarationStarts(lexed.tokens);
  // Past a runaway `"""` block or a nesting cut, the parser only sees the consequences.
  const runaway =
    lexed.tokens.find((token) => token.tokenType.name === "UnterminatedTripleString")
      ?.startOffset ?? lexed.cutAt;
  const seen = new Set<number>();
  const result: Diagnostic[] = [];
  // A dropped character leaves a gap the parser trips over: that is the same mistake.
  const afterUnknown = new Set(
    lexed.diagnostics
      .filter((entry) => entry.code === "unknown-character")
      .map((entry) => entry.range.end.offset),
  );
  for (const error of errors) {
    let offset = error.token.startOffset;
    if (Number.isNaN(offset)) offset = textLength;
    if (runaway !== undefined && offset >= runaway) continue;
    if (followsUnknown(afterUnknown, offset, text)) continue;
    // A nested error (e.g. in an expression) belongs to the declaration it sits in.
    const segment = segmentOf(starts, error.token.tokenType.name === "EOF" ? textLength : offset);
    if (seen.has(segment)) continue;
    seen.add(segment);
    const built = syntaxDiagnostic(error, file, lexed.tokens[lexed.tokens.length - 1], subject);
    const opener = built.expected?.includes("`}`")
      ? unclosedBrace(lexed.tokens, offset)
      : undefined;
    result.push(
      opener === undefined
        ? built
        : {
            ...built,
            related: [{ message: "unclosed `{`", range: { file, ...tokenRange(opener) } }],
          },
    );
  }
  return result;
}

/** What a .charter document's parse keeps: the token vectors and the concrete syntax tree. */
export interface CharterSyntax {
  readonly tokens: readonly IToken[];
  /** `#` comments, kept apart from the tokens the parser reads. */
  readonly comments: readonly IToken[];
  readonly cst: CstNode;
}

export interface ParsedFile {
  readonly ast: FileAst;
  readonly diagnostics: Diagnostic[];
  /** Tokens, comments and CST (.charter documents only), for the formatter and editors. */
  readonly syntax?: CharterSyntax;
}

/** Stages 1-3 for one .charter file. Never throws on bad input. */
export function parseCharter(text: string, file: string): ParsedFile {
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
  origin: { line: number; column: number; offset: number } = { line: 1, column: 1, offset: 0 },
): { expr?: ExprNode; diagnostics: Diagnostic[] } {
  const lexed = lex(text, file);
  const { cst, errors } = parseTokens(lexed.tokens, "expressionEntry");
  const builder = new AstBuilder(file, text);
  const inner = cst.children["expression"]?.[0];
  const expr =
    inner !== undefined && !("image" in inner) && errors.length === 0
      ? builder.topExpression(inner)
      : undefined;
  const diagnostics = [
    ...lexed.diagnostics,
    ...syntaxDiagnostics(errors.slice(0, 1), lexed, file, text, "expression"),
    ...builder.diagnostics,
  ].map((entry) => shiftDiagnostic(entry, origin));
  const shifted = expr === undefined ? undefined : shiftExpr(expr, origin);
  return shifted === undefined || diagnostics.length > 0
    ? { diagnostics }
    : { expr: shifted, diagnostics };
}

type Origin = { line: number; column: number; offset: number };

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

function shiftExpr(expr: ExprNode, origin: Origin): ExprNode {
  const range = shiftRange(expr.range, origin);
  switch (expr.kind) {
    case "binary":
      return {
        ...expr,
        range,
        opRange: shiftRange(expr.opRange, origin),
        left: shiftExpr(expr.left, origin),
        right: shiftExpr(expr.right, origin),
      };
    case "not":
      return { ...expr, range, operand: shiftExpr(expr.operand, origin) };
    case "call":
      return {
        ...expr,
        range,
        fn: { ...expr.fn, range: shiftRange(expr.fn.range, origin) },
        arg: shiftExpr(expr.arg, origin),
      };
    case "list":
      return { ...expr, range, items: expr.items.map((item) => shiftExpr(item, origin)) };
    default:
      return { ...expr, range };
  }
}
