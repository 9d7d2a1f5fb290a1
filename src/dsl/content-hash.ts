// The constitution's content hash: sha256 over a canonical JSON (sorted keys) of everything but
// source locations and file paths, so .charter, YAML and JSON spellings hash the same.

import { createHash } from "node:crypto";
import type { CompiledConstitution } from "./compiled.js";

/** Keys that say where something was written, not what it is. */
const POSITIONAL = new Set(["location", "file", "imports", "hash"]);

/** JSON with object keys sorted at every level and positional keys removed. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([key, item]) => !POSITIONAL.has(key) && item !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
}

/** `sha256:` + hex of the canonical content. */
export function contentHash(constitution: Omit<CompiledConstitution, "hash">): string {
  return `sha256:${createHash("sha256").update(canonicalJson(constitution)).digest("hex")}`;
}
