// The WebAssembly kernels are committed as generated modules (scripts/build-wasm.ts): compiling
// their AssemblyScript sources again must give the same bytes, so a change to a source that was
// not rebuilt (or a hand edit of the generated module) fails here. And the memory layout both
// sides use, written once in each language, must be the same.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { KERNELS, compileKernel, kernelModule } from "../../scripts/build-wasm.js";
import { SCAN_LAYOUT, SET_FIELD } from "../../src/quality/kernel.js";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("WebAssembly kernels", () => {
  for (const kernel of KERNELS)
    it(`${kernel.module} is ${kernel.source} compiled`, async () => {
      const binary = await compileKernel(kernel);
      const committed = await readFile(`${root}/${kernel.module}`, "utf8");
      expect(committed).toBe(kernelModule(kernel, binary));
    }, 60_000);

  it("lays out memory as kernel.ts does", async () => {
    const source = await readFile(`${root}/assembly/quality-kernel.ts`, "utf8");
    const constants = new Map(
      [...source.matchAll(/^const (\w+)(?:: usize)? = (\d+);/gm)].map((m) => [m[1]!, Number(m[2])]),
    );
    for (const [name, offset] of Object.entries(SCAN_LAYOUT))
      expect([name, constants.get(name)]).toEqual([name, offset]);
    for (const [field, index] of Object.entries(SET_FIELD)) {
      const name = field.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase();
      expect([name, constants.get(name)]).toEqual([name, 4 * index]);
    }
  });
});
