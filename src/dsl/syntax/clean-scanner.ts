// The clean path's scanner: reads .charter tokens straight from the text, one at a time, with
// their lines and columns, and gives up (throws DECLINE) at anything the chevrotain lexer would
// report or treat specially (an unknown character, an unclosed string or regex, nesting past
// MAX_NESTING). It matches lexer.ts token for token on every text it accepts (a differential test
// and the fuzzer hold the two to that); chevrotain is not loaded here.

import type { Position, SourceRange } from "../ast.js";
import { KEYWORD_KINDS, MAX_NESTING, type Keyword, type KeywordKind } from "./vocabulary.js";

/** Thrown where the clean path stops: the chevrotain path reads the file instead. */
export const DECLINE: unique symbol = Symbol("decline");

/** A token's kind: a keyword's spelling, a punctuation's spelling, or a class of token. */
export type TokenKind =
  | Keyword
  | "name"
  | "string"
  | "block"
  | "regex"
  | "number"
  | "eof"
  | "{"
  | "}"
  | "("
  | ")"
  | "["
  | "]"
  | ","
  | "=="
  | "!="
  | "<="
  | ">="
  | "<"
  | ">";

/** Keywords by the code of their first letter, so a word is matched in place (no slice per word). */
const KEYWORDS_BY_FIRST: Keyword[][] = [];
for (const word of Object.keys(KEYWORD_KINDS) as Keyword[])
  (KEYWORDS_BY_FIRST[word.charCodeAt(0)] ??= []).push(word);

/** The keyword `text` spells from `start` to `end`, if any. */
function keywordAt(text: string, start: number, end: number): Keyword | undefined {
  const candidates = KEYWORDS_BY_FIRST[text.charCodeAt(start)];
  if (candidates === undefined) return undefined;
  for (const word of candidates)
    if (word.length === end - start && text.startsWith(word, start)) return word;
  return undefined;
}
const KIND_OF = KEYWORD_KINDS as Readonly<Record<string, KeywordKind | undefined>>;

/** Names: identifiers and soft keywords (where an id, a tag, a key or a stage is expected). */
export function isName(kind: TokenKind): boolean {
  if (kind === "name") return true;
  const keyword = KIND_OF[kind];
  return keyword === "soft" || keyword === "field";
}

/** Names that may start an expression operand: identifiers and field keywords. */
export function isExprName(kind: TokenKind): boolean {
  return kind === "name" || KIND_OF[kind] === "field";
}

const isLetter = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isWordPart = (code: number): boolean => isLetter(code) || isDigit(code) || code === 45;
/** What a regex `.` does not match: line terminators (an escape of one ends the token). */
const isTerminator = (code: number): boolean =>
  code === 10 || code === 13 || code === 0x2028 || code === 0x2029;

/** Reads tokens of `text` on demand; the current token is `kind` from `start` to `end`. */
export class CleanScanner {
  kind: TokenKind = "eof";
  start = 0;
  end = 0;
  startLine = 1;
  startColumn = 1;
  endLine = 1;
  /** Column just after the token's last character. */
  endColumn = 1;
  /** End of the token before the current one (where a node that ended there ends). */
  lastEnd = 0;
  lastEndLine = 1;
  lastEndColumn = 1;
  readonly comments: { readonly text: string; readonly range: SourceRange }[] = [];

  private position = 0;
  private line = 1;
  private lineStart = 0;
  private nesting = 0;
  private nots = 0;

  /** Whether `text` has any \r (else line breaks are \n alone and blocks take the quick count). */
  private readonly hasCarriageReturns: boolean;

  /** Added to every position's offset (an expression read where it stands in a YAML file). */
  private readonly offsetBase: number;

  /**
   * `origin`: where `text` stands in its file (an expression of a YAML/JSON document), so lines,
   * columns and offsets are the file's; a .charter file starts at line 1, column 1, offset 0.
   */
  constructor(
    protected readonly text: string,
    origin?: { readonly line: number; readonly column: number; readonly offset: number },
  ) {
    this.hasCarriageReturns = text.includes("\r");
    this.offsetBase = origin?.offset ?? 0;
    if (origin !== undefined) {
      this.line = origin.line;
      // Columns are `at - lineStart + 1`: on the first line they start at origin.column.
      this.lineStart = 1 - origin.column;
    }
  }

