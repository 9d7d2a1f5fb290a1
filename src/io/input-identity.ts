// What a run's input file was, so a resume can tell whether it changed: its path, size and the
// sha256 of its bytes, and whether a changed file only grew at the end (new rows appended).

import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { FileReadError } from "./file-errors.js";

export interface InputIdentity {
  /** Absolute path as read. */
  readonly path: string;
  readonly size: number;
  /** `sha256:` and the hex digest of the file's bytes. */
  readonly sha256: string;
}

/** Reads `path` once, streaming. */
export async function inputIdentity(path: string): Promise<InputIdentity> {
  const absolute = resolve(path);
  const { size, digest } = await hashPrefix(absolute, Number.POSITIVE_INFINITY);
  return { path: absolute, size, sha256: `sha256:${digest}` };
}

/**
 * Whether `now` holds `before`'s bytes unchanged, followed only by whole new lines: the hash of
 * its first `before.size` bytes equals `before`'s, and that prefix ends a line (or the next byte
 * starts one), so no row of the old input was edited or extended.
 */
export async function onlyAppended(before: InputIdentity, now: InputIdentity): Promise<boolean> {
  if (now.size < before.size) return false;
  const { digest, boundary } = await hashPrefix(now.path, before.size);
  if (`sha256:${digest}` !== before.sha256) return false;
  return before.size === 0 || boundary.previous === 10 || boundary.next === 10;
}

async function hashPrefix(
  path: string,
  limit: number,
): Promise<{
  size: number;
  digest: string;
  boundary: { previous: number | undefined; next: number | undefined };
}> {
  const hash = createHash("sha256");
  let size = 0;
  const boundary: { previous: number | undefined; next: number | undefined } = {
    previous: undefined,
    next: undefined,
  };
  try {
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      const take = Math.min(chunk.length, limit - size);
      if (take > 0) {
        hash.update(take === chunk.length ? chunk : chunk.subarray(0, take));
        boundary.previous = chunk[take - 1];
      }
      size += take;
      if (size >= limit) {
        if (take < chunk.length) {
          boundary.next = chunk[take];
          break;
        }
      }
    }
  } catch (error) {
    throw new FileReadError(path, error);
  }
  return { size, digest: hash.digest("hex"), boundary };
}
