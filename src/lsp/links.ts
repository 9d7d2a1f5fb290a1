// Document links: each import's path is a link to the file it names (when that file exists), so
// an editor underlines it and opens the file on a click, in .charter, YAML and JSON constitutions.

import { existsSync } from "node:fs";
import type { DocumentLink } from "vscode-languageserver/node";
import type { FileModel, Project } from "./project.js";
import { pathToUri } from "./sources.js";

export function documentLinks(project: Project, model: FileModel): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const edge of model.imports) {
    // An open, unsaved document counts; a path that names nothing is the diagnostics' business.
    if (project.document(edge.target) === undefined && !existsSync(edge.target)) continue;
    let { start, end } = {
      start: edge.decl.path.range.start.offset,
      end: edge.decl.path.range.end.offset,
    };
    // The link covers the path, not the quotes around it.
    const quote = model.text[start];
    if ((quote === '"' || quote === "'") && model.text[end - 1] === quote && end - start >= 2) {
      start++;
      end--;
    }
    links.push({
      range: { start: model.lines.positionAt(start), end: model.lines.positionAt(end) },
      target: pathToUri(edge.target),
      tooltip: `Open ${edge.decl.path.value}`,
    });
  }
  return links;
}
