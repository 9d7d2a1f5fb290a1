// The rule expression evaluator: pure and total. It reads only the record it is given, never
// throws, and runs regexes through the linear-time engine in regex.ts, so a rule cannot hang a run.

import type { CompiledRuleCheck, Expr, ExprBinaryOp, ExprField, ExprFunction } from "./compiled.js";
import { compilePattern } from "./regex.js";

/*
 * Semantics, for every input (the compiler's type check rejects most odd mixes before a run, but
 * a run must still never fail on one):
 * - Fields: prompt/response/critique/revision read "" when missing or not text; tags reads [] when
 *   missing, and skips items that are not text.
 * - words(x): runs of non-whitespace; chars(x): Unicode code points; lines(x): 0 for "", else line
 *   breaks (\n, \r\n, \r) + 1, a final break ending the last line. A list argument is its items
 *   joined by newlines.
 * - x matches /re/: RE2 (linear time) on the first MAX_MATCH_INPUT code units (less for very large
 *   patterns, see regex.ts); a list on the left holds if any item matches; a string on the right is
 *   a pattern without flags; an unusable pattern matches nothing.
 * - contains: substring on text, membership on a list (exact item); startswith/endswith: on text,
 *   or any item of a list. a in b: membership when b is a list (every item when a is a list too),
 *   substring when b is text.
 * - ==, !=: numbers by value, anything else by its text. <, <=, >, >=: two texts by code units;
 *   otherwise as numbers (a list is its length, numeric text its number) and false if either is not
 *   a number.
 * - and/or short-circuit left to right and give booleans; not negates truthiness (false, 0, NaN,
 *   "" and [] are false).
 * - A malformed node is false; an expression nested deeper than MAX_EXPR_DEPTH is false as a whole.
 */

/** What a rule sees: one row at one stage. Missing fields read as "" (text) or [] (tags). */
export interface RuleRecord {
  readonly prompt?: string;
  readonly response?: string;
  readonly critique?: string;
  readonly revision?: string;
  readonly tags?: readonly string[];
}

/** A regex value: kept as source and flags; compiled (once, cached) only when matched. */
export interface RegexValue {
  readonly kind: "regex";
  readonly source: string;
  readonly flags: string;
}

/** Every value an expression can produce. Lists hold values of any kind. */
export type Value = string | number | boolean | RegexValue | readonly Value[];

/**
 * Expressions nested deeper than this evaluate to false as a whole, so a machine-made expression
 * cannot overflow the stack; no hand-written rule comes near it.
 */
export const MAX_EXPR_DEPTH = 2_000;

class TooDeep {}

/**
 * Evaluates an expression to a value. Total: any tree and any record give a value, never an error.
 *
 * @example
 * evaluate({ kind: "call", fn: "words", arg: { kind: "field", name: "revision" } }, { revision: "a b c" })  // 3
 */
export function evaluate(expr: Expr, record: RuleRecord): Value {
  try {
    return evaluateAt(expr, record ?? {}, 0);
  } catch {
    // TooDeep, or a RangeError when the engine's stack gives out first: both mean "too deep".
    return false;
  }
}

/** Evaluates an expression as a condition: its value's truthiness (see `truthy`). */
export function evaluateCondition(expr: Expr, record: RuleRecord): boolean {
  return truthy(evaluate(expr, record));
}

/**
 * Whether one `require`/`prefer`/`flag` check holds for a record. What the outcome means is the
 * caller's (a failing `require` rejects, `prefer` decides a pair where exactly one side holds, `flag`
 * records).
 *
 * @example
 * evaluateRule(rule.checks[0], { revision: "Sure, here is a safer plan." })  // true
 */
export function evaluateRule(check: CompiledRuleCheck, record: RuleRecord): boolean {
  return evaluateCondition(check.expr, record);
}

/**
 * Truthiness: false, 0, NaN, "", [] are false; everything else (including any regex) is true.
 */
export function truthy(value: Value): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value !== 0 && !Number.isNaN(value);
  if (typeof value === "string") return value.length > 0;
  if (isList(value)) return value.length > 0;
  return true;
}

/**
 * A value as text: numbers in JavaScript's shortest form, booleans as true/false, a list's items
 * joined by newlines, a regex as its source.
 */
export function toText(value: Value): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isList(value)) return value.map(toText).join("\n");
  return value.source;
}

function evaluateAt(expr: Expr, record: RuleRecord, depth: number): Value {
  if (depth > MAX_EXPR_DEPTH) throw new TooDeep();
  switch (expr?.kind) {
    case "field":
      return readField(record, expr.name);
    case "string":
      return typeof expr.value === "string" ? expr.value : "";
    case "number":
      return typeof expr.value === "number" ? expr.value : Number.NaN;
    case "boolean":
      return expr.value === true;
    case "regex":
      return { kind: "regex", source: String(expr.source), flags: String(expr.flags) };
    case "list":
      return Array.isArray(expr.items)
        ? expr.items.map((item) => evaluateAt(item, record, depth + 1))
        : [];
    case "call":
      return callFunction(expr.fn, evaluateAt(expr.arg, record, depth + 1));
    case "not":
      return !truthy(evaluateAt(expr.operand, record, depth + 1));
    case "binary":
      return evaluateBinary(expr.op, expr.left, expr.right, record, depth + 1);
    default:
      // A malformed tree (e.g. from hand-edited JSON) is false rather than an exception.
      return false;
  }
}

