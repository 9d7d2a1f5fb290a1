// Golden diagnostics: for every code in DIAGNOSTIC_CODES a fixture test/dsl/golden/<code>.charter
// (or .yaml) and its expected compact lines `line:col code message` in <code>.expected.
// Regenerate after an intended change: UPDATE_GOLDEN=1 npx vitest run test/dsl/golden.test.ts
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSource, DIAGNOSTIC_CODES, formatDiagnosticsCompact } from "../../src/dsl/index.js";

const dir = join(import.meta.dirname, "golden");
const update = process.env["UPDATE_GOLDEN"] === "1";

function fixtureOf(code: string): string | undefined {
  return [".charter", ".yaml", ".json"]
    .map((ext) => `${code}${ext}`)
    .find((name) => existsSync(join(dir, name)));
}

describe("golden diagnostics", () => {
  for (const code of Object.keys(DIAGNOSTIC_CODES)) {
    it(`${code}: fixture reports exactly the expected lines`, () => {
      const fixture = fixtureOf(code);
      expect(fixture, `missing fixture test/dsl/golden/${code}.charter`).toBeDefined();
      const name = fixture as string;
      const result = compileSource(readFileSync(join(dir, name), "utf8"), {
        filename: name,
        cwd: dir,
        root: dir,
      });
      const actual = `${formatDiagnosticsCompact(result.diagnostics, name)}\n`;
      const expectedPath = join(dir, `${code}.expected`);
      if (update) writeFileSync(expectedPath, actual);
      expect(actual).toBe(readFileSync(expectedPath, "utf8"));
      // The fixture must really exercise its code, with that code's severity.
      const hits = result.diagnostics.filter((entry) => entry.code === code);
      expect(hits.length).toBeGreaterThan(0);
      for (const hit of hits)
        expect(hit.severity).toBe(DIAGNOSTIC_CODES[code as keyof typeof DIAGNOSTIC_CODES][0]);
      if (hits.some((hit) => hit.severity === "error")) expect(result.constitution).toBeUndefined();
    });
  }

  it("src/dsl/README.md lists every code with its severity", () => {
    const readme = readFileSync(
      join(import.meta.dirname, "..", "..", "src", "dsl", "README.md"),
      "utf8",
    );
    for (const [code, [severity]] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(readme).toMatch(new RegExp(`\\| \`${code}\` +\\| ${severity} +\\|`));
    }
  });
});
