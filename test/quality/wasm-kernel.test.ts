// The WebAssembly kernels are committed as generated modules (scripts/build-wasm.ts): compiling
// their AssemblyScript sources again must give the same bytes, so a change to a source that was
// not rebuilt (or a hand edit of the generated module) fails here.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KERNELS, compileKernel, kernelModule } from "../../scripts/build-wasm.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("WebAssembly kernels", () => {
  for (const kernel of KERNELS)
    it(`${kernel.module} is ${kernel.source} compiled`, async () => {
      const binary = await compileKernel(kernel);
      const committed = await readFile(`${root}/${kernel.module}`, "utf8");
      expect(committed).toBe(kernelModule(kernel, binary));
    }, 60_000);
});