  /** The current token's text. */
  image(): string {
    return this.text.slice(this.start, this.end);
  }

  // Positions and ranges are made once per token and shared by every node that starts or ends
  // there (the AST is read-only): a compile of thousands of principles made hundreds of thousands
  // of them, and their collection was a large share of its time.
  private startObject: Position | undefined;
  private endObject: Position | undefined;
  private rangeObject: SourceRange | undefined;
  private lastEndObject: Position | undefined;

  startPosition(): Position {
    return (this.startObject ??= {
      line: this.startLine,
      column: this.startColumn,
      offset: this.start + this.offsetBase,
    });
  }

  private endPosition(): Position {
    return (this.endObject ??= {
      line: this.endLine,
      column: this.endColumn,
      offset: this.end + this.offsetBase,
    });
  }

  tokenRange(): SourceRange {
    return (this.rangeObject ??= { start: this.startPosition(), end: this.endPosition() });
  }

  /** From `start` to the end of the last token read. */
  rangeFrom(start: Position): SourceRange {
    const end = (this.lastEndObject ??= {
      line: this.lastEndLine,
      column: this.lastEndColumn,
      offset: this.lastEnd + this.offsetBase,
    });
    return { start, end };
  }

  /** Moves to the next token. */
  advance(): void {
    this.lastEnd = this.end;
    this.lastEndLine = this.endLine;
    this.lastEndColumn = this.endColumn;
    this.lastEndObject = this.endObject;
    this.startObject = undefined;
    this.endObject = undefined;
    this.rangeObject = undefined;
    this.skipSpace();
    const text = this.text;
    const at = this.position;
    this.start = at;
    this.startLine = this.line;
    this.startColumn = at - this.lineStart + 1;
    if (at >= text.length) {
      this.kind = "eof";
      this.end = at;
      this.endLine = this.line;
      this.endColumn = this.startColumn;
      return;
    }
    this.kind = this.scan(text.charCodeAt(at), at);
    this.end = this.position;
    this.endLine = this.line;
    this.endColumn = this.position - this.lineStart + 1;
    this.limitNesting();
  }

  /** The nesting count lex.ts keeps: brackets open plus `not`s in a row. */
  private limitNesting(): void {
    const kind = this.kind;
    if (kind === "{" || kind === "(" || kind === "[") this.nesting++;
    else if (kind === "}" || kind === ")" || kind === "]")
      this.nesting = Math.max(0, this.nesting - 1);
    this.nots = kind === "not" ? this.nots + 1 : 0;
    if (this.nesting + this.nots > MAX_NESTING) throw DECLINE;
  }

  /** Whitespace (counting lines as chevrotain does: \n, \r\n, \r) and `#` comments. */
  private skipSpace(): void {
    const text = this.text;
    let at = this.position;
    for (;;) {
      const code = text.charCodeAt(at);
      if (code === 32 || code === 9 || code === 12 || code === 11 || code === 0xa0) at++;
      else if (code === 0xfeff) at++;
      else if (code === 10 || code === 13) at = this.newLine(at);
      else if (code === 35) {
        const start = at;
        const column = at - this.lineStart + 1;
        while (at < text.length && text.charCodeAt(at) !== 10 && text.charCodeAt(at) !== 13) at++;
        this.comments.push({
          text: text.slice(start, at),
          range: {
            start: { line: this.line, column, offset: start + this.offsetBase },
            end: { line: this.line, column: column + at - start, offset: at + this.offsetBase },
          },
        });
      } else break;
    }
    this.position = at;
  }

  /** Steps over the line break at `at`; returns the offset after it. */
  private newLine(at: number): number {
    const next =
      this.text.charCodeAt(at) === 13 && this.text.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
    this.line++;
    this.lineStart = next;
    return next;
  }

