// The generated files of grammars/: railroad diagrams of the parser's own grammar as one offline
// HTML page, and the serialized productions the snapshot test compares against the parser.

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { createSyntaxDiagramsCode, type ISerializedGast } from "chevrotain";
// The parser module itself (not the front door, which loads chevrotain on use): scripts read it now.
import { serializedGrammar } from "../src/dsl/syntax/parser.js";

/** chevrotain's diagrams/ folder (scripts, vendored railroad-diagrams and CSS). */
const diagramsDir = ((): string => {
  // The package exports no package.json, so walk up from its entry point.
  let directory = dirname(createRequire(import.meta.url).resolve("chevrotain"));
  while (!existsSync(join(directory, "diagrams", "diagrams.css"))) {
    const parent = dirname(directory);
    if (parent === directory) throw new Error("chevrotain's diagrams/ folder was not found");
    directory = parent;
  }
  return join(directory, "diagrams");
})();
/** A base no browser can fetch, so any reference left un-inlined shows up in the test. */
const LOCAL = "charter-inline:";

function inlineScript(path: string): string {
  const code = readFileSync(join(diagramsDir, path), "utf8").replace(/<\/script/gi, "<\\/script");
  return `<script>\n/* chevrotain/diagrams/${path} (inlined so the page works offline) */\n${code}\n</script>`;
}

/**
 * The syntax-diagrams page for `grammar`, with chevrotain's scripts and CSS inlined: the page
 * chevrotain generates loads them from a CDN.
 */
export function syntaxDiagramsHtml(grammar: ISerializedGast[]): string {
  let html = createSyntaxDiagramsCode(grammar, {
    resourceBase: LOCAL,
    css: `${LOCAL}diagrams.css`,
  });
  html = html.replace(
    /<link rel='stylesheet' href='charter-inline:diagrams\.css'>/,
    () =>
      `<style>\n${readFileSync(join(diagramsDir, "diagrams.css"), "utf8").replace(/<\/style/gi, "<\\/style")}\n</style>`,
  );
  html = html.replace(/<script src='charter-inline:([\w/.-]+)'><\/script>/g, (_, path: string) =>
    inlineScript(path),
  );
  html = html.replace(
    '<meta charset="utf-8">',
    '<meta charset="utf-8">\n<title>Charter grammar: syntax diagrams</title>\n<!-- Regenerate with `npm run grammar`; the source of truth is src/dsl/syntax/parser.ts. -->',
  );
  if (html.includes(LOCAL)) throw new Error("a diagrams resource was not inlined");
  return html;
}

/** The serialized grammar as committed in grammars/grammar.snapshot.json. */
export function grammarSnapshot(grammar: ISerializedGast[]): string {
  return `${JSON.stringify(grammar, null, 2)}\n`;
}

/** Every generated file of grammars/, by file name. */
export function grammarFiles(): Record<string, string> {
  const grammar = serializedGrammar();
  return {
    "syntax-diagrams.html": syntaxDiagramsHtml(grammar),
    "grammar.snapshot.json": grammarSnapshot(grammar),
  };
}
