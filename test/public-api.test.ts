// The package's front door is the deliberate list the README's "Library" table names: every name
// there is exported, and the compiler's internals are not.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const README = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "../README.md"), "utf8");

/** Names in the Library table's second column, up to a parenthesis (which explains them). */
function documentedNames(): string[] {
  const section = README.slice(README.indexOf("## Library"), README.indexOf("## Development"));
  return section
    .split("\n")
    .filter(
      (line) => line.startsWith("| ") && !line.startsWith("| group") && !line.startsWith("| ---"),
    )
    .flatMap((line) => {
      const cell = line.split("|")[2] ?? "";
      return [...cell.replace(/\([^)]*\)/g, "").matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map(
        (match) => match[1] as string,
      );
    });
}

describe("the public API", () => {
  it("exports every name the README's Library table lists", () => {
    const names = documentedNames();
    expect(names.length).toBeGreaterThan(50);
    expect(names.filter((name) => !(name in api))).toEqual([]);
  });

  it("keeps the compiler's internals out", () => {
    const internals = [
      "editDistance",
      "didYouMean",
      "charterLexer",
      "ALL_TOKENS",
      "tokens",
      "lex",
      "parseTokens",
      "parseCharter",
      "parseExpression",
      "printExpression",
      "dedentBlock",
      "unescapeString",
      "readDocument",
      "evaluate",
      "compilePattern",
    ];
    expect(internals.filter((name) => name in api)).toEqual([]);
  });
});
