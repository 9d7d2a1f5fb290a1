// Canonical JSON: JSON.stringify with object keys sorted at every depth, so equal values hash equally.

/**
 * Serialise `value` as JSON with every object's keys sorted (arrays keep their order).
 * Otherwise exactly JSON.stringify: `toJSON` is honoured, `undefined` members are dropped.
 *
 * @example
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) // '{"a":[2,{"c":4,"d":3}],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  // JSON.stringify calls toJSON before the replacer, so Dates and friends arrive as primitives.
  const text = JSON.stringify(value, sortKeys);
  // JSON.stringify(undefined) is undefined; a hash input must still be a string.
  return text ?? "null";
}

function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  // No prototype: a "__proto__" key must become a property, not a prototype.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value).sort())
    sorted[key] = (value as Record<string, unknown>)[key];
  return sorted;
}
