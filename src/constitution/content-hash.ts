// The constitution's content hash: sha256 over a canonical JSON (sorted keys) of everything but
// source locations and file paths, so .charter, YAML and JSON spellings hash the same.

import { canonicalJson } from "../io/canonical-json.js";
import { sha256Hex } from "../io/stable-id.js";
import type { CompiledConstitution } from "./compiled.js";

/** Keys that say where something was written, not what it is. */
const POSITIONAL = new Set(["location", "file", "imports", "hash"]);

/** `sha256:` + hex of the canonical content. */
export function contentHash(constitution: Omit<CompiledConstitution, "hash">): string {
  return `sha256:${sha256Hex(canonicalJson(constitution, POSITIONAL))}`;
}
