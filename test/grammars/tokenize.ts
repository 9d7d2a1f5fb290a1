// Tokenizes Charter source with the same machinery editors use (vscode-textmate + oniguruma).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import oniguruma from "vscode-oniguruma";
import textmate from "vscode-textmate";

const require = createRequire(import.meta.url);
const grammarPath = new URL("../../grammars/charter.tmLanguage.json", import.meta.url);

export interface Token {
  readonly line: number; // 0-based
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly scopes: readonly string[];
}

let grammarPromise: Promise<textmate.IGrammar> | undefined;

function loadGrammar(): Promise<textmate.IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new textmate.Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
        createOnigString: (text: string) => new oniguruma.OnigString(text),
      }),
      loadGrammar: (scopeName: string) =>
        Promise.resolve(
          scopeName === "source.charter"
            ? textmate.parseRawGrammar(readFileSync(grammarPath, "utf8"), grammarPath.pathname)
            : null,
        ),
    });
    const grammar = await registry.loadGrammar("source.charter");
    if (grammar === null) throw new Error("grammar source.charter did not load");
    return grammar;
  })();
  return grammarPromise;
}

/** All tokens of `source`, line by line, carrying their full scope stacks. */
export async function tokenize(source: string): Promise<Token[][]> {
  const grammar = await loadGrammar();
  let state = textmate.INITIAL;
  return source.split("\n").map((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({
      line,
      start: token.startIndex,
      end: Math.min(token.endIndex, lineText.length),
      text: lineText.slice(token.startIndex, token.endIndex),
      scopes: token.scopes,
    }));
  });
}

/** A tokenized file with lookups by text, so tests read like "`weight` is a keyword". */
export class Tokenized {
  private constructor(
    readonly lines: readonly string[],
    readonly tokens: readonly Token[][],
  ) {}

  static async of(source: string): Promise<Tokenized> {
    return new Tokenized(source.split("\n"), await tokenize(source));
  }

  /**
   * Scopes shared by every token covering the `occurrence`-th (0-based) appearance of `needle`,
   * outermost first: for `harm.general` that ends in the id's scope only if no part of it
   * fell outside.
   */
  scopesOf(needle: string, occurrence = 0): readonly string[] {
    let seen = 0;
    for (const [line, text] of this.lines.entries()) {
      let from = 0;
      for (;;) {
        const column = text.indexOf(needle, from);
        if (column < 0) break;
        if (seen++ === occurrence) return this.scopesOfSpan(line, column, column + needle.length);
        from = column + 1;
      }
    }
    throw new Error(`'${needle}' (occurrence ${occurrence}) not found`);
  }

  /**
   * Like `scopesOf`, for the first line `pattern` matches; the span is capture group 1 if the
   * pattern has one, else the whole match. `scopesMatching(/^(charter) /)`.
   */
  scopesMatching(pattern: RegExp): readonly string[] {
    for (const [line, text] of this.lines.entries()) {
      const match = pattern.exec(text);
      if (match === null) continue;
      const group = match[1] ?? match[0];
      const column = match.index + match[0].indexOf(group);
      return this.scopesOfSpan(line, column, column + group.length);
    }
    throw new Error(`no line matches ${pattern}`);
  }

  /** Scopes shared by every token covering [start, end) on one 0-based line. */
  scopesOfSpan(line: number, start: number, end: number): readonly string[] {
    const covering = (this.tokens[line] ?? []).filter((t) => t.start < end && t.end > start);
    const first = covering[0];
    if (first === undefined) throw new Error(`no token at ${line + 1}:${start + 1}`);
    return first.scopes.filter((scope) => covering.every((t) => t.scopes.includes(scope)));
  }
}
