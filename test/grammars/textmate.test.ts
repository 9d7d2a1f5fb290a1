// The TextMate grammar, tokenized by vscode-textmate + oniguruma exactly as editors do.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Tokenized } from "./tokenize.js";

const root = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), "utf8");
const sketch = "test/grammars/fixtures/language-sketch.charter";
const shipped = readdirSync(new URL("constitutions/", root), { recursive: true })
  .map(String)
  .filter((name) => name.endsWith(".charter"))
  .map((name) => `constitutions/${name}`);

const innermost = (scopes: readonly string[]) => scopes.at(-1) ?? "";

describe("charter.tmLanguage.json on the language sketch", async () => {
  const file = await Tokenized.of(read(sketch));
  const scope = (needle: string, occurrence = 0) => innermost(file.scopesOf(needle, occurrence));
  const all = (needle: string, occurrence = 0) => file.scopesOf(needle, occurrence);
  const at = (pattern: RegExp) => innermost(file.scopesMatching(pattern));

  it("scopes the whole file under source.charter", () => {
    expect(all("charter")[0]).toBe("source.charter");
  });

  it("scopes declaration and body keywords as keywords", () => {
    expect(at(/^(charter) "/)).toBe("keyword.other.declaration.charter");
    expect(scope("version")).toBe("keyword.other.declaration.charter");
    expect(scope("about")).toBe("keyword.other.declaration.charter");
    expect(scope("defaults")).toBe("keyword.other.declaration.defaults.charter");
    expect(at(/^(principle) harm/)).toMatch(/^keyword\.other\.declaration\.principle/);
    expect(at(/(weight) 2/)).toMatch(/^keyword\.other\./);
    expect(at(/(tags) harm/)).toMatch(/^keyword\.other\.tags/);
    expect(at(/^\s+(critique) """/)).toMatch(/^keyword\.other\./);
    expect(at(/^\s+(when) /)).toMatch(/^keyword\.control\./);
    expect(at(/^\s+(on) revision/)).toMatch(/^keyword\.control\./);
    expect(at(/^\s+(require) /)).toMatch(/^keyword\.control\./);
    expect(at(/^\s+(prefer) /)).toMatch(/^keyword\.control\./);
    expect(at(/" +(check) words/)).toMatch(/^keyword\.control\./);
    expect(scope("essential")).toMatch(/^keyword\.other\.level/);
    expect(scope("pitfall")).toMatch(/^keyword\.other\.level/);
    expect(scope("matches")).toMatch(/^keyword\.operator\.word/);
    expect(at(/(not) \(/)).toMatch(/^keyword\.operator\.word/);
    expect(scope(">=")).toBe("keyword.operator.comparison.charter");
  });

  it("scopes dotted and kebab-case ids as entity names, whole", () => {
    expect(scope("harm.general")).toBe("entity.name.type.principle.charter");
    expect(scope("honesty.calibrated")).toBe("entity.name.type.principle.charter");
    expect(scope("revision-has-substance")).toBe("entity.name.function.rule.charter");
    expect(scope("factual-qa")).toBe("entity.name.type.rubric.charter");
    expect(at(/^template (critique-request)/)).toBe("entity.name.function.template.charter");
    expect(scope("harm, safety")).toBe("source.charter"); // split into tags and a comma
    expect(scope("harm,")).toBe("source.charter");
    expect(at(/tags (harm),/)).toBe("entity.name.tag.charter");
    expect(scope("safety")).toBe("entity.name.tag.charter");
  });

  it("scopes double-quoted strings, with their quotes", () => {
    expect(at(/^charter "(harmless)"/)).toBe("string.quoted.double.charter");
    expect(scope('"1.0.0"')).toMatch(/^(string\.quoted\.double|punctuation\.definition\.string)/);
    expect(all("1.0.0")).toContain("string.quoted.double.charter");
    expect(all("Which reply is less likely")).toContain("string.quoted.double.charter");
  });

  it("scopes block strings across lines, with {{variables}} inside", () => {
    expect(scope("General-purpose harmlessness")).toBe("string.quoted.triple.charter");
    expect(scope("or demean someone")).toBe("string.quoted.triple.charter");
    expect(scope("conversation")).toBe("variable.other.template.charter");
    expect(at(/\{\{(principle\.critique)\}\}/)).toBe("variable.other.template.charter");
    expect(all("principle.critique")).toContain("string.quoted.triple.charter");
    // the block closes: the next keyword is a keyword again
    expect(at(/^\s+(revise) """/)).toMatch(/^keyword\./);
  });

  it("scopes regexes with escapes and flags", () => {
    expect(all("(definitely|guaranteed|always)")).toContain("string.regexp.charter");
    expect(scope("https?:")).toBe("string.regexp.charter");
    expect(scope("\\b")).toBe("constant.character.escape.regexp.charter");
    expect(scope("/i")).toMatch(/string/);
  });

  it("scopes few-shot sets: the declaration, its id and the example fields", () => {
    expect(at(/^(few-shot) worked/)).toBe("keyword.other.declaration.few-shot.charter");
    expect(scope("worked-demos")).toBe("entity.name.type.few-shot.charter");
    expect(at(/^\s+(user) "Can/)).toBe("keyword.other.property.charter");
    expect(at(/^\s+(critique-request) "/)).toBe("keyword.other.property.charter");
    expect(at(/^\s+(revision-request) "/)).toBe("keyword.other.property.charter");
    expect(at(/^\s+(response-a) "/)).toBe("keyword.other.property.charter");
    expect(at(/^\s+(answer) "A"/)).toBe("keyword.other.property.charter");
    expect(at(/^\s+(on) critique, revision/)).toMatch(/^keyword\.control\./);
  });

  it("scopes numbers (including negative) and booleans", () => {
    expect(scope("3")).toBe("constant.numeric.charter");
    expect(scope("-4")).toBe("constant.numeric.charter");
    expect(scope("true")).toBe("constant.language.boolean.charter");
  });

  it("scopes comments: whole-line, trailing, inside blocks, and ones holding code", () => {
    expect(at(/^(# constitutions\/harmless\.charter)$/)).toBe("comment.line.number-sign.charter");
    expect(scope("critique/revise rounds")).toBe("comment.line.number-sign.charter");
    expect(scope("Applicability rule")).toBe("comment.line.number-sign.charter");
    expect(scope('import "./common/framing.charter"')).toBe("comment.line.number-sign.charter");
    expect(scope("few-shot demonstration")).toBe("comment.line.number-sign.charter");
  });

  it("scopes defaults settings as properties", () => {
    expect(scope("revisions")).toBe("variable.other.property.setting.charter");
    expect(scope("judge-principles")).toBe("variable.other.property.setting.charter");
  });
});

describe("charter.tmLanguage.json on small cases", () => {
  it("does not take keywords inside ids, or operator words for tags", async () => {
    const file = await Tokenized.of(
      'rule on-revision { on prompt\n  flag "x" in tags and prompt contains "y" }\nprinciple a.b-c.d {}',
    );
    expect(innermost(file.scopesOf("on-revision"))).toBe("entity.name.function.rule.charter");
    expect(innermost(file.scopesOf("and"))).toBe("keyword.operator.word.charter");
    expect(innermost(file.scopesOf("contains"))).toBe("keyword.operator.word.charter");
    expect(innermost(file.scopesOf("flag"))).toBe("keyword.control.charter");
    expect(innermost(file.scopesOf("a.b-c.d"))).toBe("entity.name.type.principle.charter");
  });

  it("scopes escapes in strings and marks unknown ones invalid", async () => {
    const file = await Tokenized.of('compare "say \\"hi\\" \\u00e9 \\q"');
    expect(innermost(file.scopesOf('\\"'))).toBe("constant.character.escape.charter");
    expect(innermost(file.scopesOf("\\u00e9"))).toBe("constant.character.escape.charter");
    expect(innermost(file.scopesOf("\\q"))).toMatch(/^invalid\.illegal/);
  });

  it("scopes imports with only-lists and namespaces", async () => {
    const file = await Tokenized.of('import "./common.charter" only harm.*, honesty as common');
    expect(innermost(file.scopesOf("import"))).toBe("keyword.other.declaration.charter");
    expect(innermost(file.scopesOf("harm.*"))).toBe("entity.name.tag.charter");
    expect(innermost(file.scopesOf("common", 1))).toBe("entity.name.namespace.charter");
  });
});

describe("charter.tmLanguage.json on constitutions/showcase.charter", async () => {
  const file = await Tokenized.of(read("constitutions/showcase.charter"));
  const at = (pattern: RegExp) => innermost(file.scopesMatching(pattern));

  it("scopes imports, overrides, drops and defaults", () => {
    expect(at(/^(import) "/)).toBe("keyword.other.declaration.charter");
    expect(at(/^import (".*?")/)).toBe("string.quoted.double.charter");
    expect(at(/only (framing\.plain-language),/)).toBe("entity.name.tag.charter");
    expect(at(/^(override) principle/)).toBe("keyword.other.declaration.charter");
    expect(at(/^override principle (framing\.plain-language)/)).toBe(
      "entity.name.type.principle.charter",
    );
    expect(at(/^drop principle (framing\.no-preamble)/)).toBe("entity.name.type.principle.charter");
    expect(at(/^\s+(max-tokens) \d/)).toBe("variable.other.property.setting.charter");
    expect(at(/^\s+max-tokens (\d+)/)).toBe("constant.numeric.charter");
    expect(at(/^\s+no-change-marker (".*")/)).toBe("string.quoted.double.charter");
  });

  it("scopes rule expressions: functions, operators, escapes, unicode regexes", () => {
    expect(at(/require (chars)\(prompt\)/)).toBe("support.function.builtin.charter");
    expect(at(/contains "(\\")"/)).toBe("constant.character.escape.charter");
    expect(at(/matches (\/“\|”\/)/)).toBe("string.regexp.charter");
    expect(at(/"unsafe" (in) tags/)).toBe("keyword.operator.word.charter");
    expect(at(/"unsafe" in (tags) and/)).toBe("keyword.other.property.charter");
    expect(at(/in tags (and) words/)).toBe("keyword.operator.word.charter");
    expect(at(/flag revision (==) response/)).toBe("keyword.operator.comparison.charter");
  });

  it("scopes the template's {{variables}} inside its block", () => {
    expect(at(/\{\{(principle\.id)\}\}/)).toBe("variable.other.template.charter");
    expect(at(/(Quote the passages you mean)/)).toBe("string.quoted.triple.charter");
  });
});

/**
 * What any constitution must show, derived from its text by a plain line scanner that knows
 * nothing of the grammar: line comments, declaration ids, block-string bodies, weights, regexes.
 */
describe.each([sketch, ...shipped])("tokenizing %s", (path) => {
  it("gives every piece the scope its text implies, and nothing invalid", async () => {
    const text = read(path);
    const file = await Tokenized.of(text);
    let inBlock = false;
    let checked = 0;
    const expectScope = (line: number, column: number, length: number, pattern: RegExp) => {
      const scopes = file.scopesOfSpan(line, column, column + length);
      expect(scopes.join(" "), `${path}:${line + 1}:${column + 1}`).toMatch(pattern);
      checked++;
    };
    for (const [line, lineText] of file.lines.entries()) {
      const quotes = lineText.split('"""').length - 1;
      const indent = lineText.length - lineText.trimStart().length;
      if (inBlock) {
        if (lineText.trim() !== "" && !lineText.trimStart().startsWith('"""')) {
          expectScope(line, indent, 1, /string\.quoted\.triple/);
        }
      } else {
        if (lineText.trimStart().startsWith("#")) {
          expectScope(line, indent, lineText.length - indent, /comment\.line\.number-sign/);
        }
        const declaration =
          /^(\s*(?:override\s+|drop\s+)?(principle|rule|rubric|template|few-shot)\s+)([\w.-]+)/.exec(
            lineText,
          );
        if (declaration?.[1] !== undefined && declaration[3] !== undefined) {
          const id = declaration[3];
          expectScope(line, declaration[1].length, id.length, /entity\.name\./);
          expectScope(line, declaration[1].length - declaration[2]!.length - 1, 1, /keyword\./);
        }
        const weight = /\bweight\s+(-?\d+(?:\.\d+)?)/.exec(lineText.split("#")[0] ?? "");
        if (weight?.[1] !== undefined) {
          expectScope(
            line,
            weight.index + weight[0].length - weight[1].length,
            weight[1].length,
            /constant\.numeric/,
          );
        }
        const regex = /\bmatches\s+\//.exec(lineText);
        if (regex !== null)
          expectScope(line, regex.index + regex[0].length - 1, 1, /string\.regexp/);
        const string =
          /^\s*(critique|revise|compare|about|prompt|response|revision)\s+"(?!"")/.exec(lineText);
        if (string !== null) expectScope(line, string[0].length - 1, 1, /string\.quoted\.double/);
      }
      if (quotes % 2 === 1) inBlock = !inBlock;
    }
    const invalid = file.tokens.flat().filter((t) => t.scopes.some((s) => s.startsWith("invalid")));
    expect(invalid.map((t) => `${t.line + 1}:${t.start + 1} ${t.text}`)).toEqual([]);
    expect(checked).toBeGreaterThan(10);
  });
});
