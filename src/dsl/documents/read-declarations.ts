// The declarations of a YAML/JSON constitution that carry an id (principles and overrides, rules,
// rubrics, few-shot sets), read into the same AST nodes a .charter file gives.

import type { Node } from "yaml";
import type { RubricLevel } from "../../constitution/compiled.js";
import type {
  CriterionNode,
  Declaration,
  ExampleBlock,
  ExampleField,
  ExampleFieldName,
  FewShotStages,
  NameNode,
  NumberNode,
  PrincipleDecl,
  PrincipleItem,
  RubricWhen,
  RuleItem,
} from "../ast.js";
import { DOCUMENT_KEYS } from "./document-keys.js";
import { DocumentValues } from "./document-values.js";

export class DeclarationReader extends DocumentValues {
  /** A mapping that must carry an `id`: its known fields and the id, or undefined after reporting. */
  protected identified(
    item: Node,
    place: "principle" | "rule" | "rubric" | "few-shot set",
    what: string,
  ) {
    const where = this.range(item);
    const pairs = this.mapping(item, what, where);
    if (!pairs) return undefined;
    const fields = this.pairs(pairs, place);
    const idField = fields.find((field) => field.key === "id");
    const id = idField ? this.name(idField.value, "`id`", where) : undefined;
    if (!id) {
      if (!idField) this.report(where, `${what} needs \`id\``);
      return undefined;
    }
    return { where, fields, id };
  }

  protected principle(item: Node, override: boolean): PrincipleDecl | undefined {
    const before = this.diagnostics.length;
    const found = this.identified(item, "principle", override ? "an override" : "a principle");
    if (!found) return undefined;
    const { where, fields, id } = found;
    let weight: NumberNode | undefined;
    let tags: NameNode[] | undefined;
    const headerFields: PrincipleDecl["headerFields"][number][] = [];
    const items: PrincipleItem[] = [];
    for (const field of fields) {
      const keyword = this.range(field.keyNode);
      const fieldRange = this.range(field.pair);
      switch (field.key) {
        case "weight":
          weight = this.number(field.value, "`weight`", fieldRange);
          headerFields.push({ field: "weight", keyword });
          break;
        case "tags":
          tags = this.list(field.value).flatMap(
            (node) => this.name(node, "a tag", fieldRange) ?? [],
          );
          headerFields.push({ field: "tags", keyword });
          break;
        case "critique":
        case "revise": {
          const text = this.textOf(field.value, `\`${field.key}\``, fieldRange);
          if (text) items.push({ kind: field.key, keyword, text, range: fieldRange });
          break;
        }
        case "compare":
          for (const node of this.list(field.value)) {
            const text = this.textOf(node, "`compare`", fieldRange);
            if (text) items.push({ kind: "compare", keyword, text, range: fieldRange });
          }
          break;
        case "when": {
          const expr = this.expression(field.value, fieldRange);
          if (expr) items.push({ kind: "when", keyword, expr, range: fieldRange });
          break;
        }
        case "examples":
          for (const node of this.list(field.value)) {
            const example = this.example(node);
            if (example) items.push(example);
          }
          break;
      }
    }
    return {
      kind: "principle",
      override,
      id,
      ...(weight ? { weight } : {}),
      ...(tags ? { tags } : {}),
      headerFields,
      items,
      range: where,
      // A field the reader rejected: checking the rest would report its consequences.
      broken: this.diagnostics.length > before,
    };
  }

  protected example(node: Node): PrincipleItem | undefined {
    const where = this.range(node);
    const pairs = this.mapping(node, "an example", where);
    if (!pairs) return undefined;
    const fields: ExampleField[] = [];
    for (const field of this.pairs(pairs, "example")) {
      const text = this.textOf(field.value, `\`${field.key}\``, this.range(field.pair));
      if (text) {
        fields.push({
          field: field.key as ExampleFieldName,
          keyword: this.range(field.keyNode),
          text,
          range: this.range(field.pair),
        });
      }
    }
    return { kind: "example", keyword: where, fields, range: where };
  }

  /** `few-shots: [{id, on, examples: [{conversation: [{user}, {assistant}], critique-request, ...}]}]`. */
  protected fewShot(item: Node, declarations: Declaration[]): void {
    const before = this.diagnostics.length;
    const found = this.identified(item, "few-shot set", "a few-shot set");
    if (!found) return;
    const { where, fields, id } = found;
    const on: FewShotStages[] = [];
    const examples: ExampleBlock[] = [];
    for (const field of fields) {
      const fieldRange = this.range(field.pair);
      if (field.key === "on") {
        const stages = this.list(field.value).flatMap(
          (node) => this.name(node, "a stage", fieldRange) ?? [],
        );
        on.push({ keyword: this.range(field.keyNode), stages, range: fieldRange });
      } else if (field.key === "examples") {
        for (const node of this.list(field.value)) {
          const example = this.fewShotExample(node);
          if (example) examples.push(example);
        }
      }
    }
    const broken = this.diagnostics.length > before;
    declarations.push({ kind: "few-shot", id, on, examples, range: where, broken });
  }

