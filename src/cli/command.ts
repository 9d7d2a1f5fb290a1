// What a subcommand is, and the streams it is given (injectable so tests run the CLI in-process).

export interface Writable {
  write(chunk: string): unknown;
}

export interface CliIO {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Whether stderr is a terminal (progress display vs plain lines). */
  readonly isTTY: boolean;
  readonly signal?: AbortSignal;
}

export interface Command {
  /** Returns the exit code: 0 ok, 1 problems found or items failed, 2 usage. */
  run(argv: readonly string[], io: CliIO): Promise<number>;
}
