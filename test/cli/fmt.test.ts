// `charter fmt` in-process: print, --check, --write, directories, syntax errors, usage.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import fmt from "../../src/cli/commands/fmt.js";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./cli-io.js";

const messy = 'charter  "x" version "1.0.0"\nprinciple a {critique "c"   revise "r"}\n';
const tidy = 'charter "x" version "1.0.0"\n\nprinciple a {\n  critique "c"\n  revise "r"\n}\n';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-fmt-"));
  writeFileSync(join(dir, "messy.charter"), messy);
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "sub", "tidy.charter"), tidy);
  writeFileSync(join(dir, "sub", "notes.txt"), "not a constitution");
});

describe("charter fmt", () => {
  it("prints the formatted text without flags and changes nothing", async () => {
    const io = captureIO(dir);
    expect(await fmt.run(["messy.charter"], io)).toBe(0);
    expect(io.out()).toBe(tidy);
    expect(readFileSync(join(dir, "messy.charter"), "utf8")).toBe(messy);
  });

  it("--check lists the files that would change and exits 1", async () => {
    const io = captureIO(dir);
    expect(await fmt.run(["--check", "."], io)).toBe(1);
    expect(io.out()).toBe("messy.charter\n");
    const clean = captureIO(dir);
    expect(await fmt.run(["--check", "sub"], clean)).toBe(0);
    expect(clean.out()).toBe("");
  });

  it("--write rewrites only the files that change, and names them", async () => {
    const io = captureIO(dir);
    expect(await fmt.run(["--write", "messy.charter", "sub/tidy.charter"], io)).toBe(0);
    expect(io.out()).toBe("messy.charter\n");
    expect(readFileSync(join(dir, "messy.charter"), "utf8")).toBe(tidy);
    expect(await fmt.run(["--check", "."], captureIO(dir))).toBe(0);
  });

  it("reports syntax errors with a code frame, leaves the file alone and exits 1", async () => {
    const broken = 'principle a {\n  critique "open\n}\n';
    writeFileSync(join(dir, "broken.charter"), broken);
    const io = captureIO(dir);
    expect(await fmt.run(["--write", "broken.charter"], io)).toBe(1);
    expect(io.err()).toContain("broken.charter:2:12: error[unterminated-string]");
    expect(io.err()).toContain('2 |   critique "open');
    expect(io.err()).toContain("not formatted");
    expect(readFileSync(join(dir, "broken.charter"), "utf8")).toBe(broken);
  });

  it("exits 2 on wrong usage, through the charter entry point", async () => {
    const none = captureIO(dir);
    expect(await main(["fmt"], none)).toBe(2);
    expect(none.err()).toContain("name at least one file");
    const both = captureIO(dir);
    expect(await main(["fmt", "--check", "--write", "x.charter"], both)).toBe(2);
    const unknown = captureIO(dir);
    expect(await main(["fmt", "--fix", "x.charter"], unknown)).toBe(2);
    expect(unknown.err()).toContain("usage: charter fmt");
  });

  it("refuses YAML and JSON constitutions instead of reporting them as syntax errors", async () => {
    writeFileSync(join(dir, "c.yaml"), "charter: x\n");
    const io = captureIO(dir);
    expect(await fmt.run(["c.yaml"], io)).toBe(1);
    expect(io.err()).toContain("c.yaml is not a .charter file");
  });

  it("exits 1 for a file that does not exist", async () => {
    const io = captureIO(dir);
    expect(await fmt.run(["missing.charter"], io)).toBe(1);
    expect(io.err()).toContain("cannot read missing.charter");
  });
});
