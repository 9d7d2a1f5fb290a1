// Stage 5 (check), one file: duplicates, missing or repeated fields, weights, defaults, templates
// and expressions. Declarations damaged by a syntax error are skipped so recovery adds no noise.

import type {
  Declaration,
  ExampleBlock,
  FewShotDecl,
  FileAst,
  NameNode,
  PrincipleDecl,
  RubricDecl,
  RuleDecl,
  SourceRange,
  TemplateDecl,
  TextNode,
} from "../ast.js";
import {
  FEW_SHOT_STAGES,
  RULE_STAGES,
  type FewShotStage,
  type RuleStage,
} from "../../constitution/compiled.js";
import { ExpressionChecker } from "./check-expression.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";
import {
  DEFAULT_CHOICES,
  DEFAULT_KEYS,
  TEMPLATE_CATALOG,
} from "../../constitution/template-catalog.js";
import { TEMPLATE_VARIABLE } from "../../constitution/render-template.js";

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Checks one parsed file. `entry` files must have a header; imported ones may be libraries. */
export function checkFile(ast: FileAst, text: string, entry: boolean): Diagnostic[] {
  return new FileChecker(ast, text).run(entry);
}

/** The position `index` characters into `raw`, which starts at `origin`; line breaks as the lexer counts them. */
function positionIn(
  raw: string,
  index: number,
  origin: SourceRange["start"],
): SourceRange["start"] {
  const lines = raw.slice(0, index).split(/\r\n|\r|\n/);
  const newlines = lines.length - 1;
  const lastLine = lines[newlines] ?? "";
  return {
    line: origin.line + newlines,
    column: newlines === 0 ? origin.column + index : lastLine.length + 1,
    offset: origin.offset + index,
  };
}

class FileChecker {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly expressions: ExpressionChecker;

  constructor(
    private readonly ast: FileAst,
    private readonly text: string,
  ) {
    this.expressions = new ExpressionChecker(ast.file, this.diagnostics);
  }

  run(entry: boolean): Diagnostic[] {
    const declarations = this.ast.declarations;
    this.header(declarations, entry);
    const principles = new Map<string, NameNode>();
    const rules = new Map<string, NameNode>();
    const rubrics = new Map<string, NameNode>();
    const templates = new Map<string, NameNode>();
    const defaults = new Map<string, NameNode>();
    const fewShots = new Map<string, NameNode>();
    for (const declaration of declarations) {
      switch (declaration.kind) {
        case "principle":
          if (!declaration.override)
            this.unique(principles, declaration.id, "duplicate-principle", "principle");
          if (!declaration.broken) this.principle(declaration);
          break;
        case "rule":
          this.unique(rules, declaration.id, "duplicate-rule", "rule");
          if (!declaration.broken) this.rule(declaration);
          break;
        case "rubric":
          this.unique(rubrics, declaration.id, "duplicate-rubric", "rubric");
          if (!declaration.broken) this.rubric(declaration);
          break;
        case "template":
          this.unique(templates, declaration.name, "duplicate-template", "template");
          this.template(declaration);
          break;
        case "defaults":
          for (const entry of declaration.entries) {
            this.unique(defaults, entry.key, "duplicate-field", "default");
            this.defaultEntry(entry);
          }
          break;
        case "few-shot":
          this.unique(fewShots, declaration.id, "duplicate-few-shot", "few-shot set");
          if (!declaration.broken) this.fewShot(declaration);
          break;
        case "header":
        case "about":
        case "import":
        case "drop":
          break;
      }
    }
    return this.diagnostics;
  }

  private at(range: SourceRange): { file: string } & SourceRange {
    return { file: this.ast.file, ...range };
  }

  private report(
    code: DiagnosticCode,
    message: string,
    range: SourceRange,
    suggestion?: string,
  ): void {
    this.diagnostics.push(
      diagnostic(code, message, this.at(range), suggestion === undefined ? {} : { suggestion }),
    );
  }

