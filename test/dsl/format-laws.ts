// The formatter's laws, checked the same way for shipped and generated constitutions.
import { expect } from "vitest";
import { compileSource } from "../../src/dsl/compile-source.js";
import { formatSource } from "../../src/dsl/print/format.js";
import { lex } from "../../src/dsl/syntax/chevrotain-path.js";

/** The compiled form with every `location` removed (formatting moves text, nothing else). */
export function withoutLocations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutLocations);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "location")
        .map(([key, inner]) => [key, withoutLocations(inner)]),
    );
  }
  return value;
}

/** Comment tokens as the lexer sees them (a `#` inside a string is not one). */
const commentsOf = (text: string): string[] =>
  lex(text, "x.charter").comments.map((token) => token.image.trimEnd());

/**
 * fmt is idempotent; compile(fmt(x)) equals compile(x) with locations aside; every comment is
 * kept. Returns the formatted text.
 */
export function expectFormatLaws(
  text: string,
  filename: string,
  options: { compiles?: boolean } = {},
): string {
  const once = formatSource(text, filename);
  expect(once.diagnostics, filename).toEqual([]);
  const twice = formatSource(once.text, filename);
  expect(twice.text, `${filename}: fmt(fmt(x)) == fmt(x)`).toBe(once.text);
  expect(twice.changed).toBe(false);

  const before = compileSource(text, { filename });
  const after = compileSource(once.text, { filename });
  if (options.compiles === true) {
    expect(
      before.diagnostics.filter((d) => d.severity === "error"),
      filename,
    ).toEqual([]);
    expect(before.constitution).toBeDefined();
  }
  expect(after.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(
    before.diagnostics.map((d) => `${d.code}: ${d.message}`),
  );
  expect(after.constitution?.hash, `${filename}: hash`).toBe(before.constitution?.hash);
  expect(withoutLocations(after.constitution), `${filename}: compiled`).toEqual(
    withoutLocations(before.constitution),
  );
  expect(commentsOf(once.text), `${filename}: comments kept, in order`).toEqual(commentsOf(text));
  return once.text;
}
