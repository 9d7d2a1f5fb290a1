// How the formatter and the importers spell a text value: one-line text as "...", multi-line as """.

import { blockString, quoteString } from "../syntax/strings.js";

/**
 * The canonical literal for `value` on a line indented by `indent`: a `"""` block (body indented
 * two more spaces) when the text has several lines and a block holds it exactly, else `"..."`.
 *
 * @example renderText("a\nb", "  ") // '"""\n    a\n    b\n  """'
 */
export function renderText(value: string, indent: string): string {
  if (value.includes("\n")) {
    const block = blockString(value, indent);
    if (block !== undefined) return block;
  }
  return quoteString(value);
}
