// Runs the benchmarks: every bench/*.bench.ts, or only those whose names contain an argument.
// `npm run bench` or `npm run bench -- compile`. Each bench prints its own ratios to a baseline
// measured in the same process; nothing here is a timed test.

import { readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

interface BenchModule {
  readonly description: string;
  run(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((name) => name.endsWith(".bench.ts"))
  .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
  .sort();

if (files.length === 0) {
  console.error(`no benchmark matches ${filters.join(", ")}`);
  process.exitCode = 2;
}
for (const file of files) {
  const bench = (await import(pathToFileURL(join(here, file)).href)) as BenchModule;
  console.log(`\n## ${file}: ${bench.description}`);
  await bench.run();
}
