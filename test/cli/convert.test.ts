// `charter convert`: charter -> yaml -> json -> charter keeps the principles and the content hash.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CompiledConstitution } from "../../src/dsl/index.js";
import { captureIO } from "./cli-io.js";

const sketch = readFileSync(
  join(import.meta.dirname, "..", "dsl", "fixtures", "sketch.charter"),
  "utf8",
);

async function compileIn(dir: string, file: string): Promise<CompiledConstitution> {
  const io = captureIO(dir);
  expect(await main(["compile", file], io)).toBe(0);
  return JSON.parse(io.out()) as CompiledConstitution;
}

describe("charter convert", () => {
  it("converts in all three directions, each compiling to the same principles and hash", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-convert-"));
    writeFileSync(join(dir, "package.json"), "{}");
    writeFileSync(join(dir, "sketch.charter"), sketch);
    const original = await compileIn(dir, "sketch.charter");
    const steps: [string, string, string][] = [
      ["sketch.charter", "yaml", "a.yaml"],
      ["a.yaml", "json", "b.json"],
      ["b.json", "charter", "c.charter"],
    ];
    for (const [from, to, out] of steps) {
      expect(await main(["convert", from, "--to", to, "-o", out], captureIO(dir))).toBe(0);
      const converted = await compileIn(dir, out);
      expect(converted.hash).toBe(original.hash);
      const strip = (value: CompiledConstitution) =>
        JSON.parse(
          JSON.stringify(value.principles, (key, item: unknown) =>
            key === "location" ? undefined : item,
          ),
        );
      expect(strip(converted)).toEqual(strip(original));
    }
    expect(readFileSync(join(dir, "a.yaml"), "utf8")).toContain(
      "principles:\n  - id: harm.general\n",
    );
  });

  it("prints to stdout and rejects a missing or unknown --to", async () => {
    const dir = mkdtempSync(join(tmpdir(), "charter-convert-"));
    writeFileSync(join(dir, "s.charter"), sketch);
    const io = captureIO(dir);
    expect(await main(["convert", "s.charter", "--to", "json"], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ charter: "harmless", version: "1.0.0" });
    expect(await main(["convert", "s.charter"], captureIO(dir))).toBe(2);
    expect(await main(["convert", "s.charter", "--to", "toml"], captureIO(dir))).toBe(2);
  });
});
