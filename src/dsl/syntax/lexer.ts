// State `parsed`, step 1 (lex): the chevrotain tokens of the .charter language and the one shared lexer instance.
// Comments are kept in the `comments` token group (not skipped) so the formatter can re-attach them.

import type { ILexingResult, IToken, TokenType } from "chevrotain";
import { createToken, Lexer } from "./chevrotain.js";
import { KEYWORD_KINDS, type Keyword } from "./vocabulary.js";

/** Categories: a token may belong to several, and the parser consumes categories, not spellings. */
export const Name = createToken({ name: "Name", pattern: Lexer.NA });
/** Names that may start an expression operand: fields and function names. */
export const ExprName = createToken({ name: "ExprName", pattern: Lexer.NA });
export const StringLiteral = createToken({ name: "StringLiteral", pattern: Lexer.NA });
export const RegexLiteral = createToken({ name: "RegexLiteral", pattern: Lexer.NA });
/** Every token but braces: what an unknown top-level declaration may skip over. */
export const AnyToken = createToken({ name: "AnyToken", pattern: Lexer.NA });

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\u00a0\ufeff]+/,
  group: Lexer.SKIPPED,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\n\r]*/, group: "comments" });

export const Identifier = createToken({
  name: "Identifier",
  // Dotted ids (`harm.general`), kebab-case (`no-links`) and globs in `only` lists (`harm.*`).
  pattern: /[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))*/,
  categories: [Name, ExprName, AnyToken],
});

/** How each keyword is spelt (`few-shot`), by token type: names are PascalCase (`FewShot`). */
const SPELLING = new Map<TokenType, string>();
/** Keyword types by spelling: the lexer reads keywords as Identifiers, then renames them. */
const KEYWORD_BY_SPELLING = new Map<string, TokenType>();

