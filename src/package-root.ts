// Where Charter's own files are (package.json, constitutions/): the nearest folder above this module
// holding a package.json, so the answer is the same from src/, from dist/ and from the bundled
// dist/cli/ chunks, whose depth differs from the module they were built from.

import { existsSync } from "node:fs";

function findRoot(from: URL): URL {
  for (let dir = new URL(".", from); ; dir = new URL("..", dir)) {
    if (existsSync(new URL("package.json", dir))) return dir;
    if (new URL("..", dir).href === dir.href) throw new Error(`no package.json above ${from.href}`);
  }
}

/** The package's root folder, ending in `/`. */
export const PACKAGE_ROOT: URL = findRoot(new URL(import.meta.url));
