// Document links: each import's path is a link to the file it names (when that file exists), so
// an editor underlines it and opens the file on a click, in .charter, YAML and JSON constitutions.

import { existsSync } from "node:fs";
import type { DocumentLink } from "vscode-languageserver/node";
import { importPathSpan, type FileModel, type Project } from "./project.js";
import { pathToUri } from "./sources.js";

export function documentLinks(project: Project, model: FileModel): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const edge of model.imports) {
    // An open, unsaved document counts; a path that names nothing is the diagnostics' business.
    if (project.document(edge.target) === undefined && !existsSync(edge.target)) continue;
    const { start, end } = importPathSpan(model.text, edge);
    links.push({
      range: { start: model.lines.positionAt(start), end: model.lines.positionAt(end) },
      target: pathToUri(edge.target),
      tooltip: `Open ${edge.decl.path.value}`,
    });
  }
  return links;
}
