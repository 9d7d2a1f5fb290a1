// Short syntax-error messages: chevrotain's message provider, reduced to what a person needs
// ("expected `{` or `weight`", never twenty token names). The message carries structured data
// (JSON) that the parse stage turns into a diagnostic.

import type { IParserErrorMessageProvider, TokenType } from "chevrotain";
import { friendlyTokenName } from "./lexer.js";

/** What the parse stage reads back out of a chevrotain error message. */
export interface SyntaxMessage {
  /** Friendly names of what could come next, deduplicated, in grammar order. */
  readonly expected: string[];
  readonly rule: string;
}

export { joinExpected } from "./vocabulary.js";

function firstTokens(paths: TokenType[][]): string[] {
  const names: string[] = [];
  for (const path of paths) {
    const first = path[0];
    if (first === undefined) continue;
    const name = friendlyTokenName(first);
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

function encode(expected: string[], rule: string): string {
  const message: SyntaxMessage = { expected, rule };
  return JSON.stringify(message);
}

export const syntaxMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }) {
    return encode([friendlyTokenName(expected)], ruleName);
  },
  buildNotAllInputParsedMessage({ ruleName }) {
    return encode(["end of file"], ruleName);
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    return encode(firstTokens(expectedPathsPerAlt.flat()), ruleName);
  },
  buildEarlyExitMessage({ expectedIterationPaths, ruleName }) {
    return encode(firstTokens(expectedIterationPaths), ruleName);
  },
};

/** Reads a message built above; foreign messages degrade to no expectation. */
export function decodeSyntaxMessage(message: string): SyntaxMessage {
  try {
    const parsed = JSON.parse(message) as SyntaxMessage;
    if (Array.isArray(parsed.expected)) return parsed;
  } catch {
    // chevrotain's own message (should not happen): fall through
  }
  return { expected: [], rule: "" };
}
