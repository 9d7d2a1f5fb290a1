// editors/vscode/: the extension's package.json names files that exist once its grammar is copied
// from grammars/ (the one source), its language matches the grammar, its client starts `charter
// lsp`, and it stays out of the root package's dependencies (CI's `npm ci` stays light).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const extension = join(root, "editors/vscode");
const json = (path: string): any => JSON.parse(readFileSync(path, "utf8"));

describe("editors/vscode", () => {
  const manifest = json(join(extension, "package.json"));
  const copied = mkdtempSync(join(tmpdir(), "charter-vscode-"));
  afterAll(() => rmSync(copied, { recursive: true, force: true }));

  it("contributes the charter language with the grammar copied from grammars/", () => {
    execFileSync(process.execPath, [join(extension, "scripts/copy-grammar.mjs"), copied]);
    const [language] = manifest.contributes.languages;
    const [grammar] = manifest.contributes.grammars;
    expect(language.id).toBe("charter");
    expect(language.extensions).toEqual([".charter"]);
    expect(grammar.language).toBe(language.id);
    // Each contributed path lives in syntaxes/, which the copy script fills from grammars/.
    for (const path of [language.configuration, grammar.path]) {
      expect(path).toMatch(/^\.\/syntaxes\/[\w.-]+\.json$/);
      const name = path.slice("./syntaxes/".length);
      expect(readFileSync(join(copied, name), "utf8")).toBe(
        readFileSync(join(root, "grammars", name), "utf8"),
      );
    }
    expect(json(join(copied, "charter.tmLanguage.json")).scopeName).toBe(grammar.scopeName);
    expect(manifest.scripts.prepare).toBe("node scripts/copy-grammar.mjs");
  });

  it("starts `charter lsp` through vscode-languageclient, pinned, outside the root package", () => {
    expect(manifest.main).toBe("./extension.js");
    const source = readFileSync(join(extension, "extension.js"), "utf8");
    execFileSync(process.execPath, ["--check", join(extension, "extension.js")]);
    expect(source).toContain('require("vscode-languageclient/node")');
    expect(source).toMatch(/args: \["lsp"\], transport: TransportKind\.stdio/);
    expect(manifest.dependencies["vscode-languageclient"]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(manifest.engines.vscode).toBe("^1.91.0");
    const rootManifest = json(join(root, "package.json"));
    const rootDependencies = {
      ...rootManifest.dependencies,
      ...rootManifest.devDependencies,
    };
    expect(rootDependencies["vscode-languageclient"]).toBeUndefined();
    expect(rootManifest.workspaces).toBeUndefined();
    // The activation and the documents the client sends include every contributed language.
    expect(manifest.activationEvents).toContain(
      `onLanguage:${manifest.contributes.languages[0].id}`,
    );
  });
});
