// The `charter lsp` command itself: its help, a stray argument, and the process ending when the
// editor goes away (its stdin closes) without a shutdown, and a SIGTERM that ends it without
// talking of resuming a run (it has none).

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

  it("stops on SIGTERM without the run commands' resume hint", async () => {
    const child = spawn(process.execPath, [CHARTER_MAIN, "lsp", "--stdio"], {
      cwd: folder,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", done));
    // Wait until the process is up (its signal handlers are installed before the server starts).
    await new Promise((done) => setTimeout(done, 300));
    child.kill("SIGTERM");
    await exited;
    expect(stderr).toContain("SIGTERM received, stopping");
    expect(stderr).not.toContain("resume");
  });
});
