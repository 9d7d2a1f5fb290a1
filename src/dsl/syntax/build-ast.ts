// Stage 3 (build AST): turns the chevrotain CST into the typed AST of ast.ts, reporting what only
// this stage can see (misspelt keywords caught by the grammar's fallbacks, bad string escapes).

import type { CstNode, IToken } from "chevrotain";
import type {
  CriterionNode,
  Declaration,
  DefaultEntry,
  ExampleBlock,
  ExampleField,
  ExampleFieldName,
  FewShotStages,
  ExprNode,
  NameNode,
  NumberNode,
  PrincipleDecl,
  PrincipleItem,
  RubricWhen,
  RuleItem,
  SourceRange,
  TextNode,
} from "../ast.js";
import type { ExprBinaryOp, RubricLevel } from "../../constitution/compiled.js";
import {
  containsRecovery,
  nodeOf,
  nodeRange,
  nodesOf,
  spanRange,
  tokenOf,
  tokenRange,
  tokensOf,
} from "./cst-access.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";
import { dedentBlock, unescapeString } from "./strings.js";
import { joinExpected } from "./syntax-messages.js";

/** Keywords that may stand where a misspelt one was found, per place. */
export const KEYWORDS_BY_PLACE = {
  declaration: [
    "charter",
    "about",
    "import",
    "defaults",
    "principle",
    "override",
    "drop",
    "rule",
    "rubric",
    "template",
    "few-shot",
  ],
  principle: ["critique", "revise", "compare", "when", "example"],
  principleHeader: ["weight", "tags"],
  example: ["prompt", "response", "critique", "revision"],
  fewShot: ["on", "example"],
  fewShotExample: [
    "user",
    "assistant",
    "critique-request",
    "critique",
    "revision-request",
    "revision",
    "question",
    "response-a",
    "response-b",
    "answer",
  ],
  rule: ["on", "require", "prefer", "flag"],
  rubric: ["essential", "important", "optional", "pitfall", "when"],
} as const;

export type KeywordPlace = keyof typeof KEYWORDS_BY_PLACE;

const PLACE_NAMES: Record<KeywordPlace, string> = {
  declaration: "at the top level",
  principle: "in a principle",
  principleHeader: "after a principle id",
  example: "in an example",
  fewShot: "in a few-shot set",
  fewShotExample: "in a few-shot example",
  rule: "in a rule",
  rubric: "in a rubric",
};

const OPERATORS: Readonly<Record<string, ExprBinaryOp>> = {
  matches: "matches",
  contains: "contains",
  startswith: "startswith",
  endswith: "endswith",
  in: "in",
  "==": "==",
  "!=": "!=",
  "<": "<",
  "<=": "<=",
  ">": ">",
  ">=": ">=",
};

/** The diagnostic for a word found where one of the place's keywords belongs. */
export function unknownKeyword(
  word: string,
  place: KeywordPlace,
  range: SourceRange,
  file: string,
): Diagnostic {
  const candidates = KEYWORDS_BY_PLACE[place];
  const suggestion = didYouMean(word, candidates);
  const expected = joinExpected(candidates.map((keyword) => `\`${keyword}\``));
  return diagnostic(
    "unknown-keyword",
    `unknown keyword \`${word}\` ${PLACE_NAMES[place]}`,
    { file, ...range },
    suggestion === undefined ? { expected } : { expected, suggestion },
  );
}

/** Deepest expression tree later stages are asked to walk. */
export const MAX_EXPRESSION_DEPTH = 256;

/** Depth of an expression tree, measured without recursion. */
function expressionDepth(root: ExprNode): number {
  let deepest = 0;
  const stack: [ExprNode, number][] = [[root, 1]];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const [expr, depth] = entry;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_EXPRESSION_DEPTH) return deepest;
    switch (expr.kind) {
      case "binary":
        stack.push([expr.left, depth + 1], [expr.right, depth + 1]);
        break;
      case "not":
        stack.push([expr.operand, depth + 1]);
        break;
      case "call":
        stack.push([expr.arg, depth + 1]);
        break;
      case "list":
        for (const item of expr.items) stack.push([item, depth + 1]);
        break;
      default:
        break;
    }
  }
  return deepest;
}

