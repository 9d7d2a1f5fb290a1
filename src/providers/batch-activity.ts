// Counting, not timing, decides when the batch tier sends: a run's model calls and its engine
// report what they are doing, and once the engine waits for items to finish and every model call
// in progress waits on a batch (collected or sent), the collected requests go out together.

/**
 * A run's model calls (every model it made with this object) and its run engine (runItems'
 * `activity`), counted. Between two model calls an item runs only synchronous code and promise
 * callbacks (the phases await nothing else), so looked at from a macrotask, "the engine waits and
 * every call in progress waits on a batch" means every item in flight waits on a batch: the step
 * is complete. Without an engine reporting (a library caller's own loop, whose other work is not
 * counted) nothing is known of the caller's items, and the batch collector falls back to waiting
 * for a quiet period instead.
 *
 * @example
 * const activity = new CallActivity();
 * const model = createModel("openai:gpt-4o-mini", { tier: "batch", activity, batchLog });
 * await runItems({ ...options, activity });
 */
export class CallActivity {
  #engines = 0;
  #busyEngines = 0;
  #calls = 0;
  #waiting = 0;
  #checking = false;
  readonly #listeners = new Set<() => void>();

  /** Whether a run engine reports here: then counting alone decides. */
  get counting(): boolean {
    return this.#engines > 0;
  }

  /** The engine works (reads input, starts items) or waits for an item to finish. */
  engineBusy(busy: boolean): void {
    if (busy) {
      this.#engines = Math.max(this.#engines, 1);
      this.#busyEngines += 1;
    } else {
      this.#busyEngines -= 1;
      this.#changed();
    }
  }

  /** A model call begins (the managed model's `complete`, cache lookup included). */
  callStarted(): void {
    this.#calls += 1;
  }

  callEnded(): void {
    this.#calls -= 1;
    this.#changed();
  }

  /** A call waits on a batch (collected or sent), or on an identical call that does. */
  waitStarted(): void {
    this.#waiting += 1;
    this.#changed();
  }

  waitEnded(): void {
    this.#waiting -= 1;
  }

  /** Calls `listener` each time the run is quiet (checked from a macrotask after a change). */
  onQuiet(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The engine waits and every call in progress waits on a batch. */
  get quiet(): boolean {
    return this.counting && this.#busyEngines === 0 && this.#calls === this.#waiting;
  }

  /** After the promise callbacks of this turn have run: an item between two calls is not waiting. */
  #changed(): void {
    if (this.#checking || this.#listeners.size === 0) return;
    this.#checking = true;
    setImmediate(() => {
      this.#checking = false;
      if (this.quiet) for (const listener of this.#listeners) listener();
    });
  }
}
