// State `parsed` for any format: .charter text is lexed, parsed and built into an AST; YAML and JSON
// are read into the same AST.

import type { SourceFormat } from "../ast.js";
import { parseCharter, type ParsedFile } from "../syntax/parse-charter.js";
import { readDocument } from "./read-document.js";
import { formatOf } from "../workspace-host.js";

/** Parses one document of any format. Never throws on bad input. */
export function parseDocument(
  text: string,
  filename: string,
  format: SourceFormat = formatOf(filename),
): ParsedFile {
  return format === "charter" ? parseCharter(text, filename) : readDocument(text, filename, format);
}
