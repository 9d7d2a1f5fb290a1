// `charter fmt`: one canonical layout for .charter files, built on the token stream (comments
// included) and the parser's CST, so nothing written is lost and compiling is unchanged.
//
// Layout: two-space indentation inside blocks; one statement per line; one space between tokens
// (none inside parentheses and brackets, before commas, or between a function and its `(`);
// one-line text as "...", multi-line text as `"""` blocks (inside expressions always "..."); a blank line between top-level
// declarations (consecutive imports or drops may stay together), elsewhere at most one blank line
// where the author left one; comments stay where they were: on their own line, or trailing a
// line after two spaces; numbers in their shortest spelling. A comment in the middle of a
// statement ends that line, and the statement continues on the next, indented one more step.

import type { IToken } from "chevrotain";
import type { Diagnostic } from "../diagnostics.js";
import { renderText } from "./charter-text.js";
import { layoutOf, mayGroup, type TopLevelDeclaration } from "./format-layout.js";
import { parseCharter, type ParsedFile } from "../syntax/parse-charter.js";
import { dedentBlock, quoteString, unescapeString } from "../syntax/strings.js";

export interface FormatResult {
  /** The formatted text; the input unchanged when it could not be formatted. */
  readonly text: string;
  /** Syntax problems that stopped formatting (empty when formatted). */
  readonly diagnostics: readonly Diagnostic[];
  /** Whether `text` differs from the input. */
  readonly changed: boolean;
}

const INDENT = "  ";

/** Diagnostics that mean the file did not read as Charter: formatting it could lose text. */
const SYNTAX_CODES = new Set<string>([
  "unexpected-token",
  "unterminated-string",
  "unterminated-regex",
  "invalid-escape",
  "unknown-character",
  "unknown-keyword",
]);

/**
 * Formats one .charter source canonically. Files with syntax errors are returned unchanged,
 * with the errors.
 *
 * @example formatSource('charter "x"   version "1.0.0"', "x.charter").text // 'charter "x" version "1.0.0"\n'
 */
export function formatSource(text: string, filename: string): FormatResult {
  return formatParsed(parseCharter(text, filename), text);
}

/**
 * Formats a .charter document from its parse (a workspace document's, so nothing is parsed twice).
 * Files with syntax errors are returned unchanged, with the errors.
 */
export function formatParsed(parsed: ParsedFile, text: string): FormatResult {
  const blocking = parsed.diagnostics.filter(
    (entry) => entry.severity === "error" && SYNTAX_CODES.has(entry.code),
  );
  if (parsed.ast.hasSyntaxErrors || blocking.length > 0 || parsed.syntax === undefined) {
    return { text, diagnostics: blocking, changed: false };
  }
  const { tokens, comments, cst } = parsed.syntax;
  const formatted = new Printer(text, layoutOf(cst)).print(
    [...tokens, ...comments].sort((a, b) => a.startOffset - b.startOffset),
  );
  return { text: formatted, diagnostics: [], changed: formatted !== text };
}

/** The value a string token stands for. */
function stringValue(token: IToken): string {
  const image = token.image;
  return token.tokenType.name === "TripleString"
    ? dedentBlock(image.slice(3, -3))
    : unescapeString(image.slice(1, -1)).value;
}

const NO_SPACE_BEFORE = new Set(["Comma", "RParen", "RBracket"]);
const NO_SPACE_AFTER = new Set(["LParen", "LBracket"]);

class Printer {
  private readonly lines: string[] = [];
  /** The line being built, without its indentation. */
  private line = "";
  private lineIndent = "";
  private depth = 0;
  private previous: IToken | undefined;
  private previousToken: IToken | undefined;
  /** A comment ended the current line: whatever comes next starts a new one. */
  private breakPending = false;
  /** The top-level declaration whose last token was printed last, until the next line starts. */
  private justEnded: TopLevelDeclaration | undefined;
  private readonly starts: Map<number, TopLevelDeclaration>;
  private readonly ends: Map<number, TopLevelDeclaration>;

  constructor(
    private readonly source: string,
    private readonly layout: ReturnType<typeof layoutOf>,
  ) {
    this.starts = new Map(layout.declarations.map((decl) => [decl.startOffset, decl]));
    this.ends = new Map(layout.declarations.map((decl) => [decl.endOffset, decl]));
  }

  print(elements: readonly IToken[]): string {
    for (const element of elements) {
      if (element.tokenType.name === "Comment") this.comment(element);
      else this.token(element);
      this.previous = element;
    }
    this.flush();
    while (this.lines.length > 0 && this.lines[this.lines.length - 1] === "") this.lines.pop();
    return this.lines.length === 0 ? "" : `${this.lines.join("\n")}\n`;
  }

  /** Newlines in the source between the previous element and this one. */
  private gap(element: IToken): number {
    if (this.previous === undefined) return 0;
    const between = this.source.slice((this.previous.endOffset ?? 0) + 1, element.startOffset);
    return between.split("\n").length - 1;
  }

