// State `parsed`, step 2's diagnostics: chevrotain's recognition errors as Charter diagnostics, the first per
// top-level declaration (recovery would pile up consequences), with what was expected said
// shortly, misspelt keywords named as such and the unclosed `{` a missing `}` belongs to.

import type { IRecognitionException, IToken } from "chevrotain";
import { didYouMean } from "../../did-you-mean.js";
import type { SourceRange } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { tokenEnd, tokenRange } from "./cst-access.js";
import { KEYWORDS_BY_PLACE, unknownKeyword, type KeywordPlace } from "./keywords.js";
import type { LexResult } from "./lex.js";
import { describeToken, TOP_LEVEL_KEYWORDS } from "./lexer.js";
import { decodeSyntaxMessage, joinExpected } from "./syntax-messages.js";

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

export function syntaxDiagnostics(
  errors: readonly IRecognitionException[],
  lexed: LexResult,
  file: string,
  text: string,
  subject: "file" | "expression" = "file",
): Diagnostic[] {
  // A file that parsed: nothing to say, and the declaration index below costs a pass over tokens.
  if (errors.length === 0) return [];
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
