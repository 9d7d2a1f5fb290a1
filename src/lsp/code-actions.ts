// Quick fixes: the did-you-mean suggestion a diagnostic carries, and for the codes with one obvious,
// safe repair: a missing header inserted, a repeated field removed, a version made semantic, a
// weight's sign turned the way its criterion needs, a string or regex closed at the end of its line.

import {
  CodeActionKind,
  type CodeAction,
  type Diagnostic as LspDiagnostic,
  type TextEdit,
} from "vscode-languageserver/node";
import { basename, extname } from "node:path";
import type { FileAst, SourceRange } from "../dsl/index.js";
import type { DiagnosticData } from "./diagnostics.js";
import type { FileModel } from "./project.js";
import { pathToUri } from "./sources.js";

/** A fix for one diagnostic: the action's title and edits, or undefined where none is safe. */
type Fixer = (
  model: FileModel,
  diagnostic: LspDiagnostic,
) => { title: string; edits: TextEdit[]; preferred: boolean } | undefined;

export function quickFixes(model: FileModel, diagnostics: readonly LspDiagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const fixers = [suggested, FIXERS[String(diagnostic.code)]];
    for (const fixer of fixers) {
      const fix = fixer?.(model, diagnostic);
      if (fix === undefined) continue;
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.preferred ? { isPreferred: true } : {}),
        edit: { changes: { [pathToUri(model.path)]: fix.edits } },
      });
    }
  }
  return actions;
}