  private comment(comment: IToken): void {
    const text = comment.image.trimEnd();
    if (this.previous !== undefined && this.gap(comment) === 0 && this.line !== "") {
      this.line += `  ${text}`;
    } else {
      this.startLine(comment, this.midStatement() ? 1 : 0);
      this.line = text;
    }
    this.breakPending = true;
  }

  private token(token: IToken): void {
    const name = token.tokenType.name;
    if (name === "RBrace") {
      this.depth--;
      if (this.previous?.tokenType.name === "LBrace") {
        // `{}`: an empty block stays on its opening line.
        this.line += "}";
      } else {
        this.startLine(token, 0);
        this.line = "}";
      }
      this.breakPending = false;
    } else if (
      this.starts.has(token.startOffset) ||
      this.layout.statementStarts.has(token.startOffset)
    ) {
      this.startLine(token, 0);
      this.line = this.spell(token);
      this.breakPending = false;
    } else if (this.breakPending || this.line === "") {
      this.startLine(token, 1);
      this.line = this.spell(token);
      this.breakPending = false;
    } else {
      this.line += `${this.separator(token)}${this.spell(token)}`;
    }
    this.previousToken = token;
    if (name === "LBrace") {
      this.depth++;
      this.breakPending = true;
    }
    this.justEnded = this.ends.get(token.endOffset ?? token.startOffset) ?? this.justEnded;
  }

  /** Whether we are inside a statement that a comment interrupted. */
  private midStatement(): boolean {
    const last = this.previousToken;
    if (last === undefined) return false;
    const name = last.tokenType.name;
    if (name === "LBrace" || name === "RBrace") return false;
    if (this.justEnded !== undefined && this.justEnded.endOffset === last.endOffset) return false;
    // Inside a block, a statement ends where the next begins; we only know that it continues
    // when the next real token is not a statement start, so look ahead in the source.
    const next = this.nextTokenStart();
    return next !== undefined && !this.isLineStart(next);
  }

  private nextTokenStart(): number | undefined {
    const from = (this.previous?.endOffset ?? -1) + 1;
    const rest = this.source.slice(from);
    // Skip whitespace and comments to the next token's first character.
    const match = /^(?:\s+|#[^\n\r]*)*/.exec(rest);
    const offset = from + (match?.[0].length ?? 0);
    return offset < this.source.length ? offset : undefined;
  }

  private isLineStart(offset: number): boolean {
    return (
      this.starts.has(offset) ||
      this.layout.statementStarts.has(offset) ||
      this.source[offset] === "}"
    );
  }

  /** Ends the current line and prepares the next at the right depth, with any blank line. */
  private startLine(element: IToken, continuation: number): void {
    const hadContent = this.line !== "";
    this.flush();
    if (hadContent || this.lines.length > 0) {
      if (this.wantsBlankLine(element, continuation)) this.lines.push("");
    }
    this.justEnded = undefined;
    this.lineIndent = INDENT.repeat(Math.max(0, this.depth + continuation));
  }

  private wantsBlankLine(element: IToken, continuation: number): boolean {
    if (this.lines.length === 0 || continuation > 0) return false;
    const last = this.lines[this.lines.length - 1] as string;
    if (last === "" || last.endsWith("{") || element.tokenType.name === "RBrace") return false;
    const ended = this.justEnded;
    if (this.depth === 0 && ended !== undefined) {
      const next = this.layout.declarations.find((decl) => decl.startOffset >= element.startOffset);
      return mayGroup(ended, next) ? this.gap(element) >= 2 : true;
    }
    return this.gap(element) >= 2;
  }

  private flush(): void {
    if (this.line === "") return;
    // No trailing-whitespace trimming: inside a `"""` block it is part of the text.
    this.lines.push(`${this.lineIndent}${this.line}`);
    this.line = "";
  }

  private separator(token: IToken): string {
    const previous = this.previousToken;
    if (previous === undefined) return "";
    if (NO_SPACE_BEFORE.has(token.tokenType.name)) return "";
    if (NO_SPACE_AFTER.has(previous.tokenType.name)) return "";
    const isCall =
      token.tokenType.name === "LParen" &&
      // A name a call may start with (the ExprName category; by name, so chevrotain's token types
      // need not load with the formatter).
      (previous.tokenType.CATEGORIES ?? []).some((category) => category.name === "ExprName");
    return isCall ? "" : " ";
  }

  private spell(token: IToken): string {
    const name = token.tokenType.name;
    if (name === "SimpleString" || name === "TripleString") {
      if (this.layout.expressionStrings.has(token.startOffset))
        return quoteString(stringValue(token));
      return renderText(stringValue(token), this.lineIndent);
    }
    if (name === "NumberLiteral") {
      // `02`, `1.50` and `-0` are spelled `2`, `1.5` and `0`, unless that would leave the syntax.
      const canonical = String(Number(token.image));
      return /^-?\d+(?:\.\d+)?$/.test(canonical) ? canonical : token.image;
    }
    return token.image;
  }
}
