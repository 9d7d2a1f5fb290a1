// `charter check`: exit codes 0/1/2, rendered diagnostics on stderr and a one-line summary.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./cli-io.js";

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-check-"));
  writeFileSync(join(dir, "package.json"), "{}");
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const GOOD = `charter "good" version "1.0.0"\nprinciple p { compare "Which is kinder?" }\n`;

describe("charter check", () => {
  it("exits 0 on a clean file and prints a summary", async () => {
    const io = captureIO(workspace({ "good.charter": GOOD }));
    expect(await main(["check", "good.charter"], io)).toBe(0);
    expect(io.err()).toBe(
      "good.charter: note: Phase 1 (charter revise) cannot use it: no principle has both `critique` and `revise`\n✓ 1 file checked: 0 errors, 0 warnings\n",
    );
    expect(io.out()).toBe("");
  });

  it("exits 0 with warnings printed", async () => {
    const text = `charter "w" version "1.0.0"\nprinciple p { critique "q" compare "q" }\n`;
    const io = captureIO(workspace({ "w.charter": text }));
    expect(await main(["check", "w.charter"], io)).toBe(0);
    expect(io.err()).toContain(
      "w.charter:2:15: warning[critique-without-revise]: principle `p` has `critique` but no `revise`",
    );
    expect(io.err()).toContain("0 errors, 1 warning");
  });

  it("exits 1 on an unknown `defaults` key, with did-you-mean: a typo must not change a run silently", async () => {
    const text = `charter "w" version "1.0.0"\ndefaults { revison 3 }\nprinciple p { compare "q" }\n`;
    const io = captureIO(workspace({ "w.charter": text }));
    expect(await main(["check", "w.charter"], io)).toBe(1);
    expect(io.err()).toContain("w.charter:2:12: error[unknown-default]: unknown default `revison`");
    expect(io.err()).toContain("did you mean `revisions`?");
    expect(io.err()).toContain("1 error, 0 warnings");
  });

  it("exits 1 on errors, with file:line:col, code frame, caret and suggestion", async () => {
    const bad = `charter "b" version "1.0.0"\nprinciple p {\n  critque "x"\n  compare "q"\n}\n`;
    const io = captureIO(workspace({ "good.charter": GOOD, "bad.charter": bad }));
    expect(await main(["check", "good.charter", "bad.charter"], io)).toBe(1);
    expect(io.err()).toContain(
      [
        "bad.charter:3:3: error[unknown-keyword]: unknown keyword `critque` in a principle",
        "  |",
        '3 |   critque "x"',
        "  |   ^^^^^^^",
        "  = expected `critique`, `revise`, `compare`, `when` or `example`",
        "  = did you mean `critique`?",
      ].join("\n"),
    );
    expect(io.err()).toContain("✗ 2 files checked: 1 error, 0 warnings");
  });

  it("checks YAML files too", async () => {
    const yaml = `charter: y\nversion: 1.0.0\nprinciples:\n  - id: p\n    compar: q\n`;
    const io = captureIO(workspace({ "y.yaml": yaml }));
    expect(await main(["check", "y.yaml"], io)).toBe(1);
    expect(io.err()).toContain(
      "y.yaml:5:5: error[unknown-keyword]: unknown key `compar` in a principle",
    );
  });

  it("exits 2 for a missing file (named as one, not import-not-found) and for usage errors", async () => {
    const dir = workspace({});
    const missing = captureIO(dir);
    expect(await main(["check", "nope.charter"], missing)).toBe(2);
    expect(missing.err()).toMatch(/^charter check: constitution file not found: nope.charter\n/);
    expect(await main(["check"], captureIO(dir))).toBe(2);
    expect(await main(["check", "--bogus", "x"], captureIO(dir))).toBe(2);
  });

  it("runs as a real process: the `charter` entry point sets the exit code", () => {
    const dir = workspace({
      "good.charter": GOOD,
      "bad.charter": 'charter "b" version "1.0.0"\nprinciple p { }\n',
    });
    const main = join(import.meta.dirname, "..", "..", "src", "cli", "main.ts");
    const child = spawnSync(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), main, "check", "good.charter", "bad.charter"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
      },
    );
    expect(child.stderr).toContain("bad.charter:2:11: error[principle-without-purpose]");
    expect(child.stderr).toContain("✗ 2 files checked: 1 error, 0 warnings");
    expect(child.status).toBe(1);
  });

  it("says up front which phase cannot use a constitution", async () => {
    const phase1Only = `charter "a" version "1.0.0"\nprinciple p { critique "c?" revise "r." }\n`;
    const both = `charter "b" version "1.0.0"\nprinciple p { critique "c?" revise "r." compare "q?" }\n`;
    const io = captureIO(workspace({ "a.charter": phase1Only, "b.charter": both }));
    expect(await main(["check", "a.charter", "b.charter"], io)).toBe(0);
    expect(io.err()).toBe(
      "a.charter: note: Phase 2 (charter judge) cannot use it: no principle has a `compare` question and no rule acts `on pair`\n✓ 2 files checked: 0 errors, 0 warnings\n",
    );
  });
});
