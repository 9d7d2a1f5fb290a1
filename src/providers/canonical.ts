// Canonical JSON and hashing: the same value always gives the same bytes, whatever the key order.

import { createHash } from "node:crypto";

/** JSON with object keys sorted and `undefined` members dropped, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value))
    return value.map((item: unknown) => (item === undefined ? null : sortKeys(item)));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = sortKeys(member);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** A rough token count (four characters per token) for budgets and the offline model. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}