  protected fewShotExample(node: Node): ExampleBlock | undefined {
    const where = this.range(node);
    const pairs = this.mapping(node, "a few-shot example", where);
    if (!pairs) return undefined;
    const turns: ExampleField[] = [];
    const rest: ExampleField[] = [];
    for (const field of this.pairs(pairs, "few-shot example")) {
      const fieldRange = this.range(field.pair);
      if (field.key !== "conversation") {
        const text = this.textOf(field.value, `\`${field.key}\``, fieldRange);
        if (text) {
          const name = field.key as ExampleFieldName;
          rest.push({ field: name, keyword: this.range(field.keyNode), text, range: fieldRange });
        }
        continue;
      }
      for (const turn of this.list(field.value)) {
        const turnPairs = this.mapping(
          turn,
          "a turn (`user: TEXT` or `assistant: TEXT`)",
          fieldRange,
        );
        for (const part of this.pairs(turnPairs ?? [], "turn")) {
          const text = this.textOf(part.value, `\`${part.key}\``, this.range(part.pair));
          if (text) {
            turns.push({
              field: part.key as ExampleFieldName,
              keyword: this.range(part.keyNode),
              text,
              range: this.range(part.pair),
            });
          }
        }
      }
    }
    // Mapping keys have no order that means anything: the fields after the turns take theirs.
    const order: readonly string[] = DOCUMENT_KEYS["few-shot example"];
    rest.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
    return { kind: "example", keyword: where, fields: [...turns, ...rest], range: where };
  }

  protected rule(item: Node, declarations: Declaration[]): void {
    const before = this.diagnostics.length;
    const found = this.identified(item, "rule", "a rule");
    if (!found) return;
    const { where, fields, id } = found;
    const items: RuleItem[] = [];
    let broken = false;
    for (const field of fields) {
      const fieldRange = this.range(field.pair);
      if (field.key === "on") {
        const stage = this.name(field.value, "`on`", fieldRange);
        if (stage)
          items.push({ kind: "on", keyword: this.range(field.keyNode), stage, range: fieldRange });
      } else if (field.key === "checks") {
        for (const node of this.list(field.value)) {
          const checkPairs = this.mapping(node, "a check (`require: EXPR`)", fieldRange);
          for (const check of this.pairs(checkPairs ?? [], "check")) {
            const expr = this.expression(check.value, this.range(check.pair));
            if (expr === undefined) broken = true;
            else {
              items.push({
                kind: "check",
                check: check.key as "require" | "prefer" | "flag",
                keyword: this.range(check.keyNode),
                expr,
                range: this.range(check.pair),
              });
            }
          }
        }
      }
    }
    broken ||= this.diagnostics.length > before;
    declarations.push({ kind: "rule", id, items, range: where, broken });
  }

  protected rubric(item: Node, declarations: Declaration[]): void {
    const before = this.diagnostics.length;
    const found = this.identified(item, "rubric", "a rubric");
    if (!found) return;
    const { where, fields, id } = found;
    const whens: RubricWhen[] = [];
    for (const field of fields) {
      if (field.key !== "when") continue;
      const fieldRange = this.range(field.pair);
      const expr = this.expression(field.value, fieldRange);
      if (expr) whens.push({ keyword: this.range(field.keyNode), expr, range: fieldRange });
    }
    const criteria: CriterionNode[] = [];
    const criteriaField = fields.find((field) => field.key === "criteria");
    for (const node of this.list(criteriaField?.value ?? null)) {
      const criterionRange = this.range(node);
      const criterionPairs = this.mapping(
        node,
        "a criterion (`essential: TEXT` and `weight: N`)",
        criterionRange,
      );
      const parts = this.pairs(criterionPairs ?? [], "criterion");
      const levelField = parts.find((part) => part.key !== "weight" && part.key !== "check");
      const weightField = parts.find((part) => part.key === "weight");
      const checkField = parts.find((part) => part.key === "check");
      if (!levelField || !weightField) {
        if (criterionPairs)
          this.report(
            criterionRange,
            "a criterion needs a level (`essential: TEXT`, ...) and `weight`",
          );
        continue;
      }
      const text = this.textOf(levelField.value, `\`${levelField.key}\``, criterionRange);
      const weight = this.number(weightField.value, "`weight`", criterionRange);
      const check = checkField && this.expression(checkField.value, this.range(checkField.pair));
      if (text && weight && (checkField === undefined || check !== undefined)) {
        criteria.push({
          level: levelField.key as RubricLevel,
          keyword: this.range(levelField.keyNode),
          text,
          weight,
          ...(checkField && check
            ? { check: { keyword: this.range(checkField.keyNode), expr: check } }
            : {}),
          range: criterionRange,
        });
      }
    }
    const broken = this.diagnostics.length > before;
    declarations.push({ kind: "rubric", id, whens, criteria, range: where, broken });
  }
}
