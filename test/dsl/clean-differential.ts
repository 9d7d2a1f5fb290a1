// The clean path held to the chevrotain path: on any text, parseClean either declines or gives the
// AST the chevrotain path builds (deep-equal and the same JSON, ranges and key order included),
// and it never declines a file the chevrotain path reads without a single diagnostic (else the
// fast path would quietly stop running); likewise for one expression of a YAML/JSON document. Used
// by clean-parser.test.ts and `npm run fuzz`.

import { isDeepStrictEqual } from "node:util";
import { isScalar, visit } from "yaml";
import { readTree, SourceLines } from "../../src/dsl/documents/source-text.js";
import {
  parseExpression as parseChevrotainExpression,
  parseWithChevrotain,
} from "../../src/dsl/syntax/chevrotain-path.js";
import type { ExpressionOrigin } from "../../src/dsl/syntax/chevrotain-slot.js";
import { parseCleanExpression } from "../../src/dsl/syntax/clean-expression.js";
import { parseClean } from "../../src/dsl/syntax/clean-parser.js";

/** What is wrong with the clean path on `text`, or undefined when it agrees with chevrotain. */
export function cleanPathProblem(text: string, file: string): string | undefined {
  const clean = parseClean(text, file);
  const full = parseWithChevrotain(text, file);
  if (clean === undefined) {
    return full.diagnostics.length === 0
      ? "the clean path declined a file chevrotain reads without diagnostics"
      : undefined;
  }
  if (full.diagnostics.length > 0) {
    const first = full.diagnostics[0];
    return `the clean path accepted a file chevrotain reports (${first?.code}: ${first?.message})`;
  }
  const cleanJson = JSON.stringify(clean);
  const fullJson = JSON.stringify(full.ast);
  if (cleanJson !== fullJson) return `the ASTs differ ${firstDifference(cleanJson, fullJson)}`;
  if (!isDeepStrictEqual(clean, full.ast)) return "the ASTs differ (not deep-equal; same JSON)";
  return undefined;
}

function firstDifference(a: string, b: string): string {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index++;
  const from = Math.max(0, index - 80);
  return `at JSON offset ${index}:\n  clean: ${a.slice(from, index + 80)}\n  chevrotain: ${b.slice(from, index + 80)}`;
}

/**
 * The same for one expression of a YAML/JSON document, read where it stands (`origin`): the clean
 * expression parser either declines or gives chevrotain's expression, and it never declines one
 * chevrotain reads without a diagnostic.
 */
export function cleanExpressionProblem(
  text: string,
  file: string,
  origin: ExpressionOrigin,
): string | undefined {
  const clean = parseCleanExpression(text, origin);
  const full = parseChevrotainExpression(text, file, origin);
  if (clean === undefined) {
    return full.diagnostics.length === 0
      ? "the clean path declined an expression chevrotain reads without diagnostics"
      : undefined;
  }
  if (full.diagnostics.length > 0 || full.expr === undefined) {
    const first = full.diagnostics[0];
    return `the clean path accepted an expression chevrotain reports (${first?.code}: ${first?.message})`;
  }
  const cleanJson = JSON.stringify(clean);
  const fullJson = JSON.stringify(full.expr);
  if (cleanJson !== fullJson) return `the trees differ ${firstDifference(cleanJson, fullJson)}`;
  if (!isDeepStrictEqual(clean, full.expr)) return "the trees differ (not deep-equal; same JSON)";
  return undefined;
}

/**
 * Every string scalar of a YAML/JSON text, with the origin document-values.ts would parse it from
 * as an expression (just inside a quote, else where the scalar starts).
 */
export function documentStrings(text: string): { text: string; origin: ExpressionOrigin }[] {
  const lines = new SourceLines(text);
  const found: { text: string; origin: ExpressionOrigin }[] = [];
  visit(readTree(text, { uniqueKeys: false }), {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== "string") return;
      const quoted = node.type === "QUOTE_DOUBLE" || node.type === "QUOTE_SINGLE" ? 1 : 0;
      found.push({ text: node.value, origin: lines.position((node.range?.[0] ?? 0) + quoted) });
    },
  });
  return found;
}
