// The constitution's content hash: sha256 over a canonical JSON (sorted keys) of everything but
// source locations and file paths, so .charter, YAML and JSON spellings hash the same.

import { createHash } from "node:crypto";
import type { CompiledConstitution } from "./compiled.js";

/** Keys that say where something was written, not what it is. */
const POSITIONAL = new Set(["location", "file", "imports", "hash"]);

/** Rebuilds plain objects with sorted keys and no positional keys (arrays keep their order). */
function canonicalReplacer(this: unknown, _key: string, value: unknown): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  const source = value as Record<string, unknown>;
  const sorted: Record<string, unknown> = Object.create(null) as Record<string, unknown>; // `__proto__` stays a key
  for (const key of Object.keys(source).sort()) {
    if (!POSITIONAL.has(key)) sorted[key] = source[key];
  }
  return sorted;
}

/** JSON with object keys sorted at every level and positional keys removed. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, canonicalReplacer) ?? "null";
}

/** `sha256:` + hex of the canonical content. */
export function contentHash(constitution: Omit<CompiledConstitution, "hash">): string {
  return `sha256:${createHash("sha256").update(canonicalJson(constitution)).digest("hex")}`;
}
