// `charter compile`: the compiled JSON to stdout or -o, exit 1 with diagnostics on errors.
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

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-compile-"));
  writeFileSync(join(dir, "package.json"), "{}");
  writeFileSync(join(dir, "sketch.charter"), sketch);
  return dir;
}

describe("charter compile", () => {
  it("prints pretty compiled JSON with schema, hash and locations as the user named the file", async () => {
    const io = captureIO(workspace());
    expect(await main(["compile", "sketch.charter"], io)).toBe(0);
    const compiled = JSON.parse(io.out()) as CompiledConstitution;
    expect(compiled.schema).toBe("charter/1");
    expect(compiled.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(compiled.file).toBe("sketch.charter");
    expect(compiled.principles[0]?.location).toEqual({
      file: "sketch.charter",
      line: 20,
      column: 1,
    });
    expect(io.out()).toContain('\n  "schema": "charter/1",\n');
  });

  it("writes to -o OUT", async () => {
    const dir = workspace();
    const io = captureIO(dir);
    expect(await main(["compile", "sketch.charter", "-o", "out.json"], io)).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "out.json"), "utf8")) as CompiledConstitution;
    expect(written.name).toBe("harmless");
    expect(io.out()).toBe("");
    expect(io.err()).toContain(`wrote out.json (${written.hash})`);
  });

  it("exits 1 and prints diagnostics when the constitution has errors", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "bad.charter"), `charter "b" version "1.0.0"\nprinciple p { }\n`);
    const io = captureIO(dir);
    expect(await main(["compile", "bad.charter"], io)).toBe(1);
    expect(io.out()).toBe("");
    expect(io.err()).toContain("bad.charter:2:11: error[principle-without-purpose]");
    expect(io.err()).toContain("bad.charter: 1 error; nothing compiled");
  });

  it("exits 2 without a file", async () => {
    expect(await main(["compile"], captureIO(workspace()))).toBe(2);
  });
});
