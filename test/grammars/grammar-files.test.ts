// grammars/ stays in sync with the parser, and the syntax diagrams page works offline.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { describe, expect, it } from "vitest";
import { serializedGrammar } from "../../src/dsl/index.js";
import { grammarSnapshot, syntaxDiagramsHtml } from "../../scripts/grammar-files.js";

const read = (name: string) =>
  readFileSync(new URL(`../../grammars/${name}`, import.meta.url), "utf8");
const STALE = "the parser's grammar changed: run `npm run grammar` and commit grammars/";

describe("grammars/ generated files", () => {
  const grammar = serializedGrammar();
  const html = read("syntax-diagrams.html");

  it("grammar.snapshot.json holds the parser's current serialized grammar", () => {
    expect(JSON.parse(read("grammar.snapshot.json")), STALE).toEqual(
      JSON.parse(grammarSnapshot(grammar)),
    );
  });

  it("syntax-diagrams.html is what the generator makes from the current grammar", () => {
    expect(html === syntaxDiagramsHtml(grammar), STALE).toBe(true);
  });

  it("loads no script or stylesheet from a URL", () => {
    expect(html).not.toMatch(/<script[^>]*\bsrc\s*=/i);
    expect(html).not.toMatch(/<link[^>]*\bhref\s*=/i);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
  });

  it("draws a diagram for every rule using only its inlined scripts", () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? "");
    const diagrams = { innerHTML: "" };
    const document = {
      getElementById: (id: string) => (id === "diagrams" ? diagrams : null),
      getElementsByClassName: () => [],
    };
    // A sandbox without fetch, require or network: anything not inlined would fail here.
    const window: Record<string, unknown> = { document };
    window.window = window;
    const context = vm.createContext(window);
    for (const script of scripts) vm.runInContext(script, context);
    const names = grammar.map((rule) => ("name" in rule ? String(rule.name) : ""));
    expect(names).toContain("principleDecl");
    for (const name of names) {
      expect(diagrams.innerHTML).toContain(`<h2 class="diagramHeader">${name}</h2><svg`);
    }
  });
});
