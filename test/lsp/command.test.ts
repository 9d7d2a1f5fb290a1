// The `charter lsp` command itself: its help, a stray argument, and the process ending when the
// editor goes away (its stdin closes) without a shutdown.

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CHARTER_MAIN, runCharter } from "../cli/run-charter.js";

const folder = fileURLToPath(new URL("fixtures/", import.meta.url));

describe("charter lsp", () => {
  it("is listed, has help, and refuses stray arguments", async () => {
    expect((await runCharter(["--help"], folder)).stdout).toMatch(
      /\n {2}lsp +run the language server/,
    );
    const help = await runCharter(["lsp", "--help"], folder);
    expect([help.code, help.stdout.split("\n")[0]]).toEqual([0, "usage: charter lsp [--stdio]"]);
    const stray = await runCharter(["lsp", "main.charter"], folder);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("unexpected argument 'main.charter'");
  });

  it("ends when its input closes (the editor went away)", async () => {
    const child = spawn(process.execPath, [CHARTER_MAIN, "lsp", "--stdio"], {
      cwd: folder,
      stdio: ["pipe", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
