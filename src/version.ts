// Charter's own version, read once from package.json (written into manifests and compiled output).

import { readFileSync } from "node:fs";

const packageJson = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as { version: string };

export const CHARTER_VERSION: string = packageJson.version;
