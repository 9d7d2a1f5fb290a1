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
  // Plain data (the common case, and a whole constitution for its hash) goes through native
  // JSON.stringify with every key it holds as the property list, in canonical order: the same
  // bytes as sorting each object's keys, at a fraction of the cost of a replacer per value.
  const keys = canonicalKeyOrder(value, omit);
  const text =
    keys !== undefined
      ? JSON.stringify(value, keys)
      : // JSON.stringify calls toJSON before the replacer, so Dates and friends arrive as primitives.
        JSON.stringify(value, omit === undefined ? sortKeys : omitting(omit));
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

/** Past this depth the walk gives up (deep data, or a cycle, which the replacer path then throws on). */
const MAX_DEPTH = 1_000;

/**
 * Every key (but `omit`'s) of every object under `value`, in the order the sorting replacer's
 * objects print them: array indices ascending, then the rest sorted. Undefined when something
 * is not plain data (a class instance, a `toJSON`, a key an object could inherit such as
 * `constructor` or `__proto__`): a property list reads keys through the prototype too.
 */
function canonicalKeyOrder(value: unknown, omit?: ReadonlySet<string>): string[] | undefined {
  const keys = new Set<string>();
  if (!collectKeys(value, omit, keys, 0)) return undefined;
  const indices: string[] = [];
  const names: string[] = [];
  for (const key of keys) (isArrayIndex(key) ? indices : names).push(key);
  indices.sort((a, b) => Number(a) - Number(b));
  names.sort();
  return indices.length === 0 ? names : [...indices, ...names];
}

/** Adds the keys under `value` to `keys`; false when `value` holds something not plain. */
function collectKeys(
  value: unknown,
  omit: ReadonlySet<string> | undefined,
  keys: Set<string>,
  depth: number,
): boolean {
  if (value === null || typeof value !== "object") return true;
  if (depth > MAX_DEPTH) return false;
  if (Array.isArray(value)) {
    for (const item of value) if (!collectKeys(item, omit, keys, depth + 1)) return false;
    return true;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (omit !== undefined && omit.has(key)) continue;
    if (!keys.has(key)) {
      if (key in Object.prototype || key === "toJSON") return false;
      keys.add(key);
    }
    if (!collectKeys(record[key], omit, keys, depth + 1)) return false;
  }
  return true;
}

/** Keys an object lists first, in numeric order (ECMAScript's array indices). */
function isArrayIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57) return false;
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}
