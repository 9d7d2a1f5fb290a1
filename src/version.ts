// Charter's own version, read once from package.json (written into manifests and compiled output),
// and the versions of the SDKs it talks to models through (for `charter --version` and manifests).

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PACKAGE_ROOT } from "./package-root.js";

const packageJson = JSON.parse(readFileSync(new URL("package.json", PACKAGE_ROOT), "utf8")) as {
  version: string;
};

export const CHARTER_VERSION: string = packageJson.version;

/** The SDK packages whose versions a run records. */
export const SDK_PACKAGES: readonly string[] = ["openai", "@anthropic-ai/sdk"];

/**
 * The installed version of a dependency, found the way Node finds the package itself (so it is
 * right in a clone, a global install or a hoisted node_modules), or "unknown".
 */
export function dependencyVersion(name: string): string {
  try {
    let dir = dirname(createRequire(import.meta.url).resolve(name));
    for (;;) {
      try {
        const found = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
          name?: unknown;
          version?: unknown;
        };
        if (found.name === name && typeof found.version === "string") return found.version;
      } catch {
        // no package.json at this level: keep climbing
      }
      const parent = dirname(dir);
      if (parent === dir) return "unknown";
      dir = parent;
    }
  } catch {
    return "unknown";
  }
}

/** Versions of the SDKs that talk to the models. */
export function sdkVersions(): Record<string, string> {
  return Object.fromEntries(SDK_PACKAGES.map((name) => [name, dependencyVersion(name)]));
}

/** What `charter --version` prints: Charter's version, then Node's and the SDKs'. */
export function versionText(): string {
  const parts = [`node ${process.versions.node}`];
  for (const [name, version] of Object.entries(sdkVersions())) parts.push(`${name} ${version}`);
  return `charter ${CHARTER_VERSION}\n${parts.join(" · ")}\n`;
}
