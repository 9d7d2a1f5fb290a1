// The root of Charter's thrown errors: failures of the program or the world, never of a user's file.
// Problems in a user's files are diagnostics (data), see src/dsl/diagnostics.

/** Every error Charter throws extends this, so callers can tell ours from a bug. */
export class CharterError extends Error {
  /** Stable kebab-case code, e.g. `missing-api-key`, `run-settings-differ`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/**
 * A failure every further item would meet too (a model server that cannot be reached, a judge that
 * cannot answer as asked). Thrown from an item, it stops the whole run instead of failing the item:
 * the items in flight are left unwritten and the folder stays resumable once the cause is fixed.
 */
export class RunStoppingError extends CharterError {
  /** Set by the run engine once it has stopped a run for this error and closed its folder. */
  stoppedRun?: { readonly dir: string; readonly done: number };
}

/** A command was called wrongly (exit code 2 at the command line). */
export class UsageError extends CharterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("usage", message, options);
  }
}

/** Exhaustiveness helper for `switch` over unions. */
export function assertNever(value: never, what = "value"): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
