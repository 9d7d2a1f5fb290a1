// State `parsed`, step 2 (parse): the chevrotain grammar of .charter files, producing a CST. One instance is built
// once (grammar analysis is the expensive part) and reused for every file, with recovery on. The
// declarations are here; the expression language they use is the base class (expression-grammar.ts).

import type {
  CstNode,
  IRecognitionException,
  IToken,
  TokenType,
  ISerializedGast,
} from "chevrotain";
import { ExpressionGrammar } from "./expression-grammar.js";
import * as T from "./lexer.js";
import { syntaxMessages } from "./syntax-messages.js";

const TOP_LEVEL = new Set<TokenType>(T.TOP_LEVEL_KEYWORDS);

class CharterParser extends ExpressionGrammar {
  constructor(validate: boolean) {
    super({
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      maxLookahead: 3,
      errorMessageProvider: syntaxMessages,
      // The grammar validations cost ~10 ms of every start-up and change only with the grammar:
      // the shared parser skips them, `validateGrammar` (run by a test) does them.
      skipValidations: !validate,
    });
    // After both classes' rules are recorded (field initialisers run before this body).
    this.performSelfAnalysis();
  }

  charterFile = this.RULE("charterFile", () => {
    this.MANY(() => this.SUBRULE(this.declaration));
  });

  declaration = this.RULE("declaration", () => {
    this.OR(
      this.alts("declaration.OR", () => [
        { ALT: () => this.SUBRULE(this.header) },
        { ALT: () => this.SUBRULE(this.about) },
        { ALT: () => this.SUBRULE(this.importDecl) },
        { ALT: () => this.SUBRULE(this.defaultsDecl) },
        { ALT: () => this.SUBRULE(this.principleDecl) },
        { ALT: () => this.SUBRULE(this.dropDecl) },
        { ALT: () => this.SUBRULE(this.ruleDecl) },
        { ALT: () => this.SUBRULE(this.rubricDecl) },
        { ALT: () => this.SUBRULE(this.templateDecl) },
        { ALT: () => this.SUBRULE(this.fewShotDecl) },
        { ALT: () => this.SUBRULE(this.unknownDecl) },
      ]),
    );
  });

  header = this.RULE("header", () => {
    this.CONSUME(T.Charter);
    this.CONSUME(T.StringLiteral, { LABEL: "name" });
    this.CONSUME(T.Version);
    this.CONSUME2(T.StringLiteral, { LABEL: "version" });
  });

  about = this.RULE("about", () => {
    this.CONSUME(T.About);
    this.CONSUME(T.StringLiteral, { LABEL: "text" });
  });