/** Builds AST nodes from one file's CST, collecting diagnostics. */
export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
    /** Offsets of lexical and syntax errors, sorted: a declaration holding one is `broken`. */
    private readonly problems: readonly number[] = [],
  ) {}

  /**
   * Whether checks should skip a declaration: recovery touched it, a lexical or syntax error lies
   * inside it, or building it reported something (a misspelt keyword, a bad escape), since
   * checking what is left would report consequences of that one mistake.
   */
  private isBroken(node: CstNode, range: SourceRange, diagnosticsBefore: number): boolean {
    if (this.diagnostics.length > diagnosticsBefore) return true;
    // Strictly inside: an error at a declaration's first token belongs to the one before it
    // (chevrotain reports a missing `}` at the next declaration's keyword).
    const inside = this.problems.some(
      (offset) => offset > range.start.offset && offset < range.end.offset,
    );
    return inside || (this.problems.length > 0 && containsRecovery(node));
  }

  declarations(root: CstNode): Declaration[] {
    const result: Declaration[] = [];
    for (const declaration of nodesOf(root, "declaration")) {
      const built = this.declaration(declaration);
      if (built !== undefined) result.push(built);
    }
    return result;
  }

  private declaration(node: CstNode): Declaration | undefined {
    const [key, children] = Object.entries(node.children)[0] ?? [];
    const child = children?.[0];
    if (key === undefined || child === undefined || "image" in child) return undefined;
    switch (key) {
      case "header":
        return this.header(child);
      case "about": {
        const text = this.textOf(tokenOf(child, "text"));
        const range = nodeRange(child);
        return text && range ? { kind: "about", text, range } : undefined;
      }
      case "importDecl":
        return this.importDecl(child);
      case "defaultsDecl":
        return this.defaultsDecl(child);
      case "principleDecl":
        return this.principleDecl(child);
      case "dropDecl": {
        const id = this.name(tokenOf(child, "id"));
        const range = nodeRange(child);
        return id && range ? { kind: "drop", id, range } : undefined;
      }
      case "ruleDecl":
        return this.ruleDecl(child);
      case "rubricDecl":
        return this.rubricDecl(child);
      case "fewShotDecl":
        return this.fewShotDecl(child);
      case "templateDecl": {
        const name = this.name(tokenOf(child, "name"));
        const text = this.textOf(tokenOf(child, "text"));
        const range = nodeRange(child);
        return name && text && range ? { kind: "template", name, text, range } : undefined;
      }
      case "unknownDecl": {
        const word = tokenOf(child, "unknown");
        if (word !== undefined) this.unknown(word, "declaration");
        return undefined;
      }
      default:
        return undefined;
    }
  }

  private header(node: CstNode): Declaration | undefined {
    const name = this.textOf(tokenOf(node, "name"));
    const version = this.textOf(tokenOf(node, "version"));
    const range = nodeRange(node);
    if (name === undefined || version === undefined || range === undefined) return undefined;
    return { kind: "header", name, version, range };
  }

  private importDecl(node: CstNode): Declaration | undefined {
    const path = this.textOf(tokenOf(node, "path"));
    const range = nodeRange(node);
    if (path === undefined || range === undefined) return undefined;
    const onlyTokens = tokensOf(node, "only");
    const asName = this.name(tokenOf(node, "as"));
    return {
      kind: "import",
      path,
      range,
      ...(onlyTokens.length > 0 ? { only: this.names(onlyTokens) } : {}),
      ...(asName ? { as: asName } : {}),
    };
  }

  private defaultsDecl(node: CstNode): Declaration | undefined {
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const entries: DefaultEntry[] = [];
    for (const entry of nodesOf(node, "defaultEntry")) {
      const key = this.name(tokenOf(entry, "key"));
      const valueToken = tokenOf(entry, "value");
      const entryRange = nodeRange(entry);
      if (key === undefined || valueToken === undefined || entryRange === undefined) continue;
      const valueRange = tokenRange(valueToken);
      const type = valueToken.tokenType.name;
      let value: DefaultEntry["value"];
      if (type === "NumberLiteral") {
        value = { value: Number(valueToken.image), written: "number", range: valueRange };
      } else if (type === "True" || type === "False") {
        value = { value: type === "True", written: "boolean", range: valueRange };
      } else if (type === "Identifier" || !this.isStringToken(valueToken)) {
        value = { value: valueToken.image, written: "name", range: valueRange };
      } else {
        const text = this.textOf(valueToken);
        if (text === undefined) continue;
        value = { value: text.value, written: "string", range: valueRange };
      }
      entries.push({ key, value, range: entryRange });
    }
    return { kind: "defaults", entries, range };
  }

  private principleDecl(node: CstNode): PrincipleDecl | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const weightToken = tokenOf(node, "weight");
    const tagTokens = tokensOf(node, "tag");
    const headerFields: { field: "weight" | "tags"; keyword: SourceRange }[] = [
      ...tokensOf(node, "Weight").map((token) => ({
        field: "weight" as const,
        keyword: tokenRange(token),
      })),
      ...tokensOf(node, "Tags").map((token) => ({
        field: "tags" as const,
        keyword: tokenRange(token),
      })),
    ].sort((a, b) => a.keyword.start.offset - b.keyword.start.offset);
    const items: PrincipleItem[] = [];
    for (const item of nodesOf(node, "principleItem")) {
      const built = this.principleItem(item);
      if (built !== undefined) items.push(built);
    }
    return {
      kind: "principle",
      override: tokenOf(node, "Override") !== undefined,
      id,
      ...(weightToken ? { weight: this.number(weightToken) } : {}),
      ...(tagTokens.length > 0 ? { tags: this.names(tagTokens) } : {}),
      headerFields,
      items,
      range,
      broken: this.isBroken(node, range, before),
    };
  }

  private principleItem(node: CstNode): PrincipleItem | undefined {
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const example = nodeOf(node, "exampleBlock");
    if (example !== undefined) return this.exampleBlock(example);
    const when = tokenOf(node, "When");
    if (when !== undefined) {
      const exprNode = nodeOf(node, "expression");
      const expr = exprNode && this.topExpression(exprNode);
      return expr ? { kind: "when", keyword: tokenRange(when), expr, range } : undefined;
    }
    const unknown = tokenOf(node, "unknown");
    if (unknown !== undefined) {
      this.unknown(unknown, "principle");
      return undefined;
    }
    const field = tokenOf(node, "field");
    const text = this.textOf(tokenOf(node, "text"));
    if (field === undefined || text === undefined) return undefined;
    const kind = field.image as "critique" | "revise" | "compare";
    return { kind, keyword: tokenRange(field), text, range };
  }

  private fewShotDecl(node: CstNode): Declaration | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const on: FewShotStages[] = [];
    const examples: ExampleBlock[] = [];
    for (const item of nodesOf(node, "fewShotItem")) {
      const itemRange = nodeRange(item);
      const unknown = tokenOf(item, "unknown");
      const keyword = tokenOf(item, "On");
      const example = nodeOf(item, "exampleBlock");
      if (unknown !== undefined) this.unknown(unknown, "fewShot");
      else if (keyword !== undefined && itemRange !== undefined) {
        on.push({
          keyword: tokenRange(keyword),
          stages: this.names(tokensOf(item, "stage")),
          range: itemRange,
        });
      } else if (example !== undefined) {
        const built = this.exampleBlock(example, "fewShotExample");
        if (built !== undefined) examples.push(built);
      }
    }
    return {
      kind: "few-shot",
      id,
      on,
      examples,
      range,
      broken: this.isBroken(node, range, before),
    };
  }

  private exampleBlock(
    node: CstNode,
    place: "example" | "fewShotExample" = "example",
  ): ExampleBlock | undefined {
    const range = nodeRange(node);
    const keyword = tokenOf(node, "Example");
    if (range === undefined || keyword === undefined) return undefined;
    const allowed: readonly string[] = KEYWORDS_BY_PLACE[place];
    const fields: ExampleField[] = [];
    for (const fieldNode of nodesOf(node, "exampleField")) {
      const unknown = tokenOf(fieldNode, "unknown");
      const written = unknown ?? tokenOf(fieldNode, "field");
      if (unknown !== undefined || (written !== undefined && !allowed.includes(written.image))) {
        if (written !== undefined) this.unknown(written, place);
        continue;
      }
      const field = tokenOf(fieldNode, "field");
      const text = this.textOf(tokenOf(fieldNode, "text"));
      const fieldRange = nodeRange(fieldNode);
      if (field === undefined || text === undefined || fieldRange === undefined) continue;
      fields.push({
        field: field.image as ExampleFieldName,
        keyword: tokenRange(field),
        text,
        range: fieldRange,
      });
    }
    return { kind: "example", keyword: tokenRange(keyword), fields, range };
  }

  private ruleDecl(node: CstNode): Declaration | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const items: RuleItem[] = [];
    for (const item of nodesOf(node, "ruleItem")) {
      const itemRange = nodeRange(item);
      if (itemRange === undefined) continue;
      const unknown = tokenOf(item, "unknown");
      const on = tokenOf(item, "On");
      const check = tokenOf(item, "check");
      if (unknown !== undefined) {
        this.unknown(unknown, "rule");
      } else if (on !== undefined) {
        const stage = this.name(tokenOf(item, "stage"));
        if (stage) items.push({ kind: "on", keyword: tokenRange(on), stage, range: itemRange });
      } else if (check !== undefined) {
        const exprNode = nodeOf(item, "expression");
        const expr = exprNode && this.topExpression(exprNode);
        if (expr) {
          items.push({
            kind: "check",
            check: check.image as "require" | "prefer" | "flag",
            keyword: tokenRange(check),
            expr,
            range: itemRange,
          });
        }
      }
    }
    return { kind: "rule", id, items, range, broken: this.isBroken(node, range, before) };
  }

  private rubricDecl(node: CstNode): Declaration | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const whens: RubricWhen[] = [];
    for (const whenNode of nodesOf(node, "rubricWhen")) {
      const keyword = tokenOf(whenNode, "When");
      const exprNode = nodeOf(whenNode, "expression");
      const expr = exprNode && this.topExpression(exprNode);
      const whenRange = nodeRange(whenNode);
      if (keyword && expr && whenRange)
        whens.push({ keyword: tokenRange(keyword), expr, range: whenRange });
    }
    const criteria: CriterionNode[] = [];
    for (const criterion of nodesOf(node, "criterion")) {
      const unknown = tokenOf(criterion, "unknown");
      if (unknown !== undefined) {
        this.unknown(unknown, "rubric");
        continue;
      }
      const level = tokenOf(criterion, "level");
      const text = this.textOf(tokenOf(criterion, "text"));
      const weight = tokenOf(criterion, "weight");
      const criterionRange = nodeRange(criterion);
      if (!level || !text || !weight || !criterionRange) continue;
      const checkKeyword = tokenOf(criterion, "Check");
      const checkNode = nodeOf(criterion, "expression");
      const check = checkNode && this.topExpression(checkNode);
      if (checkKeyword !== undefined && check === undefined) continue;
      criteria.push({
        level: level.image as RubricLevel,
        keyword: tokenRange(level),
        text,
        weight: this.number(weight),
        ...(checkKeyword && check
          ? { check: { keyword: tokenRange(checkKeyword), expr: check } }
          : {}),
        range: criterionRange,
      });
    }
    return {
      kind: "rubric",
      id,
      whens,
      criteria,
      range,
      broken: this.isBroken(node, range, before),
    };
  }

  /**
   * Builds a whole expression. Operator chains become left-deep trees, so a very long chain is
   * refused like deep brackets: every later stage walks expressions recursively.
   */
  topExpression(node: CstNode): ExprNode | undefined {
    const expr = this.expression(node);
    if (expr === undefined || expressionDepth(expr) <= MAX_EXPRESSION_DEPTH) return expr;
    this.diagnostics.push(
      diagnostic(
        "nesting-too-deep",
        `expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels; split it into several checks`,
        { file: this.file, ...expr.range },
      ),
    );
    return undefined;
  }

  /** Builds an expression subtree; undefined where recovery left a hole. */
  private expression(node: CstNode): ExprNode | undefined {
    switch (node.name) {
      case "expression":
      case "andExpr": {
        const op: ExprBinaryOp = node.name === "expression" ? "or" : "and";
        const operands = nodesOf(node, "operand").map((operand) => this.expression(operand));
        const operators = tokensOf(node, "operator");
        let result = operands[0];
        for (let index = 1; index < operands.length; index++) {
          const right = operands[index];
          const operator = operators[index - 1];
          if (result === undefined || right === undefined || operator === undefined)
            return undefined;
          result = {
            kind: "binary",
            op,
            opRange: tokenRange(operator),
            left: result,
            right,
            range: spanRange(result.range, right.range),
          };
        }
        return result;
      }
      case "notExpr": {
        const not = tokenOf(node, "Not");
        const inner = nodeOf(node, not ? "operand" : "comparison");
        const operand = inner && this.expression(inner);
        if (operand === undefined) return undefined;
        if (!not) return operand;
        return { kind: "not", operand, range: spanRange(tokenRange(not), operand.range) };
      }
      case "comparison": {
        const leftNode = nodeOf(node, "left");
        const left = leftNode && this.expression(leftNode);
        const operator = tokenOf(node, "operator");
        if (left === undefined || operator === undefined) return left;
        const rightNode = nodeOf(node, "right");
        const right = rightNode && this.expression(rightNode);
        const op = OPERATORS[operator.image];
        if (right === undefined || op === undefined) return undefined;
        return {
          kind: "binary",
          op,
          opRange: tokenRange(operator),
          left,
          right,
          range: spanRange(left.range, right.range),
        };
      }
      case "primary":
        return this.primary(node);
      case "listLiteral": {
        const range = nodeRange(node);
        if (range === undefined) return undefined;
        const items: ExprNode[] = [];
        for (const item of nodesOf(node, "item")) {
          const built = this.expression(item);
          if (built === undefined) return undefined;
          items.push(built);
        }
        return { kind: "list", items, range };
      }
      default:
        return undefined;
    }
  }

  private primary(node: CstNode): ExprNode | undefined {
    const range = nodeRange(node);
    if (range === undefined) return undefined;
    const string = tokenOf(node, "string");
    if (string !== undefined) {
      const text = this.textOf(string);
      return text && { kind: "string", value: text.value, range };
    }
    const number = tokenOf(node, "number");
    if (number !== undefined) return { kind: "number", value: Number(number.image), range };
    const boolean = tokenOf(node, "boolean");
    if (boolean !== undefined) return { kind: "boolean", value: boolean.image === "true", range };
    const regex = tokenOf(node, "regex");
    if (regex !== undefined) {
      const closed = regex.tokenType.name === "Regex";
      const end = closed ? regex.image.lastIndexOf("/") : regex.image.length;
      return {
        kind: "regex",
        source: regex.image.slice(1, end),
        flags: closed ? regex.image.slice(end + 1) : "",
        range,
      };
    }
    const list = nodeOf(node, "list");
    if (list !== undefined) return this.expression(list);
    const inner = nodeOf(node, "inner");
    if (inner !== undefined) {
      const built = this.expression(inner);
      // Keep the parentheses in the range, so carets cover what was written.
      return built && ({ ...built, range } as ExprNode);
    }
    const name = tokenOf(node, "name");
    if (name === undefined) return undefined;
    if (tokensOf(node, "call").length > 0) {
      const argumentNode = nodeOf(node, "argument");
      const arg = argumentNode && this.expression(argumentNode);
      const fn = this.name(name);
      return arg && fn && { kind: "call", fn, arg, range };
    }
    return { kind: "name", name: name.image, range };
  }

  private unknown(token: IToken, place: KeywordPlace): void {
    this.diagnostics.push(unknownKeyword(token.image, place, tokenRange(token), this.file));
  }

  private name(token: IToken | undefined): NameNode | undefined {
    return token === undefined ? undefined : { name: token.image, range: tokenRange(token) };
  }

  private names(tokens: IToken[]): NameNode[] {
    return tokens.map((token) => ({ name: token.image, range: tokenRange(token) }));
  }

  private number(token: IToken): NumberNode {
    return { value: Number(token.image), range: tokenRange(token) };
  }

  private isStringToken(token: IToken): boolean {
    return token.tokenType.name.endsWith("String");
  }

  /** The value of a string token (`"..."` unescaped, `"""` dedented). */
  private textOf(token: IToken | undefined): TextNode | undefined {
    if (token === undefined || !this.isStringToken(token)) return undefined;
    const range = tokenRange(token);
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
                start: { line, column: startColumn, offset: start },
                end: {
                  line,
                  column: startColumn + result.escape.length,
                  offset: start + result.escape.length,
                },
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
