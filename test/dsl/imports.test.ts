// Imports with an in-memory file system: relative resolution, `only` globs, `as` prefixes,
// override/drop, diamonds, cycles (with the chain), escapes from the root, cross-file duplicates.
import { describe, expect, it } from "vitest";
import {
  compileSource,
  formatDiagnosticsCompact,
  type CompileResult,
} from "../../src/dsl/index.js";

const HEADER = 'charter "main" version "1.0.0"\n';

function compileWith(
  files: Record<string, string>,
  entry = "main.charter",
  root = ".",
): CompileResult {
  return compileSource(files[entry] ?? "", {
    filename: entry,
    root,
    readFile: (path) => files[path],
  });
}

const LIB = [
  'principle harm.general { critique "c" revise "r" }',
  'principle harm.privacy { compare "Which keeps secrets?" }',
  'principle tone.kind { compare "Which is kinder?" }',
  "rule nonempty { on response require chars(response) > 0 }",
  'rubric qa { essential "correct" weight 2 }',
  'template compare-request "{{question}} {{response_a}} {{response_b}}"',
  "defaults { revisions 2 seed 7 }",
].join("\n");

describe("imports", () => {
  it("merges principles, rules, rubrics, templates and defaults from a relative path", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "./lib/harm.charter"\ndefaults { revisions 4 }\nprinciple own { compare "q" }\n`,
      "lib/harm.charter": LIB,
    });
    expect(result.diagnostics).toEqual([]);
    const constitution = result.constitution;
    expect(constitution?.principles.map((p) => p.id)).toEqual([
      "harm.general",
      "harm.privacy",
      "tone.kind",
      "own",
    ]);
    expect(constitution?.rules.map((r) => r.id)).toEqual(["nonempty"]);
    expect(constitution?.rubrics.map((r) => r.id)).toEqual(["qa"]);
    expect(Object.keys(constitution?.templates ?? {})).toEqual(["compare-request"]);
    expect(constitution?.defaults).toEqual({ revisions: 4, seed: 7 });
    expect(constitution?.imports).toEqual(["lib/harm.charter"]);
    expect(constitution?.principles[0]?.location).toEqual({
      file: "lib/harm.charter",
      line: 1,
      column: 1,
    });
  });

  it("`only` keeps ids matching names and globs; `as` prefixes them", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "lib.charter" only harm.*, nonempty as lib\n`,
      "lib.charter": LIB,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles.map((p) => p.id)).toEqual([
      "lib.harm.general",
      "lib.harm.privacy",
    ]);
    expect(result.constitution?.rules.map((r) => r.id)).toEqual(["lib.nonempty"]);
    expect(result.constitution?.rubrics).toEqual([]);
  });

  it("override replaces only the given fields; drop removes", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "lib.charter"\noverride principle harm.general weight 3 { revise "gentler" }\ndrop principle tone.kind\n`,
      "lib.charter": LIB,
    });
    expect(result.diagnostics).toEqual([]);
    const general = result.constitution?.principles.find((p) => p.id === "harm.general");
    expect(general).toMatchObject({
      weight: 3,
      critique: "c",
      revise: "gentler",
      location: { file: "main.charter", line: 3 },
    });
    expect(result.constitution?.principles.map((p) => p.id)).toEqual([
      "harm.general",
      "harm.privacy",
    ]);
  });

  it("a redefinition without override is duplicate-principle naming both files", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "lib.charter"\nprinciple tone.kind { compare "mine" }\n`,
      "lib.charter": LIB,
    });
    const duplicate = result.diagnostics.find((entry) => entry.code === "duplicate-principle");
    expect(duplicate?.message).toBe(
      "principle `tone.kind` is already imported from lib.charter:3:11; write `override principle tone.kind` to change it",
    );
    expect(duplicate?.range.file).toBe("main.charter");
    expect(duplicate?.related?.[0]?.range).toMatchObject({
      file: "lib.charter",
      start: { line: 3, column: 11 },
    });
    expect(result.constitution).toBeUndefined();
  });

  it("the same file reached twice (a diamond) is not a duplicate", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "a.charter"\nimport "b.charter"\n`,
      "a.charter": 'import "common.charter"\nprinciple a { compare "a" }',
      "b.charter": 'import "common.charter"\nprinciple b { compare "b" }',
      "common.charter": 'principle shared { compare "s" }',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles.map((p) => p.id)).toEqual(["shared", "a", "b"]);
    expect(result.constitution?.imports).toEqual(["common.charter", "a.charter", "b.charter"]);
  });

  it("two different imports defining one id are reported at the second import, naming both", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "a.charter"\nimport "b.charter"\n`,
      "a.charter": 'principle same { compare "a" }',
      "b.charter": 'principle same { compare "b" }',
    });
    expect(formatDiagnosticsCompact(result.diagnostics)).toBe(
      "3:8 duplicate-principle principle `same` is imported twice: from a.charter:1:11 and b.charter:1:11",
    );
  });

  it("reports a cycle with its chain, once", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "a.charter"\n`,
      "a.charter": 'import "b.charter"\nprinciple a { compare "a" }',
      "b.charter": 'import "main.charter"\nprinciple b { compare "b" }',
    });
    expect(formatDiagnosticsCompact(result.diagnostics, "main.charter")).toBe(
      "b.charter:1:8 import-cycle import cycle: main.charter -> a.charter -> b.charter -> main.charter",
    );
  });

  it("refuses absolute paths and paths that leave the root", () => {
    const result = compileWith(
      {
        "project/main.charter": `${HEADER}import "../secret.charter"\nimport "/etc/passwd"\nimport "sub/../ok.charter"\n`,
        "project/ok.charter": 'principle ok { compare "ok" }',
        "secret.charter": 'principle secret { compare "s" }',
      },
      "project/main.charter",
      "project",
    );
    expect(formatDiagnosticsCompact(result.diagnostics)).toBe(
      [
        "2:8 import-outside-root `../secret.charter` is outside the project root (imports stay inside the directory holding package.json or .git)",
        "3:8 import-outside-root imports must be relative paths, not `/etc/passwd`",
      ].join("\n"),
    );
  });

  it("finds the root from package.json above the entry file when none is given", () => {
    const files: Record<string, string> = {
      "/work/proj/package.json": "{}",
      "/work/proj/c/main.charter": `${HEADER}import "../lib.charter"\nimport "../../other/x.charter"\n`,
      "/work/proj/lib.charter": 'principle l { compare "l" }',
      "/work/other/x.charter": 'principle x { compare "x" }',
    };
    const result = compileSource(files["/work/proj/c/main.charter"] as string, {
      filename: "/work/proj/c/main.charter",
      readFile: (path) => files[path],
    });
    expect(result.diagnostics.map((entry) => `${entry.range.start.line} ${entry.code}`)).toEqual([
      "3 import-outside-root",
    ]);
  });

  it("reports a missing import and `only` names the file lacks, with a suggestion", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "gone.charter"\nimport "lib.charter" only tone.knd\n`,
      "lib.charter": LIB,
    });
    expect(formatDiagnosticsCompact(result.diagnostics)).toBe(
      [
        "2:8 import-not-found cannot find `gone.charter` (looked for gone.charter)",
        "3:27 import-only-unknown `lib.charter` defines nothing named `tone.knd`; did you mean `tone.kind`?",
      ].join("\n"),
    );
  });

  it("imports YAML files from .charter files", () => {
    const result = compileWith({
      "main.charter": `${HEADER}import "lib.yaml"\n`,
      "lib.yaml": "principles:\n  - id: from.yaml\n    compare: q\n",
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.principles[0]).toMatchObject({
      id: "from.yaml",
      location: { file: "lib.yaml", line: 2 },
    });
  });
});
