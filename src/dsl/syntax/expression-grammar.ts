// The expression language's grammar (or < and < not < comparison/match operators < operands), the
// base of the .charter parser: rules, `when` and `check` use it, and YAML/JSON expression strings
// are parsed from `expressionEntry` alone.

import type { IOrAlt, IParserConfig } from "chevrotain";
import { CstParser, EOF } from "./chevrotain.js";
import * as T from "./lexer.js";

export class ExpressionGrammar extends CstParser {
  /**
   * Alternatives of each OR, built once: chevrotain calls a rule's body on every use, and fresh
   * arrays of closures per call were a large share of parse time (chevrotain's performance guide).
   * Declared before the rules so it exists when performSelfAnalysis first records them.
   */
  private readonly alternatives = new Map<string, IOrAlt<unknown>[]>();

  protected alts(key: string, build: () => IOrAlt<unknown>[]): IOrAlt<unknown>[] {
    let found = this.alternatives.get(key);
    if (found === undefined) {
      found = build();
      this.alternatives.set(key, found);
    }
    return found;
  }

  constructor(config: IParserConfig) {
    super(T.ALL_TOKENS, config);
  }

  expressionEntry = this.RULE("expressionEntry", () => {
    this.SUBRULE(this.expression);
    this.CONSUME(EOF);
  });

  expression = this.RULE("expression", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.Or, { LABEL: "operator" });
      this.SUBRULE2(this.andExpr, { LABEL: "operand" });
    });
  });

  andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operand" });
    this.MANY(() => {
      this.CONSUME(T.And, { LABEL: "operator" });
      this.SUBRULE2(this.notExpr, { LABEL: "operand" });
    });
  });

  notExpr = this.RULE("notExpr", () => {
    this.OR(
      this.alts("notExpr.OR", () => [
        {
          ALT: () => {
            this.CONSUME(T.Not);
            this.SUBRULE(this.notExpr, { LABEL: "operand" });
          },
        },
        { ALT: () => this.SUBRULE(this.comparison, { LABEL: "comparison" }) },
      ]),
    );
  });

  comparison = this.RULE("comparison", () => {
    this.SUBRULE(this.primary, { LABEL: "left" });
    this.OPTION(() => {
      this.OR(
        this.alts("comparison.OR", () => [
          { ALT: () => this.CONSUME(T.Matches, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.Contains, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.Startswith, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.Endswith, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.In, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.EqualEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.NotEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.LessEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.GreaterEqual, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.Less, { LABEL: "operator" }) },
          { ALT: () => this.CONSUME(T.Greater, { LABEL: "operator" }) },
        ]),
      );
      this.SUBRULE2(this.primary, { LABEL: "right" });
    });
  });

  primary = this.RULE("primary", () => {
    this.OR(
      this.alts("primary.OR", () => [
        { ALT: () => this.CONSUME(T.StringLiteral, { LABEL: "string" }) },
        { ALT: () => this.CONSUME(T.NumberLiteral, { LABEL: "number" }) },
        { ALT: () => this.CONSUME(T.True, { LABEL: "boolean" }) },
        { ALT: () => this.CONSUME(T.False, { LABEL: "boolean" }) },
        { ALT: () => this.CONSUME(T.RegexLiteral, { LABEL: "regex" }) },
        { ALT: () => this.SUBRULE(this.listLiteral, { LABEL: "list" }) },
        {
          ALT: () => {
            this.CONSUME(T.LParen);
            this.SUBRULE(this.expression, { LABEL: "inner" });
            this.CONSUME(T.RParen);
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.ExprName, { LABEL: "name" });
            this.OPTION(() => {
              this.CONSUME2(T.LParen, { LABEL: "call" });
              this.SUBRULE2(this.expression, { LABEL: "argument" });
              this.CONSUME2(T.RParen);
            });
          },
        },
      ]),
    );
  });

  listLiteral = this.RULE("listLiteral", () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.primary, { LABEL: "item" }) });
    this.CONSUME(T.RBracket);
  });
}