/** Any diagnostic with a did-you-mean: replace the word it points at (quotes kept). */
const suggested: Fixer = (model, diagnostic) => {
  const suggestion = (diagnostic.data as DiagnosticData | undefined)?.suggestion;
  if (suggestion === undefined || diagnostic.range.start.line !== diagnostic.range.end.line) {
    return undefined;
  }
  const written = textOf(model, diagnostic);
  const quote =
    /^["']/.test(written) && written.endsWith(written[0] ?? "") ? (written[0] ?? "") : "";
  return {
    title: `Change to \`${suggestion}\``,
    edits: [{ range: diagnostic.range, newText: `${quote}${suggestion}${quote}` }],
    preferred: true,
  };
};

const FIXERS: Readonly<Record<string, Fixer>> = {
  "missing-header": (model) => {
    const name = basename(model.path, extname(model.path));
    const header = headerText(model, name);
    if (header === undefined) return undefined;
    const at = model.lines.positionAt(header.offset);
    return {
      title: `Add the header \`charter ${JSON.stringify(name)} version "1.0.0"\``,
      edits: [{ range: { start: at, end: at }, newText: header.text }],
      // A file meant to be imported needs no header: the fix is offered, not preferred.
      preferred: false,
    };
  },
  "duplicate-field": (model, diagnostic) => {
    const node = repeatedField(model.ast, model.lines.offsetAt(diagnostic.range.start));
    if (node === undefined) return undefined;
    const field = model.text.slice(node.keyword.start.offset, node.keyword.end.offset);
    return {
      title: `Remove the second \`${field}\``,
      edits: [{ range: withoutGap(model, node.range), newText: "" }],
      preferred: true,
    };
  },
  "invalid-version": (model, diagnostic) => {
    const written = textOf(model, diagnostic);
    const quote = /^["']/.test(written) ? (written[0] ?? "") : "";
    const inner = quote === "" ? written : written.slice(1, -1);
    const parts = inner.trim().replace(/^v/i, "").split(".");
    if (parts.length > 3 || !parts.every((part) => /^\d+$/.test(part))) return undefined;
    // Digits only, padded to three parts: `1.2` -> `1.2.0`, `v1` -> `1.0.0`.
    const version = [...parts, "0", "0"].slice(0, 3).join(".");
    // An unquoted YAML version (`1.0`) is quoted so it stays a string.
    const newText =
      quote === "" && model.format !== "charter" ? `"${version}"` : `${quote}${version}${quote}`;
    return {
      title: `Change the version to \`${version}\``,
      edits: [{ range: diagnostic.range, newText }],
      preferred: true,
    };
  },
  "invalid-weight": (model, diagnostic) => {
    const written = textOf(model, diagnostic);
    const value = Number(written);
    if (!Number.isFinite(value) || value === 0) return undefined;
    // A pitfall's weight must be negative, every other weight positive: turn the sign around.
    const needs = weightSign(model.ast, model.lines.offsetAt(diagnostic.range.start));
    if (needs === undefined || Math.sign(value) === needs) return undefined;
    const fixed = String(-value);
    return {
      title: `Change the weight to ${fixed}`,
      edits: [{ range: diagnostic.range, newText: fixed }],
      preferred: true,
    };
  },
  "unterminated-string": (model, diagnostic) =>
    closeOnItsLine(model, diagnostic, '"', "Close the string"),
  "unterminated-regex": (model, diagnostic) =>
    closeOnItsLine(model, diagnostic, "/", "Close the regex"),
};

const textOf = (model: FileModel, diagnostic: LspDiagnostic): string =>
  model.text.slice(
    model.lines.offsetAt(diagnostic.range.start),
    model.lines.offsetAt(diagnostic.range.end),
  );

/** A string or regex left open on one line: the closing character at the end of that line. */
function closeOnItsLine(
  model: FileModel,
  diagnostic: LspDiagnostic,
  close: string,
  title: string,
): ReturnType<Fixer> {
  // A `"""` block spans lines: where it should end is not obvious.
  if (textOf(model, diagnostic).startsWith('"""')) return undefined;
  let end = model.lines.offsetAt(diagnostic.range.end);
  while (end > 0 && /[ \t]/.test(model.text[end - 1] ?? "")) end--;
  const at = model.lines.positionAt(end);
  return { title, edits: [{ range: { start: at, end: at }, newText: close }], preferred: true };
}

/** The header to insert and where, in the file's format. */
function headerText(model: FileModel, name: string): { offset: number; text: string } | undefined {
  switch (model.format) {
    case "charter":
      return { offset: 0, text: `charter ${JSON.stringify(name)} version "1.0.0"\n\n` };
    case "yaml": {
      const marker = /^---[ \t]*\r?\n/.exec(model.text);
      const text = `charter: ${JSON.stringify(name)}\nversion: "1.0.0"\n`;
      return { offset: marker?.[0].length ?? 0, text };
    }
    case "json": {
      const open = model.text.indexOf("{");
      if (open < 0) return undefined;
      const empty = /^\s*\}/.test(model.text.slice(open + 1));
      const text = `"charter": ${JSON.stringify(name)}, "version": "1.0.0"${empty ? "" : ", "}`;
      return { offset: open + 1, text };
    }
  }
}

/** The field (a principle's item, an example's field, a rule's `on`, ...) whose keyword starts at `offset`. */
function repeatedField(
  ast: FileAst,
  offset: number,
): { keyword: SourceRange; range: SourceRange } | undefined {
  const fields: { keyword: SourceRange; range: SourceRange }[] = [];
  for (const decl of ast.declarations) {
    switch (decl.kind) {
      case "principle":
        for (const item of decl.items) {
          fields.push(item);
          if (item.kind === "example") fields.push(...item.fields);
        }
        break;
      case "rule":
        fields.push(...decl.items);
        break;
      case "rubric":
        fields.push(...decl.whens);
        break;
      case "defaults":
        for (const entry of decl.entries)
          fields.push({ keyword: entry.key.range, range: entry.range });
        break;
      case "few-shot":
        fields.push(...decl.on);
        for (const example of decl.examples) fields.push(...example.fields);
        break;
      default:
        break;
    }
  }
  return fields.find((field) => field.keyword.start.offset === offset);
}

/**
 * A node's range with the gap before it: its whole lines when nothing else is on them, else the
 * spaces before it on its line.
 */
function withoutGap(model: FileModel, range: SourceRange) {
  const text = model.text;
  let start = range.start.offset;
  let end = range.end.offset;
  while (start > 0 && /[ \t]/.test(text[start - 1] ?? "")) start--;
  let after = end;
  while (after < text.length && /[ \t]/.test(text[after] ?? "")) after++;
  const alone =
    (start === 0 || text[start - 1] === "\n") &&
    (after === text.length || text[after] === "\n" || text[after] === "\r");
  if (alone) {
    end =
      text[after] === "\r" && text[after + 1] === "\n"
        ? after + 2
        : Math.min(text.length, after + 1);
  }
  return { start: model.lines.positionAt(start), end: model.lines.positionAt(end) };
}

/** The sign the weight written at `offset` must have: -1 for a pitfall, 1 for the rest. */
function weightSign(ast: FileAst, offset: number): 1 | -1 | undefined {
  for (const decl of ast.declarations) {
    if (decl.kind === "principle" && decl.weight?.range.start.offset === offset) return 1;
    if (decl.kind !== "rubric") continue;
    for (const criterion of decl.criteria) {
      if (criterion.weight.range.start.offset === offset) {
        return criterion.level === "pitfall" ? -1 : 1;
      }
    }
  }
  return undefined;
}
