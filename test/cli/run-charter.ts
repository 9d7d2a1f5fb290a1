// Runs the built `charter` (node dist/cli/main.js) as a child process, as a user would: exit code,
// stdout and stderr. Asynchronous, so a model server in the test's own process can answer it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built entry point; `npm test` builds before the tests run. */
export const CHARTER_MAIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

export interface CharterRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `charter ...args` in `cwd` with a clean environment plus `env` (no keys leak in). */
export async function runCharter(
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
): Promise<CharterRun> {
  if (!existsSync(CHARTER_MAIN))
    throw new Error(`${CHARTER_MAIN} is missing: run 'npm run build' first`);
  const child = spawn(process.execPath, [CHARTER_MAIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", CHARTER_CACHE_DIR: `${cwd}/.cache`, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((done, fail) => {
    child.on("error", fail);
    child.on("close", done);
  });
  return { code, stdout, stderr };
}
