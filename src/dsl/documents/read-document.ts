// Stages 1-3 for YAML and JSON constitutions: the document becomes the same AST a .charter file
// gives (so it compiles to the same form and hash), with line:col ranges from the `yaml` CST.
// Expressions are strings parsed by the .charter expression grammar. Shape: src/dsl/README.md.

import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Node,
  type Pair,
} from "yaml";
import type {
  CriterionNode,
  Declaration,
  DefaultEntry,
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
  SourceFormat,
  SourceRange,
  TextNode,
} from "../ast.js";
import type { RubricLevel } from "../../constitution/compiled.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";
import { parseExpression, type ParsedFile } from "../syntax/parse-charter.js";
import { joinExpected } from "../syntax/syntax-messages.js";

/** Keys each mapping may hold (unknown keys get a did-you-mean). */
export const DOCUMENT_KEYS = {
  document: [
    "charter",
    "version",
    "about",
    "imports",
    "defaults",
    "principles",
    "overrides",
    "drop",
    "rules",
    "rubrics",
    "templates",
    "few-shots",
  ],
  import: ["path", "only", "as"],
  principle: ["id", "weight", "tags", "critique", "revise", "compare", "when", "examples"],
  example: ["prompt", "response", "critique", "revision"],
  rule: ["id", "on", "checks"],
  check: ["require", "prefer", "flag"],
  rubric: ["id", "when", "criteria"],
  criterion: ["essential", "important", "optional", "pitfall", "check", "weight"],
  "few-shot set": ["id", "on", "examples"],
  "few-shot example": [
    "conversation",
    "critique-request",
    "critique",
    "revision-request",
    "revision",
    "question",
    "response-a",
    "response-b",
    "answer",
  ],
  turn: ["user", "assistant"],
} as const;

type Place = keyof typeof DOCUMENT_KEYS;

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.(?:[A-Za-z_][A-Za-z0-9_-]*|\*))*$/;
/** Operator words are never names in .charter source. */
const RESERVED = new Set([
  "and",
  "or",
  "not",
  "in",
  "matches",
  "contains",
  "startswith",
  "endswith",
  "true",
  "false",
]);

function isWritableName(value: string): boolean {
  return NAME.test(value) && !RESERVED.has(value);
}

class DocumentReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly lines = new LineCounter();

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  read(format: Exclude<SourceFormat, "charter">): ParsedFile {
    const document = parseDocument(this.text, {
      lineCounter: this.lines,
      prettyErrors: false,
      uniqueKeys: true,
    });
    for (const error of document.errors) {
      this.report(
        this.rangeAt(error.pos[0], Math.max(error.pos[1], error.pos[0] + 1)),
        `${format === "json" ? "JSON" : "YAML"}: ${error.message.split("\n")[0] ?? ""}`,
      );
    }
    const declarations: Declaration[] = [];
    const root = document.contents;
    if (document.errors.length === 0) {
      if (isMap(root)) this.documentBody(root.items as Pair[], declarations);
      else
        this.report(
          root ? this.range(root) : this.rangeAt(0, 0),
          "a constitution is a mapping with `charter`, `version`, `principles`, ...",
        );
    }
    return {
      ast: {
        file: this.file,
        format,
        declarations,
        comments: [],
        hasSyntaxErrors: document.errors.length > 0,
      },
      diagnostics: this.diagnostics,
    };
  }

  private position(offset: number): SourceRange["start"] {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lines.linePos(clamped);
    return { line, column: col, offset: clamped };
  }

  private rangeAt(start: number, end: number): SourceRange {
    return { start: this.position(start), end: this.position(end) };
  }

  private range(node: Node | Pair): SourceRange {
    if ("key" in node && !("range" in node)) {
      const key = node.key as Node | null;
      const value = node.value as Node | null;
      const start = key?.range?.[0] ?? value?.range?.[0] ?? 0;
      const end = value?.range?.[1] ?? key?.range?.[1] ?? start;
      return this.rangeAt(start, end);
    }
    const range = (node as Node).range;
    return range ? this.rangeAt(range[0], range[1]) : this.rangeAt(0, 0);
  }

  private report(range: SourceRange, message: string): void {
    this.diagnostics.push(diagnostic("invalid-document", message, { file: this.file, ...range }));
  }

  /** Key/value pairs of a mapping, reporting unknown keys with a suggestion. */
  private pairs(
    items: readonly Pair[],
    place: Place,
  ): { key: string; keyNode: Node; value: Node | null; pair: Pair }[] {
    const result: { key: string; keyNode: Node; value: Node | null; pair: Pair }[] = [];
    const allowed: readonly string[] = DOCUMENT_KEYS[place];
    for (const pair of items) {
      const keyNode = pair.key as Node | null;
      if (!isScalar(keyNode)) {
        if (keyNode) this.report(this.range(keyNode), "keys must be plain names");
        continue;
      }
      const key = String(keyNode.value);
      if (!allowed.includes(key)) {
        const suggestion = didYouMean(key, allowed);
        this.diagnostics.push(
          diagnostic(
            "unknown-keyword",
            `unknown key \`${key}\` in ${place === "document" ? "a constitution" : `a ${place}`}`,
            { file: this.file, ...this.range(keyNode) },
            suggestion === undefined
              ? { expected: joinExpected(allowed.map((name) => `\`${name}\``)) }
              : { expected: joinExpected(allowed.map((name) => `\`${name}\``)), suggestion },
          ),
        );
        continue;
      }
      result.push({ key, keyNode, value: pair.value as Node | null, pair });
    }
    return result;
  }

  private textOf(node: Node | null, what: string, fallback: SourceRange): TextNode | undefined {
    if (isScalar(node) && typeof node.value === "string") {
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      return { value: node.value, block, range: this.range(node) };
    }
    this.report(
      node ? this.range(node) : fallback,
      `${what} must be a string${isScalar(node) && typeof node.value === "number" ? " (quote it)" : ""}`,
    );
    return undefined;
  }

  private name(node: Node | null, what: string, fallback: SourceRange): NameNode | undefined {
    // The same names a .charter file can spell, so `charter convert` can always write them back.
    if (isScalar(node) && typeof node.value === "string" && isWritableName(node.value)) {
      return { name: node.value, range: this.range(node) };
    }
    const shown = isScalar(node) ? ` (found \`${String(node.value)}\`)` : "";
    this.report(
      node ? this.range(node) : fallback,
      `${what} must be a name: letters, digits, \`_\`, \`-\`, dotted parts${shown}`,
    );
    return undefined;
  }

  private number(node: Node | null, what: string, fallback: SourceRange): NumberNode | undefined {
    if (isScalar(node) && typeof node.value === "number")
      return { value: node.value, range: this.range(node) };
    this.report(node ? this.range(node) : fallback, `${what} must be a number`);
    return undefined;
  }

  /** A list, or a single item taken as a list of one. */
  private list(node: Node | null): Node[] {
    if (isSeq(node)) return node.items as Node[];
    return node === null ? [] : [node];
  }

  private mapping(node: Node | null, what: string, fallback: SourceRange): Pair[] | undefined {
    if (isMap(node)) return node.items as Pair[];
    this.report(node ? this.range(node) : fallback, `${what} must be a mapping`);
    return undefined;
  }

  private expression(node: Node | null, fallback: SourceRange) {
    if (!isScalar(node) || typeof node.value !== "string") {
      this.report(
        node ? this.range(node) : fallback,
        "an expression must be a string like `words(response) > 3`",
      );
      return undefined;
    }
    const start = node.range?.[0] ?? 0;
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
    const { expr, diagnostics } = parseExpression(
      node.value,
      this.file,
      this.position(start + quoted),
    );
    this.diagnostics.push(...diagnostics);
    return expr;
  }

  private documentBody(items: Pair[], declarations: Declaration[]): void {
    const fields = this.pairs(items, "document");
    const get = (key: string) => fields.find((field) => field.key === key);
    const charter = get("charter");
    const version = get("version");
    if (charter !== undefined && version !== undefined) {
      const name = this.textOf(charter.value, "`charter` (the name)", this.range(charter.pair));
      const versionText = this.textOf(version.value, "`version`", this.range(version.pair));
      if (name && versionText) {
        declarations.push({
          kind: "header",
          name,
          version: versionText,
          range: this.range(charter.pair),
        });
      }
    } else if (charter !== undefined || version !== undefined) {
      const present = (charter ?? version) as { pair: Pair };
      this.report(
        this.range(present.pair),
        "a constitution needs both `charter` (its name) and `version`",
      );
    }
    for (const field of fields) {
      const where = this.range(field.pair);
      switch (field.key) {
        case "about": {
          const text = this.textOf(field.value, "`about`", where);
          if (text) declarations.push({ kind: "about", text, range: where });
          break;
        }
        case "imports":
          for (const item of this.list(field.value)) this.importDecl(item, declarations);
          break;
        case "defaults": {
          const pairs = this.mapping(field.value, "`defaults`", where);
          if (pairs)
            declarations.push({ kind: "defaults", entries: this.defaults(pairs), range: where });
          break;
        }
        case "principles":
        case "overrides":
          for (const item of this.list(field.value)) {
            const principle = this.principle(item, field.key === "overrides");
            if (principle) declarations.push(principle);
          }
          break;
        case "drop":
          for (const item of this.list(field.value)) {
            const id = this.name(item, "a dropped principle id", where);
            if (id) declarations.push({ kind: "drop", id, range: id.range });
          }
          break;
        case "rules":
          for (const item of this.list(field.value)) this.rule(item, declarations);
          break;
        case "rubrics":
          for (const item of this.list(field.value)) this.rubric(item, declarations);
          break;
        case "few-shots":
          for (const item of this.list(field.value)) this.fewShot(item, declarations);
          break;
        case "templates": {
          const pairs = this.mapping(field.value, "`templates`", where);
          for (const pair of pairs ?? []) {
            const name = this.name(pair.key as Node | null, "a template name", where);
            const text = this.textOf(pair.value as Node | null, "a template", this.range(pair));
            if (name && text)
              declarations.push({ kind: "template", name, text, range: this.range(pair) });
          }
          break;
        }
      }
    }
  }

  private importDecl(item: Node, declarations: Declaration[]): void {
    const where = this.range(item);
    if (isScalar(item)) {
      const path = this.textOf(item, "an import path", where);
      if (path) declarations.push({ kind: "import", path, range: where });
      return;
    }
    const pairs = this.mapping(item, "an import", where);
    if (!pairs) return;
    const fields = this.pairs(pairs, "import");
    const pathField = fields.find((field) => field.key === "path");
    const path = pathField && this.textOf(pathField.value, "`path`", where);
    if (!path) {
      if (!pathField) this.report(where, "an import needs `path`");
      return;
    }
    const onlyField = fields.find((field) => field.key === "only");
    const asField = fields.find((field) => field.key === "as");
    const only =
      onlyField &&
      this.list(onlyField.value).flatMap((node) => this.name(node, "an `only` name", where) ?? []);
    const as = asField && this.name(asField.value, "`as`", where);
    declarations.push({
      kind: "import",
      path,
      range: where,
      ...(only ? { only } : {}),
      ...(as ? { as } : {}),
    });
  }

  private defaults(pairs: Pair[]): DefaultEntry[] {
    const entries: DefaultEntry[] = [];
    for (const pair of pairs) {
      const key = this.name(pair.key as Node | null, "a default's name", this.range(pair));
      const value = pair.value as Node | null;
      if (!key) continue;
      if (isScalar(value) && ["string", "number", "boolean"].includes(typeof value.value)) {
        const scalar = value.value as string | number | boolean;
        const written = typeof scalar as "string" | "number" | "boolean";
        entries.push({
          key,
          value: { value: scalar, written, range: this.range(value) },
          range: this.range(pair),
        });
      } else {
        this.report(
          value ? this.range(value) : this.range(pair),
          "a default must be a string, number or boolean",
        );
      }
    }
    return entries;
  }

  /** A mapping that must carry an `id`: its known fields and the id, or undefined after reporting. */
  private identified(
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

  private principle(item: Node, override: boolean): PrincipleDecl | undefined {
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

  private example(node: Node): PrincipleItem | undefined {
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
  private fewShot(item: Node, declarations: Declaration[]): void {
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

  private fewShotExample(node: Node): ExampleBlock | undefined {
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

  private rule(item: Node, declarations: Declaration[]): void {
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

  private rubric(item: Node, declarations: Declaration[]): void {
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

/** Stages 1-3 for a YAML or JSON constitution. Never throws on bad input. */
export function readDocument(
  text: string,
  file: string,
  format: Exclude<SourceFormat, "charter">,
): ParsedFile {
  return new DocumentReader(file, text).read(format);
}
