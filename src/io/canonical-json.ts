// Canonical JSON: JSON.stringify with object keys sorted at every depth, so equal values hash
// equally. The one definition: response-cache keys, the offline model's replies, stable ids, the
// manifest's comparisons and the constitution's content hash all serialise through it.

/**
 * Serialise `value` as JSON with every object's keys sorted (arrays keep their order), leaving
 * out object members whose key is in `omit` at any depth (the content hash omits where things
 * were written). Otherwise exactly JSON.stringify: `toJSON` is honoured, `undefined` members are
 * dropped.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown, omit?: ReadonlySet<string>): string {
  // JSON.stringify calls toJSON before the replacer, so Dates and friends arrive as primitives.
  const text = JSON.stringify(value, omit === undefined ? sortKeys : omitting(omit));
  // JSON.stringify(undefined) is undefined; a hash input must still be a string.
  return text ?? "null";
}

function sortKeys(_key: string, value: unknown): unknown {
  return sorted(value, undefined);
}

function omitting(omit: ReadonlySet<string>): (key: string, value: unknown) => unknown {
  return (_key, value) => sorted(value, omit);
}

function sorted(value: unknown, omit: ReadonlySet<string> | undefined): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  // No prototype: a "__proto__" key must become a property, not a prototype.
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort())
    if (omit === undefined || !omit.has(key)) out[key] = (value as Record<string, unknown>)[key];
  return out;
}
