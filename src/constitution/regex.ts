// Safe regular expressions for rule expressions: linear-time RE2 (re2js), compiled once per pattern,
// with a bounded amount of input, so a constitution's regex can never hang a run on hostile output.

import { RE2JS } from "re2js";

/**
 * Flags a constitution's regex may carry, and the RE2 flag each turns on. `u` is accepted (the
 * compiler's check allows it, as JavaScript does) and changes nothing: RE2 always matches by code
 * point. `g` and `y` mean nothing for a yes/no test and are rejected.
 */
const FLAG_BITS: Readonly<Record<string, number>> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0,
};

/** Inputs longer than this (UTF-16 code units, about 1 MB of text) are matched on their first part only. */
export const MAX_MATCH_INPUT = 1 << 20;

/**
 * Work budget per match, in (input code units × program instructions). RE2 is linear in the
 * input, but when its DFA gives up, the NFA costs about 10 ns per unit (measured on Node 20), so a
 * big pattern on a big input could still take seconds; bounding the product keeps a worst-case
 * match near half a second.
 */
export const MATCH_WORK_BUDGET = 1 << 25;

/** Patterns whose RE2 program is larger than this are rejected (`a{1000}` alone is ~1,000). */
export const MAX_PROGRAM_SIZE = 2_000;

/** A compiled pattern and how much of an input it may look at. */
export interface SafePattern {
  readonly source: string;
  readonly flags: string;
  /** Code units of input examined: min(MAX_MATCH_INPUT, MATCH_WORK_BUDGET / program size). */
  readonly inputLimit: number;
  /** Whether the pattern occurs anywhere in the first `inputLimit` code units of `input`. */
  test(input: string): boolean;
}

type CacheEntry =
  | { readonly ok: true; readonly pattern: SafePattern }
  | { readonly ok: false; readonly error: string };

// Keyed by flags + "/" + source. Rule expressions use a handful of patterns, so a bound only guards
// against a caller feeding endless distinct patterns; when reached, the cache simply starts over.
const CACHE_LIMIT = 4_096;
const cache = new Map<string, CacheEntry>();

/**
 * Checks a regex literal's source and flags the way `matches` will run it.
 * Returns a message for people, or undefined when the pattern is usable.
 *
 * @example
 * validatePattern("(?=x)", "")  // "lookaround and backreferences are not supported ..."
 * validatePattern("\\bdefinitely\\b", "i")  // undefined
 */
export function validatePattern(source: string, flags: string): string | undefined {
  const entry = lookup(source, flags);
  return entry.ok ? undefined : entry.error;
}

/** The compiled pattern (cached), or undefined when `validatePattern` reports a problem. */
export function compilePattern(source: string, flags: string): SafePattern | undefined {
  const entry = lookup(source, flags);
  return entry.ok ? entry.pattern : undefined;
}

/** Number of distinct patterns currently compiled (for tests of the cache). */
export function compiledPatternCount(): number {
  return cache.size;
}

function lookup(source: string, flags: string): CacheEntry {
  const key = `${flags}/${source}`;
  let entry = cache.get(key);
  if (entry === undefined) {
    entry = build(source, flags);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, entry);
  }
  return entry;
}

function build(source: string, flags: string): CacheEntry {
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) {
      return { ok: false, error: `regex flag \`${flag}\` is not supported (use i, m, s or u)` };
    }
    if (flags.indexOf(flag) !== flags.lastIndexOf(flag)) {
      return { ok: false, error: `regex flag \`${flag}\` is repeated` };
    }
    bits |= bit;
  }
  let compiled: RE2JS;
  try {
    // translateRegExp accepts JavaScript spellings RE2 lacks (\uXXXX, (?<name>...), \/).
    compiled = RE2JS.compile(RE2JS.translateRegExp(source), bits);
  } catch (error) {
    return { ok: false, error: describeSyntaxError(error) };
  }
  const size = compiled.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    return {
      ok: false,
      error: `regex is too large (${size} instructions, at most ${MAX_PROGRAM_SIZE}); split it into several rules`,
    };
  }
  const inputLimit = Math.min(MAX_MATCH_INPUT, Math.floor(MATCH_WORK_BUDGET / Math.max(1, size)));
  return {
    ok: true,
    pattern: {
      source,
      flags,
      inputLimit,
      test: (input) => compiled.test(truncate(input, inputLimit)),
    },
  };
}

function describeSyntaxError(error: unknown): string {
  const detail =
    error instanceof Error ? error.message.replace(/^error parsing regexp: /, "") : String(error);
  if (/\(\?[=!<]|\\[1-9]|invalid or unsupported Perl syntax/.test(detail)) {
    return `invalid regex: ${detail} (lookaround and backreferences are not supported: rules use a linear-time engine)`;
  }
  return `invalid regex: ${detail}`;
}

/** The first `limit` code units of `text`, never cutting a surrogate pair in two. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const last = text.charCodeAt(limit - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? limit - 1 : limit;
  return text.slice(0, end);
}