  importDecl = this.RULE("importDecl", () => {
    this.CONSUME(T.Import);
    this.CONSUME(T.StringLiteral, { LABEL: "path" });
    this.OPTION(() => {
      this.CONSUME(T.Only);
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => this.CONSUME(T.Name, { LABEL: "only" }),
      });
    });
    this.OPTION2(() => {
      this.CONSUME(T.As);
      this.CONSUME2(T.Name, { LABEL: "as" });
    });
  });

  defaultsDecl = this.RULE("defaultsDecl", () => {
    this.CONSUME(T.Defaults);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.defaultEntry));
    this.CONSUME(T.RBrace);
  });

  defaultEntry = this.RULE("defaultEntry", () => {
    this.CONSUME(T.Name, { LABEL: "key" });
    this.OR(
      this.alts("defaultEntry.OR", () => [
        { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "value" }) },
        { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: "value" }) },
        { ALT: () => this.CONSUME(T.True, { LABEL: "value" }) },
        { ALT: () => this.CONSUME(T.False, { LABEL: "value" }) },
        { ALT: () => this.CONSUME2(T.Name, { LABEL: "value" }) },
      ]),
    );
  });

  principleDecl = this.RULE("principleDecl", () => {
    this.OPTION(() => this.CONSUME(T.Override));
    this.CONSUME(T.Principle);
    this.CONSUME(T.Name, { LABEL: "id" });
    this.MANY(() => {
      this.OR(
        this.alts("principleDecl.OR", () => [
          {
            ALT: () => {
              this.CONSUME(T.Weight);
              this.CONSUME(T.NumberLiteral, { LABEL: "weight" });
            },
          },
          {
            ALT: () => {
              this.CONSUME(T.Tags);
              this.AT_LEAST_ONE_SEP({
                SEP: T.Comma,
                DEF: () => this.CONSUME2(T.Name, { LABEL: "tag" }),
              });
            },
          },
        ]),
      );
    });
    this.CONSUME(T.LBrace);
    this.MANY2(() => this.SUBRULE(this.principleItem));
    this.CONSUME(T.RBrace);
  });

  principleItem = this.RULE("principleItem", () => {
    this.OR(
      this.alts("principleItem.OR", () => [
        {
          ALT: () => {
            this.OR2(
              this.alts("principleItem.OR2", () => [
                { ALT: () => this.CONSUME(T.Critique, { LABEL: "field" }) },
                { ALT: () => this.CONSUME(T.Revise, { LABEL: "field" }) },
                { ALT: () => this.CONSUME(T.Compare, { LABEL: "field" }) },
                { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unknown" }) },
              ]),
            );
            this.CONSUME(T.StringLiteral, { LABEL: "text" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.When);
            this.SUBRULE(this.expression);
          },
        },
        { ALT: () => this.SUBRULE(this.exampleBlock) },
      ]),
    );
  });

  exampleBlock = this.RULE("exampleBlock", () => {
    this.CONSUME(T.Example);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.exampleField));
    this.CONSUME(T.RBrace);
  });

  exampleField = this.RULE("exampleField", () => {
    this.OR(
      this.alts("exampleField.OR", () => [
        { ALT: () => this.CONSUME(T.Prompt, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Response, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Critique, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Revision, { LABEL: "field" }) },
        // Fields of few-shot examples; a principle's example reports them as out of place.
        { ALT: () => this.CONSUME(T.User, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Assistant, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.CritiqueRequest, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.RevisionRequest, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Question, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.ResponseA, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.ResponseB, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Answer, { LABEL: "field" }) },
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unknown" }) },
      ]),
    );
    this.CONSUME(T.StringLiteral, { LABEL: "text" });
  });

  /** A constitution-wide set of few-shot examples: `few-shot ID { on STAGE, ... example { } }`. */
  fewShotDecl = this.RULE("fewShotDecl", () => {
    this.CONSUME(T.FewShot);
    this.CONSUME(T.Name, { LABEL: "id" });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.fewShotItem));
    this.CONSUME(T.RBrace);
  });

  fewShotItem = this.RULE("fewShotItem", () => {
    this.OR(
      this.alts("fewShotItem.OR", () => [
        {
          ALT: () => {
            this.CONSUME(T.On);
            this.AT_LEAST_ONE_SEP({
              SEP: T.Comma,
              DEF: () => this.CONSUME(T.Name, { LABEL: "stage" }),
            });
          },
        },
        { ALT: () => this.SUBRULE(this.exampleBlock) },
        {
          ALT: () => {
            // A misspelt keyword, skipped with its string or block.
            this.CONSUME(T.Identifier, { LABEL: "unknown" });
            this.OPTION(() =>
              this.OR2(
                this.alts("fewShotItem.OR2", () => [
                  { ALT: () => this.CONSUME(T.StringLiteral) },
                  { ALT: () => this.SUBRULE(this.skippedBlock) },
                ]),
              ),
            );
          },
        },
      ]),
    );
  });

  dropDecl = this.RULE("dropDecl", () => {
    this.CONSUME(T.Drop);
    this.CONSUME(T.Principle);
    this.CONSUME(T.Name, { LABEL: "id" });
  });

  ruleDecl = this.RULE("ruleDecl", () => {
    this.CONSUME(T.Rule);
    this.CONSUME(T.Name, { LABEL: "id" });
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.ruleItem));
    this.CONSUME(T.RBrace);
  });

  ruleItem = this.RULE("ruleItem", () => {
    this.OR(
      this.alts("ruleItem.OR", () => [
        {
          ALT: () => {
            this.CONSUME(T.On);
            this.CONSUME(T.Name, { LABEL: "stage" });
          },
        },
        {
          ALT: () => {
            this.OR2(
              this.alts("ruleItem.OR2", () => [
                { ALT: () => this.CONSUME(T.Require, { LABEL: "check" }) },
                { ALT: () => this.CONSUME(T.Prefer, { LABEL: "check" }) },
                { ALT: () => this.CONSUME(T.Flag, { LABEL: "check" }) },
              ]),
            );
            this.SUBRULE(this.expression);
          },
        },
        {
          // A misspelt keyword: reported as `unknown-keyword` with a suggestion, and skipped.
          ALT: () => {
            this.CONSUME(T.Identifier, { LABEL: "unknown" });
            this.OPTION(() => this.SUBRULE2(this.expression));
          },
        },
      ]),
    );
  });

  rubricDecl = this.RULE("rubricDecl", () => {
    this.CONSUME(T.Rubric);
    this.CONSUME(T.Name, { LABEL: "id" });
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR(
        this.alts("rubricDecl.OR", () => [
          { ALT: () => this.SUBRULE(this.rubricWhen) },
          { ALT: () => this.SUBRULE(this.criterion) },
        ]),
      );
    });
    this.CONSUME(T.RBrace);
  });

  /** Which rows the rubric is for, when neither the row nor `--rubric` names one. */
  rubricWhen = this.RULE("rubricWhen", () => {
    this.CONSUME(T.When);
    this.SUBRULE(this.expression);
  });

  criterion = this.RULE("criterion", () => {
    this.OR(
      this.alts("criterion.OR", () => [
        { ALT: () => this.CONSUME(T.Essential, { LABEL: "level" }) },
        { ALT: () => this.CONSUME(T.Important, { LABEL: "level" }) },
        { ALT: () => this.CONSUME(T.Optional, { LABEL: "level" }) },
        { ALT: () => this.CONSUME(T.Pitfall, { LABEL: "level" }) },
        { ALT: () => this.CONSUME(T.Identifier, { LABEL: "unknown" }) },
      ]),
    );
    this.CONSUME(T.StringLiteral, { LABEL: "text" });
    // A rule expression instead of a question to the judge: scored 1 or 0, no model call.
    this.OPTION(() => {
      this.CONSUME(T.Check);
      this.SUBRULE(this.expression);
    });
    this.CONSUME(T.Weight);
    this.CONSUME(T.NumberLiteral, { LABEL: "weight" });
  });

  templateDecl = this.RULE("templateDecl", () => {
    this.CONSUME(T.Template);
    this.CONSUME(T.Name, { LABEL: "name" });
    this.CONSUME(T.StringLiteral, { LABEL: "text" });
  });

  /** A misspelt top-level keyword (`principel x { }`): skipped whole, reported once. */
  unknownDecl = this.RULE("unknownDecl", () => {
    this.CONSUME(T.Identifier, { LABEL: "unknown" });
    this.MANY({
      GATE: () => !TOP_LEVEL.has(this.LA(1).tokenType),
      DEF: () => this.CONSUME(T.AnyToken),
    });
    this.OPTION(() => this.SUBRULE(this.skippedBlock));
  });

  skippedBlock = this.RULE("skippedBlock", () => {
    this.CONSUME(T.LBrace);
    this.MANY(() => {
      this.OR(
        this.alts("skippedBlock.OR", () => [
          { ALT: () => this.CONSUME(T.AnyToken) },
          { ALT: () => this.SUBRULE(this.skippedBlock) },
        ]),
      );
    });
    this.CONSUME(T.RBrace);
  });
}