  /** Scans the token starting with `code` at `at`, leaving `position` after it. */
  private scan(code: number, at: number): TokenKind {
    const text = this.text;
    if (isLetter(code)) return this.word(at);
    if (isDigit(code) || (code === 45 && isDigit(text.charCodeAt(at + 1)))) {
      let end = at + 1;
      while (isDigit(text.charCodeAt(end))) end++;
      if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
        end += 2;
        while (isDigit(text.charCodeAt(end))) end++;
      }
      this.position = end;
      return "number";
    }
    this.position = at + 1;
    switch (code) {
      case 34:
        return text.startsWith('"""', at) ? this.block(at) : this.simpleString(at);
      case 47:
        return this.regex(at);
      case 123:
        return "{";
      case 125:
        return "}";
      case 40:
        return "(";
      case 41:
        return ")";
      case 91:
        return "[";
      case 93:
        return "]";
      case 44:
        return ",";
    }
    const second = text.charCodeAt(at + 1);
    this.position = at + 2;
    if (code === 61 && second === 61) return "==";
    if (code === 33 && second === 61) return "!=";
    if (code === 60) return second === 61 ? "<=" : ((this.position = at + 1), "<");
    if (code === 62) return second === 61 ? ">=" : ((this.position = at + 1), ">");
    throw DECLINE;
  }

  /** An identifier (dotted, kebab-case, `.*` globs) or the keyword it spells. */
  private word(at: number): TokenKind {
    const text = this.text;
    let end = at + 1;
    while (isWordPart(text.charCodeAt(end))) end++;
    while (text.charCodeAt(end) === 46) {
      const next = text.charCodeAt(end + 1);
      if (next === 42) end += 2;
      else if (isLetter(next)) {
        end += 2;
        while (isWordPart(text.charCodeAt(end))) end++;
      } else break;
    }
    this.position = end;
    return keywordAt(text, at, end) ?? "name";
  }

  /** A `"""` block: to the first `"""` after the opening one. */
  private block(at: number): TokenKind {
    const text = this.text;
    const close = text.indexOf('"""', at + 3);
    if (close < 0) throw DECLINE;
    // Line breaks inside, found by indexOf (a block is most of a constitution's text).
    for (let index = text.indexOf("\n", at + 3); index >= 0 && index < close;) {
      this.line++;
      this.lineStart = index + 1;
      index = text.indexOf("\n", index + 1);
    }
    if (this.hasCarriageReturns) {
      for (let index = text.indexOf("\r", at + 3); index >= 0 && index < close;) {
        // A lone \r breaks a line; in \r\n the \n was counted.
        if (text.charCodeAt(index + 1) !== 10) {
          this.line++;
          this.lineStart = Math.max(this.lineStart, index + 1);
        }
        index = text.indexOf("\r", index + 1);
      }
    }
    this.position = close + 3;
    return "block";
  }

  private simpleString(at: number): TokenKind {
    const text = this.text;
    let index = at + 1;
    for (;;) {
      const code = text.charCodeAt(index);
      if (code === 34) break;
      if (code === 92) {
        if (index + 1 >= text.length || isTerminator(text.charCodeAt(index + 1))) throw DECLINE;
        index += 2;
      } else if (code === 10 || code === 13 || index >= text.length) throw DECLINE;
      else index++;
    }
    this.position = index + 1;
    return "string";
  }

  /** `/.../flags`: `/` always starts a regex (there is no division); classes may hold `/`. */
  private regex(at: number): TokenKind {
    const text = this.text;
    let index = at + 1;
    for (;;) {
      const code = text.charCodeAt(index);
      if (index >= text.length || code === 10 || code === 13) throw DECLINE;
      if (code === 47) break;
      if (code === 92) {
        if (isTerminator(text.charCodeAt(index + 1)) || index + 1 >= text.length) throw DECLINE;
        index += 2;
      } else if (code === 91) {
        index++;
        for (;;) {
          const inner = text.charCodeAt(index);
          if (index >= text.length || inner === 10 || inner === 13) throw DECLINE;
          if (inner === 93) break;
          if (inner === 92) {
            if (isTerminator(text.charCodeAt(index + 1)) || index + 1 >= text.length) throw DECLINE;
            index += 2;
          } else index++;
        }
        index++;
      } else index++;
    }
    // An empty body (`//`) is not a regex: chevrotain reads an unterminated one.
    if (index === at + 1) throw DECLINE;
    index++;
    while (isLetter(text.charCodeAt(index)) && text.charCodeAt(index) !== 95) index++;
    this.position = index;
    return "regex";
  }
}
