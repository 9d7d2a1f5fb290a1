// canonicalJson's fast path (native JSON.stringify with every key as the property list) against
// the sorting replacer it replaced, byte for byte: content hashes, cache keys and stable ids are
// pinned by other tests, and this one says why they can stay pinned.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/io/index.js";

/** The definition: JSON.stringify with a replacer that sorts each object's keys (and omits some). */
function reference(value: unknown, omit?: ReadonlySet<string>): string {
  const text = JSON.stringify(value, (_key, current: unknown) => {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return current;
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(current).sort())
      if (omit === undefined || !omit.has(key))
        out[key] = (current as Record<string, unknown>)[key];
    return out;
  });
  return text ?? "null";
}

/** Keys that tell the two apart if the order or the prototype handling is wrong. */
const awkwardKey = fc.constantFrom(
  "a",
  "B",
  "b",
  "10",
  "9",
  "01",
  "-1",
  "1.5",
  "4294967294",
  "4294967295",
  "__proto__",
  "constructor",
  "toString",
  "toJSON",
  "é",
  "",
  "file",
  "location",
);
const key = fc.oneof(awkwardKey, fc.string());
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constant(undefined),
    fc.array(tie("node"), { maxLength: 4 }),
    fc.dictionary(key, tie("node"), { maxKeys: 5 }),
  ),
})).node;

describe("canonicalJson", () => {
  it("writes the sorting replacer's bytes, with and without omitted keys", () => {
    const omit = new Set(["file", "location", "hash"]);
    fc.assert(
      fc.property(value, (input) => {
        expect(canonicalJson(input)).toBe(reference(input));
        expect(canonicalJson(input, omit)).toBe(reference(input, omit));
      }),
      { seed: 20261201, numRuns: 2_000 },
    );
  });

  // Found by `npm run fuzz` (a YAML constitution whose `when` held 41 nested `not`s never finished
  // compiling): an object needing a copy walked its members twice, so a chain of such objects took
  // 2^depth walks. 200 levels would not finish in the life of the machine before the fix.
  it("walks each member once, however deep a chain of objects needing a copy", () => {
    let chain: Record<string, unknown> = { z: 1, a: 2 };
    for (let depth = 0; depth < 200; depth++) chain = { kind: "not", operand: chain };
    expect(canonicalJson(chain)).toBe(reference(chain));
    expect(canonicalJson(chain, new Set(["z"]))).toBe(reference(chain, new Set(["z"])));
  });

  it("falls back to the replacer for what is not plain data", () => {
    const date = new Date(0);
    const cases: unknown[] = [
      { when: date, a: 1 },
      { toJSON: () => ({ z: 1, a: 2 }) },
      { m: new Map([["a", 1]]), s: new Set([1]) },
      JSON.parse('{"__proto__":{"b":1,"a":2},"c":3}'),
      { constructor: 1 },
      { nested: [{ b: 1, a: { d: [], c: null } }] },
    ];
    for (const input of cases) expect(canonicalJson(input)).toBe(reference(input));
    const cycle: Record<string, unknown> = { a: 1 };
    cycle["self"] = cycle;
    // The sorting replacer makes a fresh object per visit, so a cycle overflows the stack there.
    expect(() => reference(cycle)).toThrow(RangeError);
    expect(() => canonicalJson(cycle)).toThrow(RangeError);
  });
});