  /** Reports a second definition of a name in this file, pointing at the first. */
  private unique(
    seen: Map<string, NameNode>,
    name: NameNode,
    code: DiagnosticCode,
    what: string,
  ): void {
    const first = seen.get(name.name);
    if (first === undefined) {
      seen.set(name.name, name);
      return;
    }
    this.diagnostics.push(
      diagnostic(
        code,
        `${what} \`${name.name}\` is already defined at line ${first.range.start.line}`,
        this.at(name.range),
        {
          related: [
            { message: `first definition of \`${name.name}\``, range: this.at(first.range) },
          ],
        },
      ),
    );
  }

  private header(declarations: readonly Declaration[], entry: boolean): void {
    const headers = declarations.filter((declaration) => declaration.kind === "header");
    const abouts = declarations.filter((declaration) => declaration.kind === "about");
    const first = headers[0];
    if (first === undefined) {
      if (entry && !this.ast.hasSyntaxErrors) {
        const start = { line: 1, column: 1, offset: 0 };
        this.report(
          "missing-header",
          'a constitution starts with `charter "name" version "1.0.0"`',
          { start, end: start },
        );
      }
    } else {
      if (first.name.value.trim() === "")
        this.report("empty-text", "the constitution's name is empty", first.name.range);
      if (!SEMVER.test(first.version.value)) {
        this.report(
          "invalid-version",
          `version \`${first.version.value}\` is not a semantic version like \`1.0.0\``,
          first.version.range,
        );
      }
    }
    for (const extra of [...headers.slice(1), ...abouts.slice(1)]) {
      this.report(
        "duplicate-header",
        `only one \`${extra.kind === "header" ? "charter" : "about"}\` per file`,
        extra.range,
      );
    }
  }

  private nonEmpty(text: TextNode, what: string): void {
    if (text.value.trim() === "") this.report("empty-text", `${what} is empty`, text.range);
  }

