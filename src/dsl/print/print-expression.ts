// Prints a compiled expression back as source, with only the parentheses precedence needs. Used
// for `whenSource`/`source` (so the same expression in .charter, YAML or formatted text compiles
// identically) and by the .charter printer.

import type { Expr } from "../../constitution/compiled.js";
import { quoteString } from "../syntax/strings.js";

/** Numbers as the lexer reads them: never in exponent form (`1e-7` would not parse back). */
function printNumber(value: number): string {
  const plain = String(value);
  const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(plain);
  if (match === null) return plain;
  // Move the point in JavaScript's shortest round-trip digits, so the value reads back exactly.
  const [, sign = "", first = "", rest = "", exponent = "0"] = match;
  const digits = first + rest;
  const point = 1 + Number(exponent);
  if (point <= 0) return `${sign}0.${"0".repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${"0".repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Binding strength: or < and < not < comparison < operand. */
function precedence(expr: Expr): number {
  if (expr.kind === "binary") return expr.op === "or" ? 1 : expr.op === "and" ? 2 : 4;
  if (expr.kind === "not") return 3;
  return 5;
}

function wrap(expr: Expr, minimum: number): string {
  const text = printExpression(expr);
  return precedence(expr) < minimum ? `(${text})` : text;
}

/** The canonical source of an expression. */
export function printExpression(expr: Expr): string {
  switch (expr.kind) {
    case "field":
      return expr.name;
    case "string":
      return quoteString(expr.value);
    case "number":
      return printNumber(expr.value);
    case "boolean":
      return String(expr.value);
    case "regex":
      return `/${expr.source}/${expr.flags}`;
    case "list":
      return `[${expr.items.map(printExpression).join(", ")}]`;
    case "call":
      return `${expr.fn}(${printExpression(expr.arg)})`;
    case "not":
      return `not ${wrap(expr.operand, 3)}`;
    case "binary": {
      if (expr.op === "or" || expr.op === "and") {
        const own = precedence(expr);
        // Left-associative: the right side needs parentheses at equal strength.
        return `${wrap(expr.left, own)} ${expr.op} ${wrap(expr.right, own + 1)}`;
      }
      return `${wrap(expr.left, 5)} ${expr.op} ${wrap(expr.right, 5)}`;
    }
  }
}
