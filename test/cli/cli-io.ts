// A CliIO that captures what a command writes, for in-process command tests.
import type { CliIO } from "../../src/cli/command.js";

export interface CapturedIO extends CliIO {
  readonly out: () => string;
  readonly err: () => string;
}

export function captureIO(cwd: string): CapturedIO {
  let stdout = "";
  let stderr = "";
  return {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd,
    env: {},
    isTTY: false,
    out: () => stdout,
    err: () => stderr,
  };
}
