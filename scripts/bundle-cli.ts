// Step two of `npm run build`: bundles the `charter` command (src/cli/main.ts) with esbuild into
// dist/cli/main.js plus chunks loaded on use, so a command loads a score of files instead of ~150
// small modules (and the OpenAI SDK's ~150 more); the README's Development section has the
// numbers. The library (dist/index.js) stays tsc's one-file-per-module output with declarations.

import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/cli`;

/**
 * The packages bundled in: the two SDKs (~150 files each when loaded from node_modules), seedrandom
 * (CommonJS: importing it from ES modules starts Node's CommonJS loader and reads 8 files, ~5 ms of
 * every run command's start) and re2js (one file). The other dependencies load from node_modules
 * as before: chevrotain and yaml on purpose (their loaders pick the one-file or CommonJS build at
 * run time), the rest serve commands whose start-up is not at stake.
 */
const BUNDLED_PACKAGES: readonly string[] = ["openai", "@anthropic-ai/sdk", "seedrandom", "re2js"];

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
  // yaml-package.ts loads this one-file build of `yaml` (written below) instead of the package's
  // ~60 files; the chunk holding yaml-package.ts sits beside it in chunks/.
  define: {
    CHARTER_YAML_FILE: JSON.stringify("./yaml.cjs"),
    CHARTER_INSPECT_WORKER: JSON.stringify("inspect-worker.js"),
  },
  // A `require` for the CommonJS code bundled into these ES modules (seedrandom asks for crypto).
  banner: {
    js: 'import { createRequire as __charterRequire } from "node:module"; const require = __charterRequire(import.meta.url);',
  },
  // Maps back to src/ for `node --enable-source-maps`; without the flag Node never reads them.
  sourcemap: "linked",
  sourcesContent: false,
  metafile: true,
  logLevel: "warning",
});

// `yaml` as one CommonJS file, which yaml-package.ts requires when a YAML or JSON document (or a
// YAML config file) is first read. The package has no dependencies (it requires Node's own only).
await build({
  absWorkingDir: root,
  entryPoints: [createRequire(import.meta.url).resolve("yaml")],
  outfile: "dist/cli/chunks/yaml.cjs",
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});

// The worker thread of `charter inspect` (src/quality/inspect-pool.ts starts it from
// dist/cli/inspect-worker.js), as one file of its own, so the command's chunks stay as they are.
await build({
  absWorkingDir: root,
  entryPoints: { "inspect-worker": "src/quality/inspect-worker.ts" },
  outdir: "dist/cli",
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  banner: {
    js: 'import { createRequire as __charterRequire } from "node:module"; const require = __charterRequire(import.meta.url);',
  },
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});

/**
 * What each output file holds (dist/cli/chunks/contents.json): the bundled packages and the folders
 * of src/ (`src/dsl`, ...; `src` for its top-level modules), so a test can tell from the files a
 * process loaded what it loaded.
 */
const contents: Record<string, string[]> = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (!file.endsWith(".js")) continue;
  const held = new Set<string>();
  for (const input of Object.keys(output.inputs)) {
    // `src/dsl/...` is src/dsl; `src/errors.ts` (a module at the top of src/) is src.
    const found = /node_modules\/((?:@[^/]+\/)?[^/]+)\/|^(src\/[^/]+(?=\/)|src)\//.exec(input);
    const part = found?.[1] ?? found?.[2];
    if (part !== undefined) held.add(part);
  }
  contents[file.slice("dist/cli/".length)] = [...held].sort();
}
contents["chunks/yaml.cjs"] = ["yaml"];
writeFileSync(`${outdir}/chunks/contents.json`, `${JSON.stringify(contents, null, 2)}\n`);
