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
  #holding = 0;
  #checking = false;
  readonly #listeners = new Set<() => void>();
  /** Deliveries waiting for the calls at work to come down to their limit. */
  #settling: { readonly limit: number; readonly resolve: () => void }[] = [];
  #admittedBelow: number | undefined;
  readonly #journaledListeners = new Set<(below: number) => void>();

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

  /**
   * The engine admitted the item with this index (indexes increase), so every item that asked a
   * request so far has an index below `admittedBelow`: a batch's intent records it.
   */
  itemAdmitted(index: number): void {
    this.#admittedBelow = Math.max(this.#admittedBelow ?? 0, index + 1);
  }

  /** Every item admitted so far has an index below this; undefined without an engine reporting. */
  get admittedBelow(): number | undefined {
    return this.#admittedBelow;
  }

  /**
   * Every item with an index below `below` has its outcome in the run journal (a resume replays it
   * or, if it failed, runs it again); `Infinity` once the run ended with every item settled. The
   * batch tier collects the batches only such items asked (batch-journal.ts `collect`).
   */
  itemsJournaled(below: number): void {
    for (const listener of this.#journaledListeners) listener(below);
  }

  onJournaled(listener: (below: number) => void): () => void {
    this.#journaledListeners.add(listener);
    return () => this.#journaledListeners.delete(listener);
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

  /**
   * A batch's results are being handed out a slice at a time: the run is not quiet meanwhile (the
   * calls still held count as waiting, but the step is not over). The returned function ends it.
   */
  hold(): () => void {
    this.#holding += 1;
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      this.#holding -= 1;
      this.#changed();
    };
  }

  /**
   * Resolves once at most `limit` calls are at work (in progress and not waiting), checked from a
   * macrotask: the calls a slice of results set going have stored their replies and asked their
   * next question, or ended.
   */
  settled(limit: number): Promise<void> {
    return new Promise((resolve) => {
      this.#settling.push({ limit, resolve });
      this.#changed();
    });
  }

  /** Calls in progress that are not waiting on a batch (at work: cache, retries, other tiers). */
  get working(): number {
    return this.#calls - this.#waiting;
  }

  /** Calls `listener` each time the run is quiet (checked from a macrotask after a change). */
  onQuiet(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The engine waits and every call in progress waits on a batch. */
  get quiet(): boolean {
    return (
      this.counting &&
      this.#busyEngines === 0 &&
      this.#holding === 0 &&
      this.#calls === this.#waiting
    );
  }

  /** After the promise callbacks of this turn have run: an item between two calls is not waiting. */
  #changed(): void {
    if (this.#checking || (this.#listeners.size === 0 && this.#settling.length === 0)) return;
    this.#checking = true;
    setImmediate(() => {
      this.#checking = false;
      const working = this.working;
      const ready = this.#settling.filter((waiter) => working <= waiter.limit);
      if (ready.length > 0) {
        this.#settling = this.#settling.filter((waiter) => working > waiter.limit);
        for (const waiter of ready) waiter.resolve();
      }
      if (this.quiet) for (const listener of this.#listeners) listener();
    });
  }
}
