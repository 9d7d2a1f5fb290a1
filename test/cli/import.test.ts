// `charter import` in-process: both formats, -o, diagnostics on stderr; the output passes
// `charter check` and `charter fmt --check`.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import importCommand from "../../src/cli/commands/import.js";
import fmt from "../../src/cli/commands/fmt.js";
import { main } from "../../src/cli/main.js";
import { compileSource } from "../../src/dsl/compile-source.js";
import { captureIO } from "./cli-io.js";

const fixtures = new URL("../dsl/fixtures/import/", import.meta.url);
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-import-"));
  for (const name of ["hf-constitution.json", "langchain-principles.json"]) {
    copyFileSync(new URL(name, fixtures), join(dir, name));
  }
});

describe.each([
  ["hf", "hf-constitution.json", "help-commit-crime", 1],
  ["langchain", "langchain-principles.json", "uo-ethics-1", 0],
])("charter import %s", (format, input, id, exitCode) => {
  const out = `${format}.charter`;

  it("writes -o OUT, reports problems on stderr, exits 1 only for errors", async () => {
    const io = captureIO(dir);
    expect(await importCommand.run([format, input, "-o", out], io)).toBe(exitCode);
    expect(io.out()).toBe("");
    expect(io.err()).toContain(`${input}:`);
    expect(io.err()).toContain("warning[");
    expect(io.err()).toContain(`wrote ${out}`);
    expect(readFileSync(join(dir, out), "utf8")).toContain(`principle ${id} {`);
  });

  it("produces a file that passes charter check (compiles, no errors) and fmt --check", async () => {
    const text = readFileSync(join(dir, out), "utf8");
    const compiled = compileSource(text, { filename: join(dir, out) });
    expect(compiled.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual([]);
    expect(compiled.constitution?.principles.map((p) => p.id)).toContain(id);
    expect(await fmt.run(["--check", out], captureIO(dir))).toBe(0);
  });

  it("prints to stdout without -o", async () => {
    const io = captureIO(dir);
    await importCommand.run([format, input, "--name", "mine", "--version", "1.2.3"], io);
    expect(io.out()).toContain('charter "mine" version "1.2.3"');
  });
});

describe("charter import errors", () => {
  it("checks its output: a --version that is not semantic is reported and exits 1", async () => {
    const io = captureIO(dir);
    expect(
      await importCommand.run(["langchain", "langchain-principles.json", "--version", "one"], io),
    ).toBe(1);
    expect(io.err()).toContain("error[invalid-version]");
    expect(io.out()).toContain('version "one"');
  });

  it("exits 1 with a positioned diagnostic for invalid JSON, writing nothing", async () => {
    writeFileSync(join(dir, "bad.json"), '[\n  {"name": "x",}\n]\n');
    const io = captureIO(dir);
    expect(await importCommand.run(["langchain", "bad.json"], io)).toBe(1);
    expect(io.out()).toBe("");
    expect(io.err()).toContain("bad.json:2:16: error[invalid-json]");
    expect(io.err()).toContain("nothing imported");
  });

  it("exits 2 for an unknown format or missing file argument", async () => {
    expect(await main(["import", "yaml", "x.json"], captureIO(dir))).toBe(2);
    expect(await main(["import", "hf"], captureIO(dir))).toBe(2);
  });

  it("exits 1 when the input cannot be read", async () => {
    const io = captureIO(dir);
    expect(await main(["import", "hf", "missing.json"], io)).toBe(1);
    expect(io.err()).toContain("cannot read missing.json");
  });

  it("shows the part of a long one-line JSON line around the caret", async () => {
    const entries = Array.from({ length: 30 }, (_, index) => ({
      name: `p${index}`,
      critique_request: `Critique number ${index}?`,
      revision_request: `Revision number ${index}.`,
    }));
    (entries[25] as Record<string, string>)["extra"] = "x";
    writeFileSync(join(dir, "one-line.json"), JSON.stringify(entries));
    const io = captureIO(dir);
    await importCommand.run(["langchain", "one-line.json"], io);
    const lines = io.err().split("\n");
    const at = lines.findIndex((line) => line.includes("warning[unknown-field]"));
    const [source, carets] = [lines[at + 2] ?? "", lines[at + 3] ?? ""];
    expect(source).toMatch(/^1 \| \.\.\..*"extra".*\.\.\.$/);
    expect(source.length).toBeLessThan(140);
    // The caret sits under the key the message names.
    expect(source.slice(carets.indexOf("^"), carets.lastIndexOf("^") + 1)).toBe('"extra"');
  });

  it("cai-paper takes a directory and says which of the four files it did not find", async () => {
    writeFileSync(
      join(dir, "RLMadisonInstructions.json"),
      JSON.stringify(["\nWhich reply is kinder? Options:"]),
    );
    const io = captureIO(dir);
    expect(await main(["import", "cai-paper", "."], io)).toBe(0);
    expect(io.err()).toContain(
      "CritiqueRevisionInstructions.json not found; nothing of it imported",
    );
    expect(io.out()).toContain('principle kinder {\n  compare "Which reply is kinder?"\n}');
    expect(await main(["import", "cai-paper", "one-line.json"], captureIO(dir))).toBe(2);
  });
});