function keyword(word: string, categories: TokenType[]): TokenType {
  const name = word.replace(/(?:^|-)([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const type = createToken({
    name,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: [...categories, AnyToken],
  });
  SPELLING.set(type, word);
  KEYWORD_BY_SPELLING.set(word, type);
  return type;
}

/** A keyword's token, its categories from its kind in vocabulary.ts (the one list of keywords). */
function kw(word: Keyword): TokenType {
  switch (KEYWORD_KINDS[word]) {
    case "soft":
      return keyword(word, [Name]);
    case "field":
      return keyword(word, [Name, ExprName]);
    case "hard":
      return keyword(word, []);
  }
}

export const Charter = kw("charter");
export const Version = kw("version");
export const About = kw("about");
export const Import = kw("import");
export const Only = kw("only");
export const As = kw("as");
export const Defaults = kw("defaults");
export const Principle = kw("principle");
export const Override = kw("override");
export const Drop = kw("drop");
export const Weight = kw("weight");
export const Tags = kw("tags");
export const Critique = kw("critique");
export const Revise = kw("revise");
export const Compare = kw("compare");
export const When = kw("when");
export const Example = kw("example");
export const Prompt = kw("prompt");
export const Response = kw("response");
export const Revision = kw("revision");
export const Rule = kw("rule");
export const On = kw("on");
export const Require = kw("require");
export const Prefer = kw("prefer");
export const Flag = kw("flag");
export const Rubric = kw("rubric");
export const Essential = kw("essential");
export const Important = kw("important");
export const Optional = kw("optional");
export const Pitfall = kw("pitfall");
/** `check EXPR` on a rubric criterion: a rule scores it, no judge is asked. */
export const Check = kw("check");
export const Template = kw("template");
export const FewShot = kw("few-shot");
export const User = kw("user");
export const Assistant = kw("assistant");
export const CritiqueRequest = kw("critique-request");
export const RevisionRequest = kw("revision-request");
export const Question = kw("question");
export const ResponseA = kw("response-a");
export const ResponseB = kw("response-b");
export const Answer = kw("answer");

export const Matches = kw("matches");
export const Contains = kw("contains");
export const Startswith = kw("startswith");
export const Endswith = kw("endswith");
export const In = kw("in");
export const And = kw("and");
export const Or = kw("or");
export const Not = kw("not");
export const True = kw("true");
export const False = kw("false");

export const TripleString = createToken({
  name: "TripleString",
  pattern: /"""[\s\S]*?"""/,
  line_breaks: true,
  categories: [StringLiteral, AnyToken],
});
/** Kept as a string token so the parser goes on; the lex stage reports `unterminated-string`. */
export const UnterminatedTripleString = createToken({
  name: "UnterminatedTripleString",
  pattern: /"""[\s\S]*/,
  line_breaks: true,
  categories: [StringLiteral, AnyToken],
});
export const SimpleString = createToken({
  name: "SimpleString",
  pattern: /"(?:[^"\\\n\r]|\\.)*"/,
  categories: [StringLiteral, AnyToken],
});
export const UnterminatedSimpleString = createToken({
  name: "UnterminatedSimpleString",
  pattern: /"(?:[^"\\\n\r]|\\.)*\\?/,
  categories: [StringLiteral, AnyToken],
});
export const Regex = createToken({
  name: "Regex",
  // There is no division in the language, so `/` always starts a regex. Classes may hold `/`.
  pattern: /\/(?:[^/\\\n\r[]|\\.|\[(?:[^\]\\\n\r]|\\.)*\])+\/[A-Za-z]*/,
  categories: [RegexLiteral, AnyToken],
});
export const UnterminatedRegex = createToken({
  name: "UnterminatedRegex",
  pattern: /\/[^\n\r]*/,
  categories: [RegexLiteral, AnyToken],
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /-?\d+(?:\.\d+)?/,
  categories: [AnyToken],
});

const punct = (name: string, pattern: RegExp, any = true): TokenType =>
  createToken({ name, pattern, categories: any ? [AnyToken] : [] });
export const LBrace = punct("LBrace", /\{/, false);
export const RBrace = punct("RBrace", /\}/, false);
export const LParen = punct("LParen", /\(/);
export const RParen = punct("RParen", /\)/);
export const LBracket = punct("LBracket", /\[/);
export const RBracket = punct("RBracket", /\]/);
export const Comma = punct("Comma", /,/);
export const EqualEqual = punct("EqualEqual", /==/);
export const NotEqual = punct("NotEqual", /!=/);
export const LessEqual = punct("LessEqual", /<=/);
export const GreaterEqual = punct("GreaterEqual", />=/);
export const Less = punct("Less", /</);
export const Greater = punct("Greater", />/);

const KEYWORDS: TokenType[] = [
  Charter,
  Version,
  About,
  Import,
  Only,
  As,
  Defaults,
  Principle,
  Override,
  Drop,
  Weight,
  Tags,
  Critique,
  Revise,
  Compare,
  When,
  Example,
  Prompt,
  Response,
  Revision,
  Rule,
  On,
  Require,
  Prefer,
  Flag,
  Rubric,
  Essential,
  Important,
  Optional,
  Pitfall,
  Check,
  Template,
  FewShot,
  User,
  Assistant,
  CritiqueRequest,
  RevisionRequest,
  Question,
  ResponseA,
  ResponseB,
  Answer,
  Matches,
  Contains,
  Startswith,
  Endswith,
  In,
  And,
  Or,
  Not,
  True,
  False,
];

/**
 * Every token type, the parser's vocabulary, in lexing order (longer operators first). Keywords
 * keep their pattern for the grammar's diagrams, but the lexer reads them as Identifiers (see
 * `charterLexer`); their order (longest first) is what it would be if it matched them itself.
 */
export const ALL_TOKENS: TokenType[] = [
  WhiteSpace,
  Comment,
  TripleString,
  UnterminatedTripleString,
  SimpleString,
  UnterminatedSimpleString,
  Regex,
  UnterminatedRegex,
  NumberLiteral,
  // Longest first, so `import` does not hide `important` (longer_alt then yields to Identifier).
  ...[...KEYWORDS].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  EqualEqual,
  NotEqual,
  LessEqual,
  GreaterEqual,
  Less,
  Greater,
  Name,
  ExprName,
  StringLiteral,
  RegexLiteral,
  AnyToken,
];

/** Keywords that start a top-level declaration. */
export const TOP_LEVEL_KEYWORDS: readonly TokenType[] = [
  Charter,
  About,
  Import,
  Defaults,
  Principle,
  Override,
  Drop,
  Rule,
  Rubric,
  Template,
  FewShot,
];

/**
 * What chevrotain's lexer matches: every token type with a pattern but the keywords. A word is an
 * Identifier, renamed to its keyword when spelt as one: the result `longer_alt` gave when each
 * keyword was a pattern of its own (`important` a keyword, `imports` a name), for a third of the
 * lexing time and of the lexer's construction.
 */
const LEXED_TOKENS = ALL_TOKENS.filter((type) => !SPELLING.has(type));

/**
 * chevrotain's lexer for the token set. Its validations of the set cost ~20 ms of every start-up
 * and change only with the tokens, so the shared lexer skips them and a test runs them
 * (`validate`: definition errors throw, warnings are in `lexerDefinitionWarning`).
 */
export function createCharterLexer(validate = false): InstanceType<typeof Lexer> {
  return new Lexer(LEXED_TOKENS, {
    positionTracking: "full",
    ensureOptimizations: false,
    skipValidations: !validate,
  });
}

/** Turns Identifier tokens spelt as keywords into those keywords, in place. */
function markKeywords(result: ILexingResult): ILexingResult {
  const identifier = Identifier.tokenTypeIdx;
  for (const token of result.tokens) {
    if (token.tokenTypeIdx !== identifier) continue;
    const keyword = KEYWORD_BY_SPELLING.get(token.image);
    if (keyword === undefined) continue;
    token.tokenType = keyword;
    token.tokenTypeIdx = keyword.tokenTypeIdx as number;
  }
  return result;
}

/** Lexes .charter text into tokens (keywords included), comments and lexing errors. */
export interface CharterLexer {
  tokenize(text: string): ILexingResult;
}

let sharedLexer: CharterLexer | undefined;

/** The one shared lexer, built on first use (a command that compiles no .charter text never does). */
export function charterLexer(): CharterLexer {
  if (sharedLexer === undefined) {
    const lexer = createCharterLexer();
    sharedLexer = { tokenize: (text) => markKeywords(lexer.tokenize(text)) };
  }
  return sharedLexer;
}

/** The keyword a token type stands for (`few-shot`), or undefined for other tokens. */
export function keywordSpelling(type: TokenType): string | undefined {
  return SPELLING.get(type);
}

/** How a token type is named in messages: `{`, `weight`, "a string". */
export function friendlyTokenName(type: TokenType): string {
  const spelling = SPELLING.get(type);
  if (spelling !== undefined) return `\`${spelling}\``;
  switch (type.name) {
    case "Name":
    case "Identifier":
      return "a name";
    case "ExprName":
      return "a field or function";
    case "StringLiteral":
    case "SimpleString":
    case "TripleString":
    case "UnterminatedSimpleString":
    case "UnterminatedTripleString":
      return "a string";
    case "RegexLiteral":
    case "Regex":
    case "UnterminatedRegex":
      return "a regex";
    case "NumberLiteral":
      return "a number";
    case "EOF":
      return "end of file";
    case "AnyToken":
      return "a token";
    default: {
      const pattern = type.PATTERN;
      return pattern instanceof RegExp ? `\`${pattern.source.replace(/\\/g, "")}\`` : type.name;
    }
  }
}

/** How an actual token is named in messages. */
export function describeToken(token: IToken): string {
  if (token.tokenType.name === "EOF") return "end of file";
  const image = token.image.length > 24 ? `${token.image.slice(0, 21)}...` : token.image;
  return `\`${image.replace(/\n/g, "\\n")}\``;
}
