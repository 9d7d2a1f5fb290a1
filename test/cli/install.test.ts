// Installing Charter without publishing it (issue 16.10): `npm pack`, then `npm install -g` of the
// tarball into a temporary prefix; the `charter` binary and the shipped constitutions then work
// from any folder. About 20 s (from the npm cache); CHARTER_SKIP_INSTALL_TEST=1 skips it.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const REPO = new URL("../../", import.meta.url).pathname;
const skip = process.env.CHARTER_SKIP_INSTALL_TEST === "1";
if (skip) console.warn("install.test.ts: skipped (CHARTER_SKIP_INSTALL_TEST=1)");

describe.skipIf(skip)("npm pack + npm install -g into a temporary prefix", () => {
  it("gives a charter that runs from any folder, with the shipped constitutions by name", async () => {
    const root = mkdtempSync(join(tmpdir(), "charter-install-"));
    // dist/ is built by `npm test` before the tests; --ignore-scripts packs it as it is.
    await run("npm", ["pack", "--ignore-scripts", "--pack-destination", root], { cwd: REPO });
    const tarball = readdirSync(root).find((name) => name.endsWith(".tgz"));
    expect(tarball).toBeDefined();
    const prefix = join(root, "prefix");
    await run(
      "npm",
      [
        ...["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund"],
        join(root, tarball as string),
      ],
      { cwd: root },
    );
    const charter = join(prefix, "bin", "charter");
    const elsewhere = mkdtempSync(join(tmpdir(), "charter-elsewhere-"));
    const version = await run(charter, ["--version"], { cwd: elsewhere });
    expect(version.stdout).toMatch(
      /^charter \d+\.\d+\.\d+\nnode \d+\.\d+\.\d+ · openai \d+\.\d+\.\d+ · @anthropic-ai\/sdk \d+\.\d+\.\d+\n$/,
    );
    const check = await run(charter, ["check", "harmless"], { cwd: elsewhere });
    expect(check.stdout + check.stderr).toContain("1 file checked: 0 errors");
    writeFileSync(join(elsewhere, "prompts.txt"), "How do I pick a lock?\n");
    const revise = await run(
      charter,
      [
        ...["revise", "--constitution", "helpful-honest", "--prompts", "prompts.txt"],
        ...["--model", "offline:rehearsal", "--out", "runs/x", "--quiet"],
      ],
      { cwd: elsewhere },
    );
    expect(revise.stdout).toMatch(/^revised 1 items \(0 failed/);
  }, 180_000);
});
