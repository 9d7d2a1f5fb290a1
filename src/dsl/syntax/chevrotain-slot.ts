// Where the chevrotain path is found once loaded: parse-charter.ts reads only the clean path
// statically, so a command compiling clean files never loads chevrotain (~22 ms of CPU at start).
// chevrotain-path.ts registers itself here when imported; the library's front door (src/index.ts)
// imports it, and the CLI, whose parsing is synchronous, awaits `loadChevrotainPath()` first where
// it needs it (fmt, lsp) or re-runs a compile that met a file the clean path declined.

import type { ISerializedGast, IToken, TokenType } from "chevrotain";
import type { ExprNode } from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import type { CharterSyntax, ParsedFile } from "./parsed-file.js";

/** Where an expression read out of a YAML/JSON document stands in its file. */
export interface ExpressionOrigin {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

/** What the rest of the compiler asks of chevrotain (chevrotain-path.ts). */
export interface ChevrotainPath {
  readonly parseWithChevrotain: (text: string, file: string) => ParsedFile;
  readonly charterSyntax: (text: string, file: string) => CharterSyntax;
  readonly parseExpression: (
    text: string,
    file: string,
    origin?: ExpressionOrigin,
  ) => { expr?: ExprNode; diagnostics: Diagnostic[] };
  readonly nextTokenTypes: (preceding: IToken[]) => TokenType[];
  readonly keywordSpelling: (type: TokenType) => string | undefined;
  readonly serializedGrammar: () => ISerializedGast[];
}

let registered: ChevrotainPath | undefined;

/** Called once by chevrotain-path.ts as it is imported. */
export function registerChevrotainPath(path: ChevrotainPath): void {
  registered = path;
}

/**
 * Thrown by `chevrotainPath()` when it is needed and not loaded: only in a process that did not
 * import the library's front door (the CLI), whose callers catch it through `withChevrotainPath`.
 */
export class ChevrotainPathNotLoaded extends Error {
  constructor() {
    super("the chevrotain path is not loaded: await loadChevrotainPath() before parsing");
    this.name = "ChevrotainPathNotLoaded";
  }
}

/** The chevrotain path, if loaded; else throws ChevrotainPathNotLoaded. */
export function chevrotainPath(): ChevrotainPath {
  if (registered === undefined) throw new ChevrotainPathNotLoaded();
  return registered;
}

/** Loads chevrotain and the path built on it (once), for what parses synchronously after. */
export async function loadChevrotainPath(): Promise<ChevrotainPath> {
  if (registered === undefined) await import("./chevrotain-path.js");
  return chevrotainPath();
}

/**
 * Runs `run` (which must start from fresh state: a new workspace, say); if it met a file the clean
 * path declined while chevrotain was not loaded, loads it and runs `run` again. Clean files cost
 * one run; a file with a syntax problem, a second one with chevrotain.
 */
export async function withChevrotainPath<T>(run: () => T): Promise<T> {
  if (registered !== undefined) return run();
  try {
    return run();
  } catch (error) {
    if (!(error instanceof ChevrotainPathNotLoaded)) throw error;
  }
  await loadChevrotainPath();
  return run();
}

/** For editors (src/lsp completion): what the grammar allows after the tokens before a cursor. */
export function nextTokenTypes(preceding: IToken[]): TokenType[] {
  return chevrotainPath().nextTokenTypes(preceding);
}

/** A keyword token type's spelling (undefined for other tokens), for editors. */
export function keywordSpelling(type: TokenType): string | undefined {
  return chevrotainPath().keywordSpelling(type);
}

/** The grammar, for `npm run grammar` (railroad diagrams and EBNF). */
export function serializedGrammar(): ISerializedGast[] {
  return chevrotainPath().serializedGrammar();
}