let sharedParser: CharterParser | undefined;

/** The one parser instance, built on first use (building it analyses the grammar; do that once). */
function charterParser(): CharterParser {
  return (sharedParser ??= new CharterParser(false));
}

/** Builds a parser with chevrotain's grammar validations on: throws on a grammar definition error. */
export function validateGrammar(): void {
  new CharterParser(true);
}

export type CharterEntryRule = "charterFile" | "expressionEntry";

export interface ParseResult {
  readonly cst: CstNode;
  readonly errors: readonly IRecognitionException[];
}

/** Parses a token vector from `charterLexer` starting at `entry`. Never throws on bad input. */
export function parseTokens(
  tokens: IToken[],
  entry: CharterEntryRule = "charterFile",
): ParseResult {
  const parser = charterParser();
  parser.input = tokens;
  const cst = entry === "charterFile" ? parser.charterFile() : parser.expressionEntry();
  return { cst, errors: [...parser.errors] };
}

/**
 * The token types that may come after `preceding` (the tokens before an editor's cursor), by
 * chevrotain's content assist: what a completion offers. Empty when `preceding` does not parse.
 */
export function nextTokenTypes(preceding: IToken[]): TokenType[] {
  return charterParser()
    .computeContentAssist("charterFile", preceding)
    .map((suggestion) => suggestion.nextTokenType);
}

/** The grammar as chevrotain's serialized GAST, for generating railroad diagrams and EBNF. */
export function serializedGrammar(): ISerializedGast[] {
  // Rules are recorded base class first; people read the grammar from the file down.
  const productions = charterParser().getSerializedGastProductions();
  const file = productions.findIndex(
    (production) => "name" in production && production.name === "charterFile",
  );
  return [...productions.slice(file), ...productions.slice(0, file)];
}
