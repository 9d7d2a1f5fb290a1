// Runs `charter` in the test's own process (main() with captured output), in a folder with its
// own response cache, so a model server in the same process answers it.
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { captureIO } from "./cli-io.js";

export interface InProcessRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `charter ...args` in `cwd`, with `cwd/cache` as the cache and `env` (no keys unless given). */
export async function charterInProcess(
  cwd: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<InProcessRun> {
  const io = { ...captureIO(cwd), env: { CHARTER_CACHE_DIR: join(cwd, "cache"), ...env } };
  const code = await main([...args], io);
  return { code, stdout: io.out(), stderr: io.err() };
}
