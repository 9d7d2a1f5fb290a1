// State `checked`, expressions: names, functions, a small static type check, which fields exist
// at a rule's stage, and regex literals (valid JavaScript and runnable by the linear-time engine).

import type { ExprNode, SourceRange } from "../ast.js";
import {
  EXPR_FIELDS,
  EXPR_FUNCTIONS,
  type ExprField,
  type ExprFunction,
  type RuleStage,
} from "../../constitution/compiled.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { didYouMean } from "../../did-you-mean.js";
import { validatePattern } from "../../constitution/regex.js";

export type ExprType =
  "string" | "number" | "boolean" | "regex" | "list<string>" | "list<number>" | "list";

const FUNCTIONS = Object.keys(EXPR_FUNCTIONS) as readonly ExprFunction[];

/**
 * Where an expression is evaluated: a rule stage, a principle's `when`, a rubric's `when` (chosen
 * per row, before any reply is looked at, so every reply of a row is scored on one rubric), or a
 * criterion's `check` (scored on one reply).
 */
export type ExprContext = RuleStage | "when" | "rubric-when" | "criterion-check";

/** Fields known at each place (rules run on what exists at their stage). */
export const FIELDS_AT: Readonly<Record<ExprContext, readonly ExprField[]>> = {
  prompt: ["prompt", "tags"],
  response: ["prompt", "response", "tags"],
  critique: ["prompt", "response", "critique", "tags"],
  revision: ["prompt", "response", "critique", "revision", "tags"],
  pair: ["prompt", "response", "tags"],
  when: ["prompt", "response", "tags"],
  "rubric-when": ["prompt", "tags"],
  "criterion-check": ["prompt", "response", "tags"],
};

/** How a place is named in `field-not-available` messages. */
function placeName(context: ExprContext): string {
  switch (context) {
    case "when":
      return "in `when`";
    case "rubric-when":
      return "in a rubric's `when`";
    case "criterion-check":
      return "in a criterion's `check`";
    default:
      return `at stage \`${context}\``;
  }
}

const FIELD_TYPES: Readonly<Record<ExprField, ExprType>> = {
  prompt: "string",
  response: "string",
  critique: "string",
  revision: "string",
  tags: "list<string>",
};

/** Flags a constitution regex may carry (the ones both engines understand). */
const REGEX_FLAGS = new Set(["i", "m", "s", "u"]);

/** A regex's problem, by `flags/source`: constitutions repeat patterns, compiling them is not free. */
const regexVerdicts = new Map<string, readonly [DiagnosticCode, string] | null>();

/** Validates a regex literal; a diagnostic when it is invalid or not runnable in linear time. */
export function checkRegex(
  source: string,
  flags: string,
  range: SourceRange,
  file: string,
): Diagnostic | undefined {
  const key = `${flags}/${source}`;
  let verdict = regexVerdicts.get(key);
  if (verdict === undefined) {
    verdict = regexProblem(source, flags) ?? null;
    if (regexVerdicts.size > 10_000) regexVerdicts.clear();
    regexVerdicts.set(key, verdict);
  }
  return verdict === null ? undefined : diagnostic(verdict[0], verdict[1], { file, ...range });
}

function regexProblem(
  source: string,
  flags: string,
): readonly [DiagnosticCode, string] | undefined {
  for (const flag of flags) {
    if (!REGEX_FLAGS.has(flag)) {
      return ["invalid-regex", `regex flag \`${flag}\` is not supported; use i, m, s or u`];
    }
  }
  if (new Set(flags).size !== flags.length) {
    return ["invalid-regex", `regex flags \`${flags}\` repeat a flag`];
  }
  try {
    new RegExp(source, flags);
  } catch (error) {
    const reason =
      error instanceof Error
        ? error.message.replace(/^Invalid regular expression: /, "")
        : String(error);
    return ["invalid-regex", `invalid regex: ${reason}`];
  }
  // What the rule engine (regex.ts) will run: the same RE2 translation, flags and size limit.
  const engineProblem = validatePattern(source, flags);
  if (engineProblem !== undefined) {
    const reason = engineProblem.replace(/^invalid regex: /, "");
    return ["unsupported-regex", `the rule engine cannot run this pattern: ${reason}`];
  }
  return undefined;
}

const describe = (type: ExprType): string =>
  type === "list" || type.startsWith("list<")
    ? "a list"
    : type === "regex"
      ? "a regex"
      : `a ${type}`;

/** Type-checks expressions of one file, appending to `diagnostics`. */
export class ExpressionChecker {
  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  /** Checks a top-level expression (must be true/false). Returns whether it is sound. */
  checkCondition(expr: ExprNode, context: ExprContext, what: string): boolean {
    const before = this.diagnostics.length;
    const type = this.typeOf(expr, context);
    if (type !== undefined && type !== "boolean") {
      this.report(expr.range, `${what} must be true or false, but this is ${describe(type)}`);
    }
    return this.diagnostics.length === before;
  }

  private report(range: SourceRange, message: string): undefined {
    this.diagnostics.push(diagnostic("type-mismatch", message, { file: this.file, ...range }));
    return undefined;
  }

