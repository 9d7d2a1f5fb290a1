// What state `parsed` holds for one file, whichever path (clean, chevrotain, YAML/JSON) made it.

import type { CstNode, IToken } from "chevrotain";
import type { FileAst } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";

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
  /**
   * Tokens, comments and CST (.charter documents only), for the formatter and editors. For a
   * file the clean path read, chevrotain builds them on first read of this property.
   */
  readonly syntax?: CharterSyntax;
}
