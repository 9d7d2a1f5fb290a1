// The compiler workspace: document states, one parse reused by compile and format, editor texts
// over the host's files, import dependents, and recompiling only what a change touches.
import { describe, expect, it } from "vitest";
import {
  compileSource,
  CompilerWorkspace,
  formatDiagnosticsCompact,
  formatSource,
  WorkspaceHost,
} from "../../src/dsl/index.js";

const HEADER = 'charter "main" version "1.0.0"\n';

/** A workspace over an in-memory disk that counts reads, so tests can see what was re-read. */
function workspaceOver(files: Record<string, string>) {
  const reads: string[] = [];
  const host = WorkspaceHost.reader((path) => {
    reads.push(path);
    return files[path];
  });
  return { workspace: new CompilerWorkspace({ host, root: "." }), reads };
}

const FILES = {
  "main.charter": `${HEADER}import "./lib/a.charter"\nprinciple own { compare "q" }\n`,
  "lib/a.charter": 'import "./b.charter"\nprinciple a.one { compare "a?" }\n',
  "lib/b.charter": 'principle b.one { compare "b?" }\n',
  "other.charter": `${HEADER}principle solo { compare "s?" }\n`,
};

describe("CompilerWorkspace", () => {
  it("walks documents through parsed, linked, checked and compiled", () => {
    const { workspace } = workspaceOver(FILES);
    workspace.update("main.charter", FILES["main.charter"]);
    expect(workspace.document("main.charter")?.state).toBe("checked");
    const result = workspace.compile("main.charter");
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles.map((item) => item.id)).toEqual([
      "b.one",
      "a.one",
      "own",
    ]);
    expect(workspace.document("main.charter")?.state).toBe("compiled");
    // An imported document is checked as a library, never compiled on its own.
    expect(workspace.document("lib/a.charter")?.state).toBe("checked");
    expect(workspace.document("lib/a.charter")?.imports).toEqual(["lib/b.charter"]);
  });

  it("keeps tokens, CST, AST and diagnostics of a .charter document", () => {
    const { workspace } = workspaceOver({});
    workspace.open("x.charter", `${HEADER}principle p { critque "c" }\n`);
    const document = workspace.document("x.charter");
    expect(document?.syntax?.tokens.length).toBeGreaterThan(5);
    expect(document?.syntax?.cst.name).toBe("charterFile");
    expect(document?.ast.declarations.map((decl) => decl.kind)).toEqual(["header", "principle"]);
    expect(formatDiagnosticsCompact(document?.diagnostics ?? [])).toContain("unknown-keyword");
  });

  it("compiles exactly as compileSource does, errors in imports included", () => {
    const files = { ...FILES, "lib/b.charter": 'principle b.one { compare "" }\n' };
    const { workspace } = workspaceOver(files);
    const direct = compileSource(files["main.charter"], {
      filename: "main.charter",
      root: ".",
      readFile: (path) => files[path as keyof typeof files],
    });
    expect(workspace.compile("main.charter")).toEqual(direct);
    expect(direct.diagnostics.map((entry) => `${entry.range.file} ${entry.code}`)).toEqual([
      "lib/b.charter empty-text",
    ]);
  });

  it("reads an editor's unsaved text instead of the host's file", () => {
    const { workspace } = workspaceOver(FILES);
    workspace.open("lib/b.charter", 'principle b.one { compare "b?" }\nprinciple b.two {}\n');
    const [problem] = workspace.compile("main.charter").diagnostics;
    expect(problem?.range.file).toBe("lib/b.charter");
    expect(formatDiagnosticsCompact(problem ? [problem] : [])).toMatch(
      /^2:11 principle-without-purpose/,
    );
    workspace.close("lib/b.charter");
    expect(workspace.compile("main.charter").diagnostics).toEqual([]);
  });

  it("finds the documents that import a document, through others", () => {
    const { workspace } = workspaceOver(FILES);
    workspace.compile("main.charter");
    workspace.compile("other.charter");
    expect(workspace.dependents("lib/b.charter").sort()).toEqual(["lib/a.charter", "main.charter"]);
    expect(workspace.dependents("other.charter")).toEqual([]);
  });

  it("recompiles only what a change touches, reusing every other parse", () => {
    const { workspace, reads } = workspaceOver(FILES);
    const main = workspace.compile("main.charter");
    const other = workspace.compile("other.charter");
    const mainAst = workspace.document("main.charter")?.ast;
    const aAst = workspace.document("lib/a.charter")?.ast;
    reads.length = 0;

    workspace.update("lib/b.charter", 'principle b.one { compare "changed?" }\n');
    expect(workspace.compile("other.charter")).toBe(other); // does not import b: kept
    const again = workspace.compile("main.charter");
    expect(again).not.toBe(main);
    expect(again.constitution?.principles[0]?.compare).toEqual(["changed?"]);
    // Nothing was read again and the unchanged documents kept their parse.
    expect(reads).toEqual([]);
    expect(workspace.document("main.charter")?.ast).toBe(mainAst);
    expect(workspace.document("lib/a.charter")?.ast).toBe(aAst);
  });

  it("recompiles an entry whose missing import appears", () => {
    const files: Record<string, string> = { "main.charter": `${HEADER}import "./late.charter"\n` };
    const { workspace } = workspaceOver(files);
    expect(formatDiagnosticsCompact(workspace.compile("main.charter").diagnostics)).toContain(
      "import-not-found",
    );
    workspace.open("late.charter", 'principle late { compare "l?" }\n');
    expect(workspace.compile("main.charter").diagnostics).toEqual([]);
  });

  it("formats from its one parse, as formatSource does", () => {
    const text = `${HEADER}principle   p {compare "q"}   # kept\n`;
    const { workspace } = workspaceOver({});
    workspace.open("p.charter", text);
    expect(workspace.format("p.charter")).toEqual(formatSource(text, "p.charter"));
    expect(workspace.format("p.charter")?.text).toBe(
      `${HEADER}\nprinciple p {\n  compare "q"\n}  # kept\n`,
    );
  });

  it("reports an entry it cannot read", () => {
    const { workspace } = workspaceOver({});
    expect(formatDiagnosticsCompact(workspace.compile("gone.charter").diagnostics)).toBe(
      "1:1 import-not-found cannot read `gone.charter`",
    );
  });

  it("keeps what an entry exports, overrides applied, with where each piece was written", () => {
    const files = {
      ...FILES,
      "main.charter": `${HEADER}import "./lib/a.charter"\noverride principle a.one { compare "new?" }\n`,
    };
    const { workspace } = workspaceOver(files);
    const exports = workspace.exports("main.charter");
    expect([...(exports?.principles.keys() ?? [])]).toEqual(["b.one", "a.one"]);
    const overridden = exports?.principles.get("a.one");
    expect([overridden?.file, overridden?.value.compare]).toEqual(["main.charter", ["new?"]]);
    expect(exports?.principles.get("b.one")?.file).toBe("lib/b.charter");
    expect(workspace.exports("missing.charter")).toBeUndefined();
  });
});
