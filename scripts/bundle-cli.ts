// Step two of `npm run build`: bundles the `charter` command (src/cli/main.ts) with esbuild into
// dist/cli/main.js plus chunks loaded on use, so a command loads a score of files instead of ~150
// small modules (and the OpenAI SDK's ~150 more); the README's Development section has the
// numbers. The library (dist/index.js) stays tsc's one-file-per-module output with declarations.

import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;

/**
 * The packages bundled in: the two SDKs, which are ~150 files each when loaded from node_modules.
 * Every other dependency is loaded from node_modules as before (chevrotain and yaml on purpose:
 * their loaders pick one-file or CommonJS builds at run time; the rest serve commands whose
 * start-up is not at stake, and stay as their authors ship them).
 */
const BUNDLED_PACKAGES: readonly string[] = ["openai", "@anthropic-ai/sdk"];

const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, "utf8")) as {
  dependencies: Record<string, string>;
};
const external = Object.keys(dependencies)
  .filter((name) => !BUNDLED_PACKAGES.includes(name))
  .flatMap((name) => [name, `${name}/*`]);

// Stale chunks of an earlier build would otherwise pile up (their names carry a content hash).
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts" },
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // Each `await import(...)` of a command, a provider or the SDKs becomes a chunk loaded on use.
  chunkNames: "chunks/[name]-[hash]",
  // Maps back to src/ for `node --enable-source-maps`; without the flag Node never reads them.
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
});

/**
 * What each output file holds (dist/cli/chunks/contents.json): the bundled packages and the folders
 * of src/ (`src/dsl`, ...), so a test can tell from the files a process loaded what it loaded.
 */
const contents: Record<string, string[]> = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith(".js")) continue;
  const held = new Set<string>();
  for (const input of Object.keys(output.inputs)) {
    const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\/|^(src\/[^/]+)\//.exec(input);
    const part = found?.[1] ?? found?.[2];
    if (part !== undefined) held.add(part);
  }
  contents[file.slice("dist/cli/".length)] = [...held].sort();
}
writeFileSync(`${outdir}/chunks/contents.json`, `${JSON.stringify(contents, null, 2)}\n`);
