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
  // Plain data (the common case, and a whole constitution for its hash) is rewritten into objects
  // whose own key order is already canonical, reusing every part that already is, and printed by
  // native JSON.stringify without a replacer: the replacer's bytes, without a call per value.
  const canonical = canonicalForm(value, omit, 0);
  const text =
    canonical !== NOT_PLAIN
      ? JSON.stringify(canonical)
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

/** What canonicalForm returns for anything not plain data: the replacer path handles it. */
const NOT_PLAIN: unique symbol = Symbol("not plain");

/**
 * `value` rewritten so that native JSON.stringify prints canonicalJson's bytes (`omit`'s keys
 * left out), or undefined when it is not plain data. For writers that assemble canonical JSON from
 * parts they already hold in canonical order (the content hash).
 */
export function canonicalValue(value: unknown, omit?: ReadonlySet<string>): unknown {
  const form = canonicalForm(value, omit, 0);
  return form === NOT_PLAIN ? undefined : form;
}

/**
 * `value` with every object's keys in the order the sorting replacer prints them and `omit`'s
 * keys left out: the same value where it already is so, else a copy. NOT_PLAIN for a class
 * instance, a `toJSON` or data nested past MAX_DEPTH.
 */
function canonicalForm(
  value: unknown,
  omit: ReadonlySet<string> | undefined,
  depth: number,
): unknown {
  if (value === null || typeof value !== "object") return value;
  if (depth > MAX_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const form = canonicalForm(item, omit, depth + 1);
      if (form === NOT_PLAIN) return NOT_PLAIN;
      if (form !== item) (copy ??= value.slice())[index] = form;
    }
    return copy ?? value;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  // Kept as it is when its keys are sorted strings (no array index, which objects list first),
  // none is omitted and every member is kept as it is.
  let keep = true;
  let previous = "";
  // The members walked before the object turned out to need a copy: the first `kept` as they are,
  // then `changed`. The copy reuses them: walking them again would walk each level of nested data
  // that needs a copy twice, 2^depth in all (a chain of 40 `not`s took hours to hash).
  let kept = 0;
  let changed: { readonly key: string; readonly form: unknown } | undefined;
  for (const key in record) {
    if (key === "toJSON") return NOT_PLAIN;
    if (!keep) continue;
    if (key <= previous || isArrayIndex(key) || omit?.has(key) === true || key === "__proto__") {
      keep = false;
      continue;
    }
    previous = key;
    const member = record[key];
    const form = canonicalForm(member, omit, depth + 1);
    if (form === NOT_PLAIN) return NOT_PLAIN;
    if (form === member) kept++;
    else {
      keep = false;
      changed = { key, form };
    }
  }
  if (keep) return value;
  const keys = Object.keys(record);
  const walked = new Set(keys.slice(0, kept));
  const out: Record<string, unknown> = {};
  for (const key of keys.sort()) {
    if (omit?.has(key) === true) continue;
    const member = record[key];
    const form = walked.has(key)
      ? member
      : changed?.key === key
        ? changed.form
        : canonicalForm(member, omit, depth + 1);
    if (form === NOT_PLAIN) return NOT_PLAIN;
    // A "__proto__" key must become a property, not a prototype.
    if (key === "__proto__")
      Object.defineProperty(out, key, {
        value: form,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = form;
  }
  return out;
}

/** Keys an object lists first, in numeric order (ECMAScript's array indices). */
function isArrayIndex(key: string): boolean {
  const code = key.charCodeAt(0);
  if (code < 48 || code > 57) return false;
  return /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4_294_967_295;
}