function readField(record: RuleRecord, name: ExprField): Value {
  if (name === "tags") {
    const tags: unknown = record.tags;
    return Array.isArray(tags) ? tags.filter((tag): tag is string => typeof tag === "string") : [];
  }
  const value: unknown = record[name];
  return typeof value === "string" ? value : "";
}

function callFunction(fn: ExprFunction, arg: Value): Value {
  const text = toText(arg);
  switch (fn) {
    case "words":
      return countWords(text);
    case "chars":
      return countCodePoints(text);
    case "lines":
      return countLines(text);
    default:
      return Number.NaN;
  }
}

function evaluateBinary(
  op: ExprBinaryOp,
  leftExpr: Expr,
  rightExpr: Expr,
  record: RuleRecord,
  depth: number,
): Value {
  if (op === "and" || op === "or") {
    // Short-circuit, left to right, so `x and (costly)` pays nothing when x is false. A chain
    // `a or b or c ...` is walked as a list, not recursed into: a rule OR-ing thousands of
    // keywords is flat to its author and must not count as deep.
    const wanted = op === "or";
    for (const operand of chainOperands(op, leftExpr, rightExpr)) {
      if (truthy(evaluateAt(operand, record, depth)) === wanted) return wanted;
    }
    return !wanted;
  }
  const left = evaluateAt(leftExpr, record, depth);
  const right = evaluateAt(rightExpr, record, depth);
  switch (op) {
    case "matches":
      return anyItem(left, (text) => matchesValue(text, right));
    case "contains":
      if (isList(left)) return memberOf(right, left);
      if (isRegex(right)) return matchesValue(toText(left), right);
      return toText(left).includes(toText(right));
    case "startswith":
      return anyItem(left, (text) => text.startsWith(toText(right)));
    case "endswith":
      return anyItem(left, (text) => text.endsWith(toText(right)));
    case "in":
      if (isList(right))
        return isList(left) ? left.every((item) => memberOf(item, right)) : memberOf(left, right);
      return toText(right).includes(toText(left));
    case "==":
      return equal(left, right);
    case "!=":
      return !equal(left, right);
    case "<":
    case "<=":
    case ">":
    case ">=":
      return compare(op, left, right);
    default:
      return false;
  }
}

/** The operands of a chain of one operator (`a or b or c`, however grouped), in source order. */
function chainOperands(op: "and" | "or", left: Expr, right: Expr): Expr[] {
  const operands: Expr[] = [];
  const pending: Expr[] = [right, left];
  while (pending.length > 0) {
    const next = pending.pop() as Expr;
    if (next?.kind === "binary" && next.op === op) pending.push(next.right, next.left);
    else operands.push(next);
  }
  return operands;
}

/** For a list, whether any item's text satisfies `test`; otherwise whether the value's text does. */
function anyItem(value: Value, test: (text: string) => boolean): boolean {
  return isList(value) ? value.some((item) => test(toText(item))) : test(toText(value));
}

/** `text matches right`: a regex literal, a string read as a pattern without flags, or a list of either. */
function matchesValue(text: string, right: Value): boolean {
  if (isList(right)) return right.some((item) => matchesValue(text, item));
  const pattern = isRegex(right)
    ? compilePattern(right.source, right.flags)
    : compilePattern(toText(right), "");
  // An unusable pattern (reported by the compiler as `unsupported-regex`) matches nothing.
  return pattern !== undefined && pattern.test(text);
}

/** Whether `needle`'s text equals the text of some item of `list`. */
function memberOf(needle: Value, list: readonly Value[]): boolean {
  const text = toText(needle);
  return list.some((item) => toText(item) === text);
}

function equal(left: Value, right: Value): boolean {
  if (typeof left === "number" && typeof right === "number") return left === right;
  return toText(left) === toText(right);
}

function compare(op: "<" | "<=" | ">" | ">=", left: Value, right: Value): boolean {
  let order: number;
  if (typeof left === "string" && typeof right === "string") {
    order = left < right ? -1 : left > right ? 1 : 0;
  } else {
    const a = toNumber(left);
    const b = toNumber(right);
    if (Number.isNaN(a) || Number.isNaN(b)) return false;
    order = a < b ? -1 : a > b ? 1 : 0;
  }
  switch (op) {
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
  }
}

/** Numbers as themselves, booleans as 1/0, lists as their length, numeric text as its number, else NaN. */
function toNumber(value: Value): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (isList(value)) return value.length;
  if (typeof value === "string") {
    const trimmed = value.trim();
    return trimmed === "" ? Number.NaN : Number(trimmed);
  }
  return Number.NaN;
}

function isList(value: Value): value is readonly Value[] {
  return Array.isArray(value);
}

function isRegex(value: Value): value is RegexValue {
  return (
    typeof value === "object" && !Array.isArray(value) && (value as RegexValue).kind === "regex"
  );
}

/** Maximal runs of non-whitespace (Unicode White_Space, as JavaScript's \s). */
export function countWords(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = isWhitespace(text.charCodeAt(i));
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

// The characters JavaScript's \s matches, tested by code so a 1 MB reply costs one pass.
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/** Unicode code points; a surrogate pair counts once, a lone surrogate counts once. */
export function countCodePoints(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/** Lines: "" has 0; otherwise line breaks (\n, \r\n or \r) + 1, where a final break ends the last line. */
export function countLines(text: string): number {
  if (text.length === 0) return 0;
  let breaks = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10) breaks++;
    else if (code === 13) {
      breaks++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  const last = text.charCodeAt(text.length - 1);
  return last === 10 || last === 13 ? breaks : breaks + 1;
}
