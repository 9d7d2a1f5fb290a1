// The leaves of the AST builder: names, numbers and strings from tokens (bad escapes reported),
// and every range it makes, placed at the builder's origin so an expression read out of a YAML or
// JSON string points into that file from the start.

import type { CstNode, IToken } from "chevrotain";
import type { NameNode, NumberNode, Position, SourceRange, TextNode } from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { nodeRange, tokenRange } from "./cst-access.js";
import { unknownKeyword, type KeywordPlace } from "./keywords.js";
import { dedentBlock, unescapeString } from "./strings.js";

/** Builds leaf nodes from tokens, collecting diagnostics. */
export class NodeBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    protected readonly file: string,
    protected readonly text: string,
    /**
     * Where `text` starts in `file` when it is a piece of a larger document (an expression in a
     * YAML string); ranges are made there. Line 1 of `text` starts at its column.
     */
    private readonly origin?: Position,
  ) {}

  /** A position in `text` as a position in `file`. */
  protected place(position: Position): Position {
    const origin = this.origin;
    if (origin === undefined) return position;
    return {
      line: position.line + origin.line - 1,
      column: position.line === 1 ? position.column + origin.column - 1 : position.column,
      offset: position.offset + origin.offset,
    };
  }

  protected tokenRange(token: IToken): SourceRange {
    const range = tokenRange(token);
    return this.origin === undefined
      ? range
      : { start: this.place(range.start), end: this.place(range.end) };
  }

  protected nodeRange(node: CstNode): SourceRange | undefined {
    const range = nodeRange(node);
    return this.origin === undefined || range === undefined
      ? range
      : { start: this.place(range.start), end: this.place(range.end) };
  }

  protected unknown(token: IToken, place: KeywordPlace): void {
    this.diagnostics.push(unknownKeyword(token.image, place, this.tokenRange(token), this.file));
  }

  protected name(token: IToken | undefined): NameNode | undefined {
    return token === undefined ? undefined : { name: token.image, range: this.tokenRange(token) };
  }

  protected names(tokens: IToken[]): NameNode[] {
    return tokens.map((token) => ({ name: token.image, range: this.tokenRange(token) }));
  }

  protected number(token: IToken): NumberNode {
    return { value: Number(token.image), range: this.tokenRange(token) };
  }

  protected isStringToken(token: IToken): boolean {
    return token.tokenType.name.endsWith("String");
  }

  /** The value of a string token (`"..."` unescaped, `"""` dedented). */
  protected textOf(token: IToken | undefined): TextNode | undefined {
    if (token === undefined || !this.isStringToken(token)) return undefined;
    const range = this.tokenRange(token);
    const image = token.image;
    switch (token.tokenType.name) {
      case "TripleString":
        return { value: dedentBlock(image.slice(3, -3)), block: true, range };
      case "UnterminatedTripleString":
        return { value: dedentBlock(image.slice(3)), block: true, range };
      default: {
        const closed = token.tokenType.name === "SimpleString";
        const body = closed ? image.slice(1, -1) : image.slice(1).replace(/\\$/, "");
        const result = unescapeString(body);
        if (!result.ok) {
          const start = token.startOffset + 1 + result.at;
          const startColumn = (token.startColumn ?? 1) + 1 + result.at;
          const line = token.startLine ?? 1;
          this.diagnostics.push(
            diagnostic(
              "invalid-escape",
              `\`${result.escape}\` is not an escape; use \`\\\\\` for a backslash`,
              {
                file: this.file,
                start: this.place({ line, column: startColumn, offset: start }),
                end: this.place({
                  line,
                  column: startColumn + result.escape.length,
                  offset: start + result.escape.length,
                }),
              },
            ),
          );
        }
        return { value: result.value, block: false, range };
      }
    }
  }

  /** Source text of a range, for expression sources. */
  slice(range: SourceRange): string {
    return this.text.slice(range.start.offset, range.end.offset);
  }
}
