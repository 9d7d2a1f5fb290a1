// Content-derived ids for input rows that carry none: the same content always gets the same id.

import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/**
 * The first 16 hex digits of sha256 over the canonical JSON of `value`: key order does not matter.
 *
 * @example
 * stableId({ prompt: "Hi" }) === stableId({ prompt: "Hi" }) // true
 */
export function stableId(value: unknown): string {
  return sha256Hex(canonicalJson(value)).slice(0, 16);
}

/** Hex sha256 of a UTF-8 string. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}
