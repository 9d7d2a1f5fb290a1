// Runs the real `charter` command as a child process (node + tsx on src/cli/main.ts), for tests of
// what a user at a shell sees: exit codes, stderr, signals, and the process table (locks, zombies).
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const MAIN = join(REPO_ROOT, "src/cli/main.ts");

export interface ProcessRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The argv that starts `charter ARGS` (for wrapping in a shell). */
export function charterCommand(args: readonly string[]): string[] {
  return [process.execPath, "--import", "tsx", MAIN, ...args];
}

/** Starts `charter ARGS`; every path passed should be absolute (the child runs in the repo root). */
export function startCharter(
  args: readonly string[],
  env: Record<string, string> = {},
): { readonly child: ChildProcess; readonly done: Promise<ProcessRun> } {
  const [command, ...rest] = charterCommand(args);
  const child = spawn(command as string, rest, {
    // --import tsx resolves from the working directory.
    cwd: REPO_ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OPENAI_API_KEY: "", ANTHROPIC_API_KEY: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<ProcessRun>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

/** Runs `charter ARGS` to the end. */
export function runCharter(
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<ProcessRun> {
  return startCharter(args, env).done;
}
