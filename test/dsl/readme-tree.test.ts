// The language's README lists every file of src/dsl by folder, and the files stay small: a file
// added, moved or grown past the limit shows here before the README or the shape goes stale.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DSL = join(ROOT, "src/dsl");

/** Folder (relative to src/dsl, "" for itself) → the `.ts` files the README's table names. */
function readmeTable(): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const line of readFileSync(join(DSL, "README.md"), "utf8").split("\n")) {
    const match = /^\| (\(here\)|`[a-z/-]+\/`)\s*\|(.*)\|$/.exec(line);
    if (match === null) continue;
    const folder = match[1] === "(here)" ? "" : (match[1] ?? "").slice(1, -2);
    const files = [...(match[2] ?? "").matchAll(/`([a-z-]+\.ts)`/g)].map((found) => found[1] ?? "");
    table.set(folder, files.sort());
  }
  return table;
}

function tsFiles(folder: string): string[] {
  return readdirSync(join(DSL, folder))
    .filter((name) => name.endsWith(".ts") && statSync(join(DSL, folder, name)).isFile())
    .sort();
}

function allFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? allFiles(path) : name.endsWith(".ts") ? [path] : [];
  });
}

describe("src/dsl's README", () => {
  it("lists exactly the files of each folder", () => {
    const table = readmeTable();
    expect([...table.keys()].sort()).toEqual([
      "",
      "compile",
      "documents",
      "documents/importers",
      "print",
      "syntax",
    ]);
    for (const [folder, files] of table)
      expect({ folder, files }).toEqual({ folder, files: tsFiles(folder) });
  });

  it("has no file in the language or the contract past ~400 lines", () => {
    const long = [...allFiles(DSL), ...allFiles(join(ROOT, "src/constitution"))]
      .map((path) => ({
        path: path.slice(ROOT.length + 1),
        lines: readFileSync(path, "utf8").split("\n").length,
      }))
      .filter((file) => file.lines > 400);
    expect(long).toEqual([]);
  });
});
