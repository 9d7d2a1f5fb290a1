// Deterministic sharding by item id: the same id lands in the same shard on every machine.

import { createHash } from "node:crypto";
import { CharterError } from "../errors.js";

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Which of `count` shards the item `id` belongs to (sha256 of the id, first 48 bits, mod count). */
export function shardOf(id: string, count: number): number {
  const digest = createHash("sha256").update(id, "utf8").digest();
  return digest.readUIntBE(0, 6) % count;
}

/** Parse `i/n` (as given to --shard) into a Shard, 0 <= i < n. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const shard = match ? { index: Number(match[1]), count: Number(match[2]) } : undefined;
  if (!shard)
    throw new CharterError("invalid-shard", `--shard wants i/n (e.g. 0/4), got "${text}"`);
  checkShard(shard);
  return shard;
}

export function checkShard(shard: Shard): void {
  const { index, count } = shard;
  if (
    !Number.isInteger(count) ||
    count < 1 ||
    !Number.isInteger(index) ||
    index < 0 ||
    index >= count
  )
    throw new CharterError(
      "invalid-shard",
      `a shard is i/n with 0 <= i < n, got ${index}/${count}`,
    );
}

export function formatShard(shard: Shard): string {
  return `${shard.index}/${shard.count}`;
}
