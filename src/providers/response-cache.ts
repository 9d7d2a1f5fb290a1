// The on-disk response cache: one JSON file per normalised request, under a two-hex-digit fan-out,
// written to a temp file and renamed so a crash never leaves a torn entry that a reader would trust.

import { mkdir, readdir, readFile, rename, rm, rmdir, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { canonicalJson, sha256Hex } from "../io/index.js";
import type { TransportReply } from "./transport.js";

const ENTRY_VERSION = 1;
const FAN_OUT = /^[0-9a-f]{2}$/;
/** Entries and the temp files that may be left beside them by a crash. */
const ENTRY_FILE = /^[0-9a-f]{62}\.json$/;
const TEMP_FILE = /^[0-9a-f]{62}\.json\.[0-9]+\.[0-9]+\.tmp$/;

let tempCounter = 0;

/** The cache folder: `cacheDir` option, else `CHARTER_CACHE_DIR`, else `.charter/cache` in cwd. */
export function resolveCacheDir(
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
  cacheDir?: string,
): string {
  const chosen = cacheDir ?? (env.CHARTER_CACHE_DIR === "" ? undefined : env.CHARTER_CACHE_DIR);
  return resolve(cwd, chosen ?? join(".charter", "cache"));
}

/** The key of a normalised request: sha256 of its canonical JSON. */
export function cacheKey(normalized: unknown): string {
  return sha256Hex(canonicalJson(normalized));
}

export class ResponseCache {
  /** Fan-out folders already made, so a run does not ask the disk 256 times per entry. */
  readonly #made = new Set<string>();

  constructor(readonly dir: string) {}

  #path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  /** The stored reply, or undefined when absent, unreadable or not a whole entry for this key. */
  async get(key: string): Promise<TransportReply | undefined> {
    let text: string;
    try {
      text = await readFile(this.#path(key), "utf8");
    } catch {
      return undefined;
    }
    try {
      const entry: unknown = JSON.parse(text);
      return isEntry(entry, key) ? entry.response : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a reply. `request` is the normalised request (no key in it), kept for inspection. */
  async put(key: string, request: unknown, response: TransportReply): Promise<void> {
    const path = this.#path(key);
    const fan = key.slice(0, 2);
    const temp = `${path}.${process.pid}.${tempCounter++}.tmp`;
    const text = `${JSON.stringify({ version: ENTRY_VERSION, key, request, response })}\n`;
    if (!this.#made.has(fan)) await this.#makeFan(fan);
    try {
      await writeFile(temp, text, "utf8").catch(async (error: unknown) => {
        // The folder went away under us (`charter cache clear` mid-run): make it again, once.
        if ((error as { code?: string }).code !== "ENOENT") throw error;
        await this.#makeFan(fan);
        await writeFile(temp, text, "utf8");
      });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }

  async #makeFan(fan: string): Promise<void> {
    await mkdir(join(this.dir, fan), { recursive: true });
    this.#made.add(fan);
  }
}

interface Entry {
  readonly version: number;
  readonly key: string;
  readonly response: TransportReply;
}

function isEntry(value: unknown, key: string): value is Entry {
  if (typeof value !== "object" || value === null) return false;
  const entry = value as Record<string, unknown>;
  const response = entry.response as Record<string, unknown> | undefined;
  const usage = response?.usage as Record<string, unknown> | undefined;
  return (
    entry.version === ENTRY_VERSION &&
    entry.key === key &&
    typeof response?.text === "string" &&
    response.text !== "" &&
    typeof response.model === "string" &&
    typeof usage?.inputTokens === "number" &&
    typeof usage.outputTokens === "number" &&
    typeof usage.cachedTokens === "number"
  );
}

export interface CacheInfo {
  readonly dir: string;
  readonly entries: number;
  readonly bytes: number;
}

/** Counts entries and their bytes (leftover temp files are not entries). */
export async function cacheInfo(dir: string): Promise<CacheInfo> {
  let entries = 0;
  let bytes = 0;
  for (const file of await cacheFiles(dir)) {
    if (!ENTRY_FILE.test(file.name)) continue;
    entries++;
    bytes += (await stat(file.path)).size;
  }
  return { dir, entries, bytes };
}

/** Deletes entries and temp files, and only those: a mistaken `--cache-dir` cannot wipe a folder. */
export async function clearCache(dir: string): Promise<CacheInfo> {
  const before = await cacheInfo(dir);
  const touched = new Set<string>();
  for (const file of await cacheFiles(dir)) {
    await rm(file.path, { force: true });
    touched.add(file.parent);
  }
  for (const parent of touched) await rmdir(parent).catch(() => undefined);
  return before;
}

async function cacheFiles(dir: string): Promise<{ name: string; path: string; parent: string }[]> {
  const files: { name: string; path: string; parent: string }[] = [];
  let fans: string[];
  try {
    fans = (await readdir(dir)).filter((name) => FAN_OUT.test(name)).sort();
  } catch {
    return files;
  }
  for (const fan of fans) {
    const parent = join(dir, fan);
    let names: string[];
    try {
      names = await readdir(parent);
    } catch {
      continue;
    }
    for (const name of names.sort())
      if (ENTRY_FILE.test(name) || TEMP_FILE.test(name))
        files.push({ name, path: join(parent, name), parent });
  }
  return files;
}
