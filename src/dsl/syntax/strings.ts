// String literals: `"..."` with JSON escapes, and `"""` blocks whose common indentation is removed
// (with the blank line after the opening and before the closing quotes trimmed).

/** The unescaped value, or the offset (inside `body`) and text of the first bad escape. */
export type UnescapeResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly value: string; readonly at: number; readonly escape: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "\\": "\\",
  "/": "/",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
};

/** Unescapes the body of a `"..."` literal (without its quotes) by JSON's rules. */
export function unescapeString(body: string): UnescapeResult {
  if (!body.includes("\\")) return { ok: true, value: body };
  let value = "";
  let bad: { at: number; escape: string } | undefined;
  for (let index = 0; index < body.length; index++) {
    const char = body[index] as string;
    if (char !== "\\") {
      value += char;
      continue;
    }
    const next = body[index + 1];
    if (next !== undefined && SIMPLE_ESCAPES[next] !== undefined) {
      value += SIMPLE_ESCAPES[next];
      index++;
    } else if (next === "u" && /^[0-9a-fA-F]{4}$/.test(body.slice(index + 2, index + 6))) {
      value += String.fromCharCode(parseInt(body.slice(index + 2, index + 6), 16));
      index += 5;
    } else {
      bad ??= { at: index, escape: `\\${next ?? ""}` };
      value += next ?? "";
      index++;
    }
  }
  return bad === undefined ? { ok: true, value } : { ok: false, value, ...bad };
}

// Character loops rather than regexes and trim(): every line of every `"""` block passes here.

function indentOf(line: string): number {
  let index = 0;
  while (index < line.length) {
    const code = line.charCodeAt(index);
    if (code !== 32 && code !== 9) break;
    index++;
  }
  return index;
}

function isBlank(line: string): boolean {
  for (let index = 0; index < line.length; index++) {
    const code = line.charCodeAt(index);
    if (code === 32 || code === 9) continue;
    // Printable ASCII is never blank; anything else is judged as trim() judges it.
    return code > 32 && code < 127 ? false : line.trim() === "";
  }
  return true;
}

/**
 * The value of a `"""` block from its body (between the quotes): lines after the opening quotes,
 * common indentation removed. Text on the opening line is kept as written.
 */
export function dedentBlock(body: string): string {
  const lines = (body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body).split("\n");
  if (lines.length > 1 && isBlank(lines[0] as string)) lines.shift();
  else if (lines.length > 1) {
    // Text right after `"""` does not take part in the indentation.
    const first = lines.shift() as string;
    const rest = dedentLines(lines, true);
    return [first, ...rest].join("\n");
  }
  return dedentLines(lines, true).join("\n");
}

function dedentLines(input: string[], trimLastBlank: boolean): string[] {
  const lines = [...input];
  if (trimLastBlank && lines.length > 0 && isBlank(lines[lines.length - 1] as string)) lines.pop();
  let common = Number.POSITIVE_INFINITY;
  for (const line of lines) if (!isBlank(line)) common = Math.min(common, indentOf(line));
  if (!Number.isFinite(common)) common = 0;
  return lines.map((line) => (isBlank(line) ? "" : line.slice(common)));
}

/** The `"..."` spelling of a value (JSON escapes). */
export function quoteString(value: string): string {
  return JSON.stringify(value);
}

/**
 * The `"""` spelling of a value indented by `indent`, or undefined when a block cannot hold it
 * exactly (it contains `"""`, or starts/ends with blank lines or shared indentation).
 */
export function blockString(value: string, indent: string): string | undefined {
  if (value.includes('"""') || value.includes("\r")) return undefined;
  const lines = value.split("\n");
  const body = lines.map((line) => (line === "" ? "" : `${indent}  ${line}`)).join("\n");
  const block = `"""\n${body}\n${indent}"""`;
  return dedentBlock(block.slice(3, -3)) === value ? block : undefined;
}
