// State `parsed`, step 1 (lex): tokens, comments kept apart for the formatter, lexical diagnostics (unknown
// characters with the Charter spelling people meant, unterminated strings and regexes), and a cut
// where nesting passes what the recursive-descent parser is asked to follow.

import type { IToken } from "chevrotain";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { tokenRange } from "./cst-access.js";
import { charterLexer } from "./lexer.js";
import { MAX_NESTING } from "./vocabulary.js";

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

/** Step 1 of `parsed`: tokens, comments (kept for the formatter) and lexical diagnostics. */
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
