// Shared by the importer tests: fixtures and diagnostics as compact strings.
import { readFileSync } from "node:fs";
import type { ImportDiagnostic } from "../../src/dsl/documents/importers/index.js";

export const importFixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/import/${name}`, import.meta.url), "utf8");

export const compact = (diagnostics: readonly ImportDiagnostic[]): string[] =>
  diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}: ${d.message}`);
