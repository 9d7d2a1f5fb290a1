// State `checked`, one file: duplicates, missing or repeated fields, weights, defaults, templates
// and expressions. Declarations damaged by a syntax error are skipped so recovery adds no noise.

import type {
  Declaration,
  FileAst,
  NameNode,
  PrincipleDecl,
  RubricDecl,
  RuleDecl,
  SourceRange,
} from "../ast.js";
import { RULE_STAGES, type RuleStage } from "../../constitution/compiled.js";
import { CheckContext, checkState, type CheckState } from "./check-context.js";
import { FewShotChecker } from "./check-few-shot.js";
import { SettingsChecker } from "./check-settings.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";

const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** Checks one parsed file. `entry` files must have a header; imported ones may be libraries. */
export function checkFile(ast: FileAst, text: string, entry: boolean): Diagnostic[] {
  return new FileChecker(checkState(ast, text)).run(entry);
}

class FileChecker extends CheckContext {
  private readonly fewShots: FewShotChecker;
  private readonly settings: SettingsChecker;

  constructor(state: CheckState) {
    super(state);
    this.fewShots = new FewShotChecker(state);
    this.settings = new SettingsChecker(state);
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
          this.settings.template(declaration);
          break;
        case "defaults":
          for (const entry of declaration.entries) {
            this.unique(defaults, entry.key, "duplicate-field", "default");
            this.settings.defaultEntry(entry);
          }
          break;
        case "few-shot":
          this.unique(fewShots, declaration.id, "duplicate-few-shot", "few-shot set");
          if (!declaration.broken) this.fewShots.check(declaration);
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
}
