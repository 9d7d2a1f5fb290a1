// The clean path of state `parsed`: a recursive-descent reading of parser.ts's grammar that builds
// build-ast.ts's FileAst straight from the text, for files with nothing to report. At the first
// thing that would be a diagnostic it declines (returns undefined) and the chevrotain path reads
// the file, which stays the authority for errors, recovery, tokens and the CST. Both paths give
// the same AST on every file this one accepts (test/dsl/clean-parser.test.ts and the fuzzer).

import type {
  CriterionNode,
  Declaration,
  DefaultEntry,
  ExampleBlock,
  ExampleField,
  ExampleFieldName,
  FewShotStages,
  FileAst,
  ImportDecl,
  NameNode,
  NumberNode,
  PrincipleDecl,
  PrincipleItem,
  RubricWhen,
  RuleItem,
  SourceRange,
} from "../ast.js";
import type { RubricLevel } from "../../constitution/compiled.js";
import { CleanExpressionParser } from "./clean-expression.js";
import { DECLINE, isName, type TokenKind } from "./clean-scanner.js";
import { KEYWORDS_BY_PLACE } from "./keywords.js";

// The fields an example block may hold: the same lists the chevrotain path's keyword fallbacks use.
const PRINCIPLE_EXAMPLE_FIELDS = new Set<TokenKind>(KEYWORDS_BY_PLACE.example);
const FEW_SHOT_EXAMPLE_FIELDS = new Set<TokenKind>(KEYWORDS_BY_PLACE.fewShotExample);

/**
 * The AST of a .charter file that lexes, parses and builds without a single diagnostic, or
 * undefined where the chevrotain path must read it (it would report something there).
 */
export function parseClean(text: string, file: string): FileAst | undefined {
  const parser = new CleanParser(text);
  try {
    const declarations = parser.file();
    return {
      file,
      format: "charter",
      declarations,
      comments: parser.comments,
      hasSyntaxErrors: false,
    };
  } catch (error) {
    if (error === DECLINE) return undefined;
    throw error;
  }
}

class CleanParser extends CleanExpressionParser {
  file(): Declaration[] {
    const declarations: Declaration[] = [];
    this.advance();
    while (this.kind !== "eof") declarations.push(this.declaration());
    return declarations;
  }

  private declaration(): Declaration {
    const start = this.startPosition();
    switch (this.kind) {
      case "charter": {
        this.advance();
        const name = this.textNode();
        this.expect("version");
        const version = this.textNode();
        return { kind: "header", name, version, range: this.rangeFrom(start) };
      }
      case "about": {
        this.advance();
        const text = this.textNode();
        return { kind: "about", text, range: this.rangeFrom(start) };
      }
      case "import":
        return this.importDecl();
      case "defaults":
        return this.defaultsDecl();
      case "override":
      case "principle":
        return this.principleDecl();
      case "drop": {
        this.advance();
        this.expect("principle");
        const id = this.name();
        return { kind: "drop", id, range: this.rangeFrom(start) };
      }
      case "rule":
        return this.ruleDecl();
      case "rubric":
        return this.rubricDecl();
      case "template": {
        this.advance();
        const name = this.name();
        const text = this.textNode();
        return { kind: "template", name, text, range: this.rangeFrom(start) };
      }
      case "few-shot":
        return this.fewShotDecl();
      default:
        // A misspelt keyword (`unknown-keyword`) or a syntax error.
        throw DECLINE;
    }
  }

  /** `NAME (, NAME)*` */
  private nameList(): NameNode[] {
    const names = [this.name()];
    while (this.kind === ",") {
      this.advance();
      names.push(this.name());
    }
    return names;
  }

  /** The range of the current token (a keyword), then moves past it. */
  private keyword(): SourceRange {
    const range = this.tokenRange();
    this.advance();
    return range;
  }

  private importDecl(): ImportDecl {
    const start = this.startPosition();
    this.advance();
    const path = this.textNode();
    let only: NameNode[] | undefined;
    let as: NameNode | undefined;
    if (this.kind === "only") {
      this.advance();
      only = this.nameList();
    }
    if (this.kind === "as") {
      this.advance();
      as = this.name();
    }
    const decl: { -readonly [K in keyof ImportDecl]: ImportDecl[K] } = {
      kind: "import",
      path,
      range: this.rangeFrom(start),
    };
    if (only !== undefined) decl.only = only;
    if (as !== undefined) decl.as = as;
    return decl;
  }

  private defaultsDecl(): Declaration {
    const start = this.startPosition();
    this.advance();
    this.expect("{");
    const entries: DefaultEntry[] = [];
    while (isName(this.kind)) {
      const key = this.name();
      const range = this.tokenRange();
      let value: DefaultEntry["value"];
      if (this.kind === "number") value = { value: Number(this.image()), written: "number", range };
      else if (this.kind === "true" || this.kind === "false")
        value = { value: this.kind === "true", written: "boolean", range };
      else if (isName(this.kind)) value = { value: this.image(), written: "name", range };
      else value = { value: this.textValue(), written: "string", range };
      this.advance();
      entries.push({ key, value, range: this.rangeFrom(key.range.start) });
    }
    this.expect("}");
    return { kind: "defaults", entries, range: this.rangeFrom(start) };
  }