  /** The type, or undefined after reporting (so one mistake is reported once). */
  private typeOf(expr: ExprNode, context: ExprContext): ExprType | undefined {
    switch (expr.kind) {
      case "string":
      case "number":
      case "boolean":
        return expr.kind;
      case "regex": {
        const problem = checkRegex(expr.source, expr.flags, expr.range, this.file);
        if (problem !== undefined) this.diagnostics.push(problem);
        return problem === undefined ? "regex" : undefined;
      }
      case "name":
        return this.field(expr.name, expr.range, context);
      case "list":
        return this.list(expr.items, context);
      case "call": {
        const fn = expr.fn.name;
        const argType = this.typeOf(expr.arg, context);
        if (!(FUNCTIONS as readonly string[]).includes(fn)) {
          const suggestion = didYouMean(fn, FUNCTIONS);
          this.diagnostics.push(
            diagnostic(
              "unknown-function",
              `unknown function \`${fn}\`; the functions are words, chars and lines`,
              { file: this.file, ...expr.fn.range },
              suggestion === undefined ? {} : { suggestion },
            ),
          );
          return undefined;
        }
        if (argType === undefined) return undefined;
        if (argType !== "string") {
          return this.report(
            expr.arg.range,
            `\`${fn}\` needs a string, but this is ${describe(argType)}`,
          );
        }
        return "number";
      }
      case "not": {
        const operand = this.typeOf(expr.operand, context);
        if (operand === undefined) return undefined;
        if (operand !== "boolean") {
          return this.report(
            expr.operand.range,
            `\`not\` needs true or false, but this is ${describe(operand)}`,
          );
        }
        return "boolean";
      }
      case "binary":
        return this.binary(expr, context);
    }
  }

  private field(name: string, range: SourceRange, context: ExprContext): ExprType | undefined {
    if (!(EXPR_FIELDS as readonly string[]).includes(name)) {
      const calledLikeFunction = (FUNCTIONS as readonly string[]).includes(name);
      const suggestion = didYouMean(name, EXPR_FIELDS);
      this.diagnostics.push(
        diagnostic(
          "unknown-field",
          calledLikeFunction
            ? `\`${name}\` is a function: write \`${name}(response)\``
            : `unknown field \`${name}\`; the fields are ${EXPR_FIELDS.join(", ")}`,
          { file: this.file, ...range },
          suggestion === undefined ? {} : { suggestion },
        ),
      );
      return undefined;
    }
    const field = name as ExprField;
    const available = FIELDS_AT[context];
    if (!available.includes(field)) {
      const where = placeName(context);
      this.diagnostics.push(
        diagnostic(
          "field-not-available",
          `\`${field}\` is not known ${where}; available: ${available.join(", ")}`,
          { file: this.file, ...range },
        ),
      );
      return undefined;
    }
    return FIELD_TYPES[field];
  }

  private list(items: readonly ExprNode[], context: ExprContext): ExprType | undefined {
    let element: ExprType | undefined;
    for (const item of items) {
      const type = this.typeOf(item, context);
      if (type === undefined) return undefined;
      if (type !== "string" && type !== "number") {
        return this.report(
          item.range,
          `list items must be strings or numbers, but this is ${describe(type)}`,
        );
      }
      if (element !== undefined && element !== type) {
        return this.report(
          item.range,
          `list items must all be ${element}s, but this is ${describe(type)}`,
        );
      }
      element = type;
    }
    return element === undefined ? "list" : element === "string" ? "list<string>" : "list<number>";
  }

  private binary(
    expr: Extract<ExprNode, { kind: "binary" }>,
    context: ExprContext,
  ): ExprType | undefined {
    const left = this.typeOf(expr.left, context);
    const right = this.typeOf(expr.right, context);
    if (left === undefined || right === undefined) return undefined;
    const op = expr.op;
    const needs = (side: "left" | "right", wanted: string, found: ExprType): undefined =>
      this.report(
        (side === "left" ? expr.left : expr.right).range,
        `\`${op}\` needs ${wanted} on the ${side}, but this is ${describe(found)}`,
      );
    switch (op) {
      case "and":
      case "or":
        if (left !== "boolean") return needs("left", "true or false", left);
        if (right !== "boolean") return needs("right", "true or false", right);
        return "boolean";
      case "matches":
        if (left !== "string") return needs("left", "a string", left);
        if (right !== "regex") return needs("right", "a regex like /word/i", right);
        return "boolean";
      case "startswith":
      case "endswith":
        if (left !== "string") return needs("left", "a string", left);
        if (right !== "string") return needs("right", "a string", right);
        return "boolean";
      case "contains":
        if (left === "string")
          return right === "string" ? "boolean" : needs("right", "a string", right);
        if (left.startsWith("list")) return this.element(left, right, expr.right.range, op);
        return needs("left", "a string or a list", left);
      case "in":
        if (right === "string")
          return left === "string" ? "boolean" : needs("left", "a string", left);
        if (right.startsWith("list")) return this.element(right, left, expr.left.range, op);
        return needs("right", "a list or a string", right);
      case "==":
      case "!=":
        if (left === "regex" || left.startsWith("list"))
          return needs("left", "a string, number or boolean", left);
        if (right !== left) return needs("right", describe(left), right);
        return "boolean";
      case "<":
      case "<=":
      case ">":
      case ">=":
        if (left !== "number") return needs("left", "a number", left);
        if (right !== "number") return needs("right", "a number", right);
        return "boolean";
    }
  }

  private element(
    list: ExprType,
    item: ExprType,
    range: SourceRange,
    op: string,
  ): ExprType | undefined {
    const wanted: ExprType | undefined =
      list === "list<string>" ? "string" : list === "list<number>" ? "number" : undefined;
    if (wanted === undefined ? item === "string" || item === "number" : item === wanted)
      return "boolean";
    return this.report(
      range,
      `\`${op}\` compares list items with ${describe(wanted ?? "string")}, but this is ${describe(item)}`,
    );
  }
}
