// `charter cache info|clear`, run in-process through the CLI entry.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { formatBytes } from "../../src/cli/commands/cache.js";
import { createModel } from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { tempDir } from "../providers/helpers.js";

const server = useModelServer();

async function charter(args: string[], cwd: string, env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd,
    env,
    isTTY: false,
  });
  return { code, stdout, stderr };
}

async function fill(cacheDir: string, count: number): Promise<void> {
  const model = createModel("openai:gpt-test", {
    baseUrl: server.openaiBaseUrl,
    apiKey: "k",
    env: {},
    cacheDir,
  });
  for (let i = 0; i < count; i++)
    await model.complete({ messages: [{ role: "user", content: `q${i}` }] });
}

describe("charter cache", () => {
  it("reports entries, size and folder of the default cache under the working directory", async () => {
    const cwd = tempDir();
    await fill(join(cwd, ".charter", "cache"), 3);
    const { code, stdout } = await charter(["cache", "info"], cwd);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^cache: ${join(cwd, ".charter", "cache")}\nentries: 3\nsize: \\d`),
    );
    const json = await charter(["cache", "info", "--json"], cwd);
    expect(JSON.parse(json.stdout)).toMatchObject({ entries: 3 });
  });

  it("clears the folder given by --cache-dir or CHARTER_CACHE_DIR, leaving other files", async () => {
    const cwd = tempDir();
    const dir = tempDir();
    await fill(dir, 2);
    writeFileSync(join(dir, "notes.txt"), "mine");
    expect((await charter(["cache", "info"], cwd, { CHARTER_CACHE_DIR: dir })).stdout).toContain(
      "entries: 2",
    );
    const cleared = await charter(["cache", "clear", `--cache-dir=${dir}`], cwd);
    expect(cleared.code).toBe(0);
    expect(cleared.stdout).toMatch(/^cleared 2 entries/);
    expect((await charter(["cache", "info", `--cache-dir=${dir}`], cwd)).stdout).toContain(
      "entries: 0",
    );
  });

  it("explains itself on a missing or unknown action (exit 2)", async () => {
    const cwd = tempDir();
    const missing = await charter(["cache"], cwd);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("info or clear");
    expect((await charter(["cache", "purge"], cwd)).stderr).toContain(
      "unknown cache action 'purge'",
    );
    expect((await charter(["cache", "--help"], cwd)).stdout).toContain("usage: charter cache info");
  });

  it("formats sizes for people", () => {
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5.0 MiB");
  });
});
