// The one renderer of .charter text, behind the formatter and every writer (`charter convert`,
// the importers): how a text value is spelt, and a statement or block at an indentation.

import { blockString, quoteString } from "../syntax/strings.js";

/** One step of indentation inside a block. */
export const INDENT = "  ";

/**
 * The canonical literal for `value` on a line indented by `indent`: a `"""` block (body indented
 * two more spaces) when the text has several lines and a block holds it exactly, else `"..."`.
 * With `prefer: "block"` (templates), a block whenever one holds it, even for one line.
 *
 * @example renderText("a\nb", "  ") // '"""\n    a\n    b\n  """'
 */
export function renderText(
  value: string,
  indent: string,
  prefer: "quoted" | "block" = "quoted",
): string {
  if (prefer === "block" || value.includes("\n")) {
    const block = blockString(value, indent);
    if (block !== undefined) return block;
  }
  return quoteString(value);
}

/** `keyword "text"` on a line indented by `indent`. */
export function statement(
  keyword: string,
  value: string,
  indent: string,
  prefer: "quoted" | "block" = "quoted",
): string {
  return `${indent}${keyword} ${renderText(value, indent, prefer)}`;
}

/**
 * `head {`, the body lines (already indented), `}`, at `indent`; an empty body as `head {}` on one
 * line, as the formatter writes an empty block (else `convert --to charter` wrote what fmt changes).
 */
export function block(head: string, body: readonly string[], indent = ""): string[] {
  if (body.length === 0) return [`${indent}${head} {}`];
  return [`${indent}${head} {`, ...body, `${indent}}`];
}