  private principle(principle: PrincipleDecl): void {
    const once = new Map<string, SourceRange>();
    const repeated = (field: string, keyword: SourceRange): void => {
      const first = once.get(field);
      if (first === undefined) once.set(field, keyword);
      else {
        this.diagnostics.push(
          diagnostic(
            "duplicate-field",
            `\`${field}\` is given twice in principle \`${principle.id.name}\``,
            this.at(keyword),
            {
              related: [{ message: `first \`${field}\``, range: this.at(first) }],
            },
          ),
        );
      }
    };
    for (const field of principle.headerFields) repeated(field.field, field.keyword);
    if (principle.weight !== undefined && !(principle.weight.value > 0)) {
      this.report(
        "invalid-weight",
        `principle weight must be greater than 0, found ${principle.weight.value}`,
        principle.weight.range,
      );
    }
    let critique: SourceRange | undefined;
    let revise: SourceRange | undefined;
    let compare = false;
    for (const item of principle.items) {
      switch (item.kind) {
        case "critique":
        case "revise":
          repeated(item.kind, item.keyword);
          if (item.kind === "critique") critique ??= item.keyword;
          else revise ??= item.keyword;
          this.nonEmpty(item.text, `\`${item.kind}\``);
          break;
        case "compare":
          compare = true;
          this.nonEmpty(item.text, "`compare`");
          break;
        case "when":
          repeated("when", item.keyword);
          this.expressions.checkCondition(item.expr, "when", "`when`");
          break;
        case "example": {
          const fields = new Map<string, SourceRange>();
          for (const field of item.fields) {
            const first = fields.get(field.field);
            if (first !== undefined) {
              this.diagnostics.push(
                diagnostic(
                  "duplicate-field",
                  `\`${field.field}\` is given twice in one example`,
                  this.at(field.keyword),
                  {
                    related: [{ message: `first \`${field.field}\``, range: this.at(first) }],
                  },
                ),
              );
            } else fields.set(field.field, field.keyword);
          }
          const missing = ["prompt", "response"].filter((name) => !fields.has(name));
          if (missing.length > 0) {
            this.report(
              "empty-example-field",
              `an example needs ${missing.map((name) => `\`${name}\``).join(" and ")}`,
              item.keyword,
            );
          }
          break;
        }
      }
    }
    if (principle.override) return;
    if (critique === undefined && revise === undefined && !compare) {
      this.report(
        "principle-without-purpose",
        `principle \`${principle.id.name}\` has no \`critique\`, \`revise\` or \`compare\`, so no phase can use it`,
        principle.id.range,
      );
    } else if (critique !== undefined && revise === undefined) {
      this.report(
        "critique-without-revise",
        `principle \`${principle.id.name}\` has \`critique\` but no \`revise\`; Phase 1 will skip it`,
        critique,
      );
    } else if (revise !== undefined && critique === undefined) {
      this.report(
        "critique-without-revise",
        `principle \`${principle.id.name}\` has \`revise\` but no \`critique\`; Phase 1 will skip it`,
        revise,
      );
    }
  }

  private fewShot(set: FewShotDecl): void {
    const stages: FewShotStage[] = [];
    let firstOn: SourceRange | undefined;
    for (const on of set.on) {
      if (firstOn !== undefined) {
        this.diagnostics.push(
          diagnostic(
            "duplicate-field",
            `\`on\` is given twice in few-shot set \`${set.id.name}\``,
            this.at(on.keyword),
            { related: [{ message: "first `on`", range: this.at(firstOn) }] },
          ),
        );
        continue;
      }
      firstOn = on.keyword;
      for (const stage of on.stages) {
        if (!(FEW_SHOT_STAGES as readonly string[]).includes(stage.name)) {
          this.report(
            "unknown-stage",
            `few-shot sets apply to ${FEW_SHOT_STAGES.join(", ")}; found \`${stage.name}\``,
            stage.range,
            didYouMean(stage.name, FEW_SHOT_STAGES),
          );
        } else stages.push(stage.name as FewShotStage);
      }
    }
    const pair = stages.includes("pair");
    if (pair && stages.length > 1) {
      this.report(
        "invalid-few-shot",
        "a few-shot set `on pair` holds judge comparisons and applies to no other stage; split it in two",
        firstOn ?? set.id.range,
      );
      return;
    }
    if (set.examples.length === 0) {
      this.report(
        "invalid-few-shot",
        `few-shot set \`${set.id.name}\` has no \`example\``,
        set.id.range,
      );
    }
    for (const example of set.examples) {
      if (pair) this.comparisonExample(example);
      else this.transcriptExample(example);
    }
  }

  /** Turns of a few-shot example: user first, alternating; returns the fields after them. */
  private exampleTurns(example: ExampleBlock): ExampleBlock["fields"] | undefined {
    let expected: "user" | "assistant" = "user";
    let index = 0;
    for (const field of example.fields) {
      if (field.field !== "user" && field.field !== "assistant") break;
      this.nonEmpty(field.text, `\`${field.field}\``);
      if (field.field !== expected) {
        this.report(
          "invalid-few-shot",
          `turns alternate, starting with \`user\`: expected \`${expected}\` here`,
          field.keyword,
        );
        return undefined;
      }
      expected = expected === "user" ? "assistant" : "user";
      index++;
    }
    if (index === 0) {
      this.report(
        "invalid-few-shot",
        'a few-shot example starts with its conversation: `user "..."` first',
        example.keyword,
      );
      return undefined;
    }
    return example.fields.slice(index);
  }

  /** After the turns: in order, each at most once, in the given sequence. */
  private exampleTail(
    rest: ExampleBlock["fields"],
    order: readonly string[],
  ): Set<string> | undefined {
    const seen = new Set<string>();
    let position = 0;
    for (const field of rest) {
      const at = order.indexOf(field.field, position);
      if (at < 0) {
        const misplaced = field.field === "user" || field.field === "assistant";
        this.report(
          "invalid-few-shot",
          misplaced
            ? `\`${field.field}\` turns come before ${order.map((name) => `\`${name}\``).join(", ")}`
            : order.includes(field.field)
              ? `\`${field.field}\` is out of order or repeated; the order is ${order.map((name) => `\`${name}\``).join(", ")}`
              : `\`${field.field}\` does not belong in this set's examples (${order.map((name) => `\`${name}\``).join(", ")})`,
          field.keyword,
        );
        return undefined;
      }
      this.nonEmpty(field.text, `\`${field.field}\``);
      seen.add(field.field);
      position = at + 1;
    }
    return seen;
  }

  private transcriptExample(example: ExampleBlock): void {
    const rest = this.exampleTurns(example);
    if (rest === undefined) return;
    const seen = this.exampleTail(rest, [
      "critique-request",
      "critique",
      "revision-request",
      "revision",
    ]);
    if (seen === undefined) return;
    const lastTurn = example.fields[example.fields.length - rest.length - 1];
    const missing = (wanted: string, because: string): void =>
      this.report(
        "invalid-few-shot",
        `this example needs \`${wanted}\` ${because}`,
        example.keyword,
      );
    if (seen.size > 0 && lastTurn?.field !== "assistant")
      missing("assistant", "as its last turn: the reply that is critiqued");
    if (seen.has("critique-request") !== seen.has("critique"))
      missing(seen.has("critique") ? "critique-request" : "critique", "(they come as a pair)");
    if (seen.has("revision-request") !== seen.has("revision"))
      missing(seen.has("revision") ? "revision-request" : "revision", "(they come as a pair)");
    if (seen.has("revision") && !seen.has("critique")) missing("critique", "before its revision");
  }

  private comparisonExample(example: ExampleBlock): void {
    const rest = this.exampleTurns(example);
    if (rest === undefined) return;
    const seen = this.exampleTail(rest, ["question", "response-a", "response-b", "answer"]);
    if (seen === undefined) return;
    const lastTurn = example.fields[example.fields.length - rest.length - 1];
    if (lastTurn?.field !== "user") {
      this.report(
        "invalid-few-shot",
        "a comparison's conversation ends with a `user` turn: the two replies answer it",
        lastTurn?.keyword ?? example.keyword,
      );
    }
    const absent = ["response-a", "response-b", "answer"].filter((name) => !seen.has(name));
    if (absent.length > 0) {
      this.report(
        "invalid-few-shot",
        `a comparison needs ${absent.map((name) => `\`${name}\``).join(", ")}`,
        example.keyword,
      );
    }
    const answer = rest.find((field) => field.field === "answer");
    if (answer !== undefined && !["A", "B"].includes(answer.text.value.trim())) {
      this.report(
        "invalid-few-shot",
        `\`answer\` is "A" or "B", found ${JSON.stringify(answer.text.value)}`,
        answer.text.range,
      );
    }
  }

  private rule(rule: RuleDecl): void {
    let stage: RuleStage | undefined;
    let firstOn: SourceRange | undefined;
    for (const item of rule.items) {
      if (item.kind !== "on") continue;
      if (firstOn !== undefined) {
        this.diagnostics.push(
          diagnostic(
            "duplicate-field",
            `\`on\` is given twice in rule \`${rule.id.name}\``,
            this.at(item.keyword),
            {
              related: [{ message: "first `on`", range: this.at(firstOn) }],
            },
          ),
        );
        continue;
      }
      firstOn = item.keyword;
      if ((RULE_STAGES as readonly string[]).includes(item.stage.name))
        stage = item.stage.name as RuleStage;
      else {
        this.report(
          "unknown-stage",
          `unknown stage \`${item.stage.name}\`; the stages are ${RULE_STAGES.join(", ")}`,
          item.stage.range,
          didYouMean(item.stage.name, RULE_STAGES),
        );
      }
    }
    if (firstOn === undefined) {
      this.report(
        "missing-stage",
        `rule \`${rule.id.name}\` needs \`on STAGE\` (${RULE_STAGES.join(", ")})`,
        rule.id.range,
      );
    }
    const checks = rule.items.filter((item) => item.kind === "check");
    if (checks.length === 0) {
      this.report(
        "empty-rule",
        `rule \`${rule.id.name}\` has no \`require\`, \`prefer\` or \`flag\``,
        rule.id.range,
      );
    }
    if (stage === undefined) return;
    for (const check of checks)
      this.expressions.checkCondition(check.expr, stage, `\`${check.check}\``);
  }

  private rubric(rubric: RubricDecl): void {
    const [first, ...extra] = rubric.whens;
    for (const when of extra) {
      this.diagnostics.push(
        diagnostic(
          "duplicate-field",
          `\`when\` is given twice in rubric \`${rubric.id.name}\``,
          this.at(when.keyword),
          {
            related: [{ message: "first `when`", range: this.at(first?.keyword ?? when.keyword) }],
          },
        ),
      );
    }
    if (first !== undefined)
      this.expressions.checkCondition(first.expr, "rubric-when", "a rubric's `when`");
    const texts = new Map<string, SourceRange>();
    for (const criterion of rubric.criteria) {
      this.nonEmpty(criterion.text, `\`${criterion.level}\` text`);
      const key = criterion.text.value.trim().toLowerCase();
      const earlier = texts.get(key);
      if (earlier !== undefined && key !== "") {
        this.diagnostics.push(
          diagnostic(
            "duplicate-criterion",
            `criterion "${criterion.text.value.trim()}" is given twice in rubric \`${rubric.id.name}\``,
            this.at(criterion.text.range),
            { related: [{ message: "first criterion", range: this.at(earlier) }] },
          ),
        );
      } else texts.set(key, criterion.text.range);
      if (criterion.check !== undefined)
        this.expressions.checkCondition(criterion.check.expr, "criterion-check", "`check`");
      const weight = criterion.weight.value;
      if (criterion.level === "pitfall" ? !(weight < 0) : !(weight > 0)) {
        this.report(
          "invalid-weight",
          criterion.level === "pitfall"
            ? `a pitfall's weight must be negative, found ${weight}`
            : `an ${criterion.level} criterion's weight must be greater than 0, found ${weight}`,
          criterion.weight.range,
        );
      }
    }
  }

  private template(template: TemplateDecl): void {
    const spec = Object.hasOwn(TEMPLATE_CATALOG, template.name.name)
      ? TEMPLATE_CATALOG[template.name.name]
      : undefined;
    if (spec === undefined) {
      const names = Object.keys(TEMPLATE_CATALOG);
      this.report(
        "unknown-template",
        `unknown template \`${template.name.name}\`; the templates are ${names.join(", ")}`,
        template.name.range,
        didYouMean(template.name.name, names),
      );
      return;
    }
    this.nonEmpty(template.text, `template \`${template.name.name}\``);
    const raw = this.text.slice(template.text.range.start.offset, template.text.range.end.offset);
    for (const match of template.text.value.matchAll(TEMPLATE_VARIABLE)) {
      const name = match[1] as string;
      if (spec.variables.includes(name)) continue;
      const range = this.variableRange(raw, match[0], template.text.range) ?? template.text.range;
      this.report(
        "unknown-template-variable",
        `template \`${template.name.name}\` has no variable \`${name}\``,
        range,
        didYouMean(name, spec.variables),
      );
    }
  }

  /** Where `{{name}}` is written inside a string token (charter files; YAML gives the whole string). */
  private variableRange(raw: string, written: string, token: SourceRange): SourceRange | undefined {
    if (this.ast.format !== "charter") return undefined;
    const index = raw.indexOf(written);
    if (index < 0) return undefined;
    return {
      start: positionIn(raw, index, token.start),
      end: positionIn(raw, index + written.length, token.start),
    };
  }

  private defaultEntry(entry: Extract<Declaration, { kind: "defaults" }>["entries"][number]): void {
    const key = entry.key.name;
    const type = Object.hasOwn(DEFAULT_KEYS, key) ? DEFAULT_KEYS[key] : undefined;
    if (type === undefined) {
      this.report(
        "unknown-default",
        `unknown default \`${key}\``,
        entry.key.range,
        didYouMean(key, Object.keys(DEFAULT_KEYS)),
      );
      return;
    }
    const found = entry.value.written === "name" ? "string" : entry.value.written;
    if (found !== type) {
      this.report(
        "invalid-default",
        `\`${key}\` takes a ${type}, found a ${found}`,
        entry.value.range,
      );
      return;
    }
    const choices = Object.hasOwn(DEFAULT_CHOICES, key) ? DEFAULT_CHOICES[key] : undefined;
    if (choices !== undefined && !choices.includes(String(entry.value.value))) {
      this.report(
        "invalid-default",
        `\`${key}\` is one of ${choices.map((choice) => `\`${choice}\``).join(", ")}; found \`${String(entry.value.value)}\``,
        entry.value.range,
        didYouMean(String(entry.value.value), choices),
      );
    }
  }
}
