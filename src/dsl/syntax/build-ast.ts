// State `parsed`, step 3 (build AST): turns the chevrotain CST into the typed AST of ast.ts, reporting what only
// this stage can see (misspelt keywords caught by the grammar's fallbacks, bad string escapes).
// Declarations here; expressions in build-expression.ts, names and strings in build-nodes.ts.

import type { CstNode } from "chevrotain";
import type {
  CriterionNode,
  Declaration,
  DefaultEntry,
  ExampleBlock,
  ExampleField,
  ExampleFieldName,
  FewShotStages,
  PrincipleDecl,
  PrincipleItem,
  RubricWhen,
  RuleItem,
  SourceRange,
} from "../ast.js";
import type { RubricLevel } from "../../constitution/compiled.js";
import { ExpressionBuilder } from "./build-expression.js";
import { containsRecovery, nodeOf, nodesOf, tokenOf, tokensOf } from "./cst-access.js";

import { KEYWORDS_BY_PLACE } from "./keywords.js";

/** Builds AST nodes from one file's CST, collecting diagnostics. */
export class AstBuilder extends ExpressionBuilder {
  constructor(
    file: string,
    text: string,
    /** Offsets of lexical and syntax errors, sorted: a declaration holding one is `broken`. */
    private readonly problems: readonly number[] = [],
  ) {
    super(file, text);
  }

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
    let key: string | undefined;
    for (key in node.children) break;
    const child = key === undefined ? undefined : node.children[key]?.[0];
    if (key === undefined || child === undefined || "image" in child) return undefined;
    switch (key) {
      case "header":
        return this.header(child);
      case "about": {
        const text = this.textOf(tokenOf(child, "text"));
        const range = this.nodeRange(child);
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
        const range = this.nodeRange(child);
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
        const range = this.nodeRange(child);
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
    const range = this.nodeRange(node);
    if (name === undefined || version === undefined || range === undefined) return undefined;
    return { kind: "header", name, version, range };
  }

  private importDecl(node: CstNode): Declaration | undefined {
    const path = this.textOf(tokenOf(node, "path"));
    const range = this.nodeRange(node);
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
    const range = this.nodeRange(node);
    if (range === undefined) return undefined;
    const entries: DefaultEntry[] = [];
    for (const entry of nodesOf(node, "defaultEntry")) {
      const key = this.name(tokenOf(entry, "key"));
      const valueToken = tokenOf(entry, "value");
      const entryRange = this.nodeRange(entry);
      if (key === undefined || valueToken === undefined || entryRange === undefined) continue;
      const valueRange = this.tokenRange(valueToken);
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
    const range = this.nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const weightToken = tokenOf(node, "weight");
    const tagTokens = tokensOf(node, "tag");
    const headerFields: { field: "weight" | "tags"; keyword: SourceRange }[] = [
      ...tokensOf(node, "Weight").map((token) => ({
        field: "weight" as const,
        keyword: this.tokenRange(token),
      })),
      ...tokensOf(node, "Tags").map((token) => ({
        field: "tags" as const,
        keyword: this.tokenRange(token),
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
    const range = this.nodeRange(node);
    if (range === undefined) return undefined;
    const example = nodeOf(node, "exampleBlock");
    if (example !== undefined) return this.exampleBlock(example);
    const when = tokenOf(node, "When");
    if (when !== undefined) {
      const exprNode = nodeOf(node, "expression");
      const expr = exprNode && this.topExpression(exprNode);
      return expr ? { kind: "when", keyword: this.tokenRange(when), expr, range } : undefined;
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
    return { kind, keyword: this.tokenRange(field), text, range };
  }

  private fewShotDecl(node: CstNode): Declaration | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = this.nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const on: FewShotStages[] = [];
    const examples: ExampleBlock[] = [];
    for (const item of nodesOf(node, "fewShotItem")) {
      const itemRange = this.nodeRange(item);
      const unknown = tokenOf(item, "unknown");
      const keyword = tokenOf(item, "On");
      const example = nodeOf(item, "exampleBlock");
      if (unknown !== undefined) this.unknown(unknown, "fewShot");
      else if (keyword !== undefined && itemRange !== undefined) {
        on.push({
          keyword: this.tokenRange(keyword),
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
    const range = this.nodeRange(node);
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
      const fieldRange = this.nodeRange(fieldNode);
      if (field === undefined || text === undefined || fieldRange === undefined) continue;
      fields.push({
        field: field.image as ExampleFieldName,
        keyword: this.tokenRange(field),
        text,
        range: fieldRange,
      });
    }
    return { kind: "example", keyword: this.tokenRange(keyword), fields, range };
  }

  private ruleDecl(node: CstNode): Declaration | undefined {
    const id = this.name(tokenOf(node, "id"));
    const range = this.nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const items: RuleItem[] = [];
    for (const item of nodesOf(node, "ruleItem")) {
      const itemRange = this.nodeRange(item);
      if (itemRange === undefined) continue;
      const unknown = tokenOf(item, "unknown");
      const on = tokenOf(item, "On");
      const check = tokenOf(item, "check");
      if (unknown !== undefined) {
        this.unknown(unknown, "rule");
      } else if (on !== undefined) {
        const stage = this.name(tokenOf(item, "stage"));
        if (stage)
          items.push({ kind: "on", keyword: this.tokenRange(on), stage, range: itemRange });
      } else if (check !== undefined) {
        const exprNode = nodeOf(item, "expression");
        const expr = exprNode && this.topExpression(exprNode);
        if (expr) {
          items.push({
            kind: "check",
            check: check.image as "require" | "prefer" | "flag",
            keyword: this.tokenRange(check),
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
    const range = this.nodeRange(node);
    if (id === undefined || range === undefined) return undefined;
    const before = this.diagnostics.length;
    const whens: RubricWhen[] = [];
    for (const whenNode of nodesOf(node, "rubricWhen")) {
      const keyword = tokenOf(whenNode, "When");
      const exprNode = nodeOf(whenNode, "expression");
      const expr = exprNode && this.topExpression(exprNode);
      const whenRange = this.nodeRange(whenNode);
      if (keyword && expr && whenRange)
        whens.push({ keyword: this.tokenRange(keyword), expr, range: whenRange });
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
      const criterionRange = this.nodeRange(criterion);
      if (!level || !text || !weight || !criterionRange) continue;
      const checkKeyword = tokenOf(criterion, "Check");
      const checkNode = nodeOf(criterion, "expression");
      const check = checkNode && this.topExpression(checkNode);
      if (checkKeyword !== undefined && check === undefined) continue;
      criteria.push({
        level: level.image as RubricLevel,
        keyword: this.tokenRange(level),
        text,
        weight: this.number(weight),
        ...(checkKeyword && check
          ? { check: { keyword: this.tokenRange(checkKeyword), expr: check } }
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
}