  private principleDecl(): PrincipleDecl {
    const start = this.startPosition();
    const override = this.kind === "override";
    if (override) this.advance();
    this.expect("principle");
    const id = this.name();
    let weight: NumberNode | undefined;
    let tags: NameNode[] | undefined;
    const headerFields: { field: "weight" | "tags"; keyword: SourceRange }[] = [];
    for (;;) {
      if (this.kind === "weight") {
        headerFields.push({ field: "weight", keyword: this.keyword() });
        const number = this.number();
        weight ??= number;
      } else if (this.kind === "tags") {
        headerFields.push({ field: "tags", keyword: this.keyword() });
        const names = this.nameList();
        tags = tags === undefined ? names : [...tags, ...names];
      } else break;
    }
    this.expect("{");
    const items: PrincipleItem[] = [];
    while (this.kind !== "}") items.push(this.principleItem());
    this.advance();
    const decl: { -readonly [K in keyof PrincipleDecl]: PrincipleDecl[K] } = {
      kind: "principle",
      override,
      id,
    } as PrincipleDecl;
    if (weight !== undefined) decl.weight = weight;
    if (tags !== undefined) decl.tags = tags;
    decl.headerFields = headerFields;
    decl.items = items;
    decl.range = this.rangeFrom(start);
    decl.broken = false;
    return decl;
  }

  private principleItem(): PrincipleItem {
    const start = this.startPosition();
    const kind = this.kind;
    switch (kind) {
      case "critique":
      case "revise":
      case "compare": {
        const keyword = this.keyword();
        const text = this.textNode();
        return { kind, keyword, text, range: this.rangeFrom(start) };
      }
      case "when": {
        const keyword = this.keyword();
        const expr = this.topExpression();
        return { kind: "when", keyword, expr, range: this.rangeFrom(start) };
      }
      case "example":
        return this.exampleBlock(PRINCIPLE_EXAMPLE_FIELDS);
      default:
        throw DECLINE;
    }
  }

  private exampleBlock(allowed: ReadonlySet<TokenKind>): ExampleBlock {
    const start = this.startPosition();
    const keyword = this.keyword();
    this.expect("{");
    const fields: ExampleField[] = [];
    while (this.kind !== "}") {
      // A field of the other kind of example is `unknown-keyword` there.
      if (!allowed.has(this.kind)) throw DECLINE;
      const fieldStart = this.startPosition();
      const field = this.kind as ExampleFieldName;
      const fieldKeyword = this.keyword();
      const text = this.textNode();
      fields.push({ field, keyword: fieldKeyword, text, range: this.rangeFrom(fieldStart) });
    }
    this.advance();
    return { kind: "example", keyword, fields, range: this.rangeFrom(start) };
  }

  private fewShotDecl(): Declaration {
    const start = this.startPosition();
    this.advance();
    const id = this.name();
    this.expect("{");
    const on: FewShotStages[] = [];
    const examples: ExampleBlock[] = [];
    while (this.kind !== "}") {
      if (this.kind === "example") examples.push(this.exampleBlock(FEW_SHOT_EXAMPLE_FIELDS));
      else if (this.kind === "on") {
        const itemStart = this.startPosition();
        const keyword = this.keyword();
        const stages = this.nameList();
        on.push({ keyword, stages, range: this.rangeFrom(itemStart) });
      } else throw DECLINE;
    }
    this.advance();
    return { kind: "few-shot", id, on, examples, range: this.rangeFrom(start), broken: false };
  }

  private ruleDecl(): Declaration {
    const start = this.startPosition();
    this.advance();
    const id = this.name();
    this.expect("{");
    const items: RuleItem[] = [];
    while (this.kind !== "}") {
      const itemStart = this.startPosition();
      const kind = this.kind;
      if (kind === "on") {
        const keyword = this.keyword();
        const stage = this.name();
        items.push({ kind: "on", keyword, stage, range: this.rangeFrom(itemStart) });
      } else if (kind === "require" || kind === "prefer" || kind === "flag") {
        const keyword = this.keyword();
        const expr = this.topExpression();
        items.push({ kind: "check", check: kind, keyword, expr, range: this.rangeFrom(itemStart) });
      } else throw DECLINE;
    }
    this.advance();
    return { kind: "rule", id, items, range: this.rangeFrom(start), broken: false };
  }

  private rubricDecl(): Declaration {
    const start = this.startPosition();
    this.advance();
    const id = this.name();
    this.expect("{");
    const whens: RubricWhen[] = [];
    const criteria: CriterionNode[] = [];
    while (this.kind !== "}") {
      const itemStart = this.startPosition();
      const kind = this.kind;
      if (kind === "when") {
        const keyword = this.keyword();
        const expr = this.topExpression();
        whens.push({ keyword, expr, range: this.rangeFrom(itemStart) });
      } else if (
        kind === "essential" ||
        kind === "important" ||
        kind === "optional" ||
        kind === "pitfall"
      ) {
        criteria.push(this.criterion(kind));
      } else throw DECLINE;
    }
    this.advance();
    return { kind: "rubric", id, whens, criteria, range: this.rangeFrom(start), broken: false };
  }

  private criterion(level: RubricLevel): CriterionNode {
    const start = this.startPosition();
    const keyword = this.keyword();
    const text = this.textNode();
    let check: CriterionNode["check"];
    if (this.kind === "check") {
      const checkKeyword = this.keyword();
      check = { keyword: checkKeyword, expr: this.topExpression() };
    }
    this.expect("weight");
    const weight = this.number();
    return check === undefined
      ? { level, keyword, text, weight, range: this.rangeFrom(start) }
      : { level, keyword, text, weight, check, range: this.rangeFrom(start) };
  }
}
