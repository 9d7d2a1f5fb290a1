// What every check of one file shares: the file, its text, the diagnostics in the order found,
// the expression checker, and the ways to report (a plain problem, a second definition, empty text).

import type { FileAst, NameNode, SourceRange, TextNode } from "../ast.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { ExpressionChecker } from "./check-expression.js";

/** One file's check state, shared by the checkers of its declarations. */
export interface CheckState {
  readonly ast: FileAst;
  readonly text: string;
  readonly diagnostics: Diagnostic[];
  readonly expressions: ExpressionChecker;
}

export function checkState(ast: FileAst, text: string): CheckState {
  const diagnostics: Diagnostic[] = [];
  return { ast, text, diagnostics, expressions: new ExpressionChecker(ast.file, diagnostics) };
}

/** The position `index` characters into `raw`, which starts at `origin`; line breaks as the lexer counts them. */
export function positionIn(
  raw: string,
  index: number,
  origin: SourceRange["start"],
): SourceRange["start"] {
  const lines = raw.slice(0, index).split(/\r\n|\r|\n/);
  const newlines = lines.length - 1;
  const lastLine = lines[newlines] ?? "";
  return {
    line: origin.line + newlines,
    column: newlines === 0 ? origin.column + index : lastLine.length + 1,
    offset: origin.offset + index,
  };
}

/** Reporting, for the checkers of one file's declarations. */
export class CheckContext {
  protected readonly ast: FileAst;
  protected readonly text: string;
  protected readonly diagnostics: Diagnostic[];
  protected readonly expressions: ExpressionChecker;

  constructor(state: CheckState) {
    this.ast = state.ast;
    this.text = state.text;
    this.diagnostics = state.diagnostics;
    this.expressions = state.expressions;
  }

  protected at(range: SourceRange): { file: string } & SourceRange {
    return { file: this.ast.file, ...range };
  }

  protected report(
    code: DiagnosticCode,
    message: string,
    range: SourceRange,
    suggestion?: string,
  ): void {
    this.diagnostics.push(
      diagnostic(code, message, this.at(range), suggestion === undefined ? {} : { suggestion }),
    );
  }

  /** Reports a second definition of a name in this file, pointing at the first. */
  protected unique(
    seen: Map<string, NameNode>,
    name: NameNode,
    code: DiagnosticCode,
    what: string,
  ): void {
    const first = seen.get(name.name);
    if (first === undefined) {
      seen.set(name.name, name);
      return;
    }
    this.diagnostics.push(
      diagnostic(
        code,
        `${what} \`${name.name}\` is already defined at line ${first.range.start.line}`,
        this.at(name.range),
        {
          related: [
            { message: `first definition of \`${name.name}\``, range: this.at(first.range) },
          ],
        },
      ),
    );
  }

  protected nonEmpty(text: TextNode, what: string): void {
    if (text.value.trim() === "") this.report("empty-text", `${what} is empty`, text.range);
  }
}
