// A bounded pool of in-flight requests with optional requests/tokens-per-minute budgets. A 429
// halves the pool and pauses it for the server's Retry-After; successes grow it back one by one.

import type { Clock } from "./clock.js";

export interface RequestPoolOptions {
  /** Most requests in flight at once. */
  readonly concurrency: number;
  readonly requestsPerMinute?: number | undefined;
  readonly tokensPerMinute?: number | undefined;
  readonly clock: Clock;
}

/** A token bucket holding a minute's budget, refilled continuously. */
class Bucket {
  #tokens: number;
  #last: number;
  constructor(
    readonly capacity: number,
    private readonly clock: Clock,
  ) {
    this.#tokens = capacity;
    this.#last = clock.now();
  }
  /** Milliseconds until `cost` is available (0 when it is now). */
  waitFor(cost: number): number {
    this.#refill();
    const need = Math.min(cost, this.capacity) - this.#tokens;
    return need <= 0 ? 0 : Math.ceil((need * 60_000) / this.capacity);
  }
  take(cost: number): void {
    this.#tokens -= Math.min(cost, this.capacity);
  }
  /** Corrects an estimate once the real count is known (may go negative: later requests wait). */
  adjust(delta: number): void {
    this.#tokens -= delta;
  }
  #refill(): void {
    const now = this.clock.now();
    this.#tokens = Math.min(
      this.capacity,
      this.#tokens + ((now - this.#last) * this.capacity) / 60_000,
    );
    this.#last = now;
  }
}

export class RequestPool {
  readonly #max: number;
  readonly #clock: Clock;
  readonly #requests: Bucket | undefined;
  readonly #tokens: Bucket | undefined;
  readonly #waiters: (() => void)[] = [];
  #limit: number;
  #active = 0;
  #successes = 0;
  #pausedUntil = 0;

  constructor(options: RequestPoolOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    this.#max = options.concurrency;
    this.#limit = options.concurrency;
    this.#clock = options.clock;
    if (options.requestsPerMinute !== undefined)
      this.#requests = new Bucket(options.requestsPerMinute, options.clock);
    if (options.tokensPerMinute !== undefined)
      this.#tokens = new Bucket(options.tokensPerMinute, options.clock);
  }

  /** The current in-flight limit (lower than configured for a while after a 429). */
  get limit(): number {
    return this.#limit;
  }

  get active(): number {
    return this.#active;
  }

  /**
   * Waits for a slot and for the minute budgets to allow one request of `tokens` estimated tokens.
   * Returns the release function; call it exactly once when the attempt ends.
   */
  async acquire(tokens: number, signal?: AbortSignal): Promise<() => void> {
    await this.#slot(signal);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      this.#active--;
      this.#wake();
    };
    try {
      for (;;) {
        const wait = Math.max(
          this.#pausedUntil - this.#clock.now(),
          this.#requests?.waitFor(1) ?? 0,
          this.#tokens?.waitFor(tokens) ?? 0,
        );
        if (wait <= 0) break;
        await this.#clock.sleep(wait, signal);
      }
      this.#requests?.take(1);
      this.#tokens?.take(tokens);
      return release;
    } catch (error) {
      release();
      throw error;
    }
  }

  /** A 429: halve the pool and hold new requests until the server's wait is over. */
  slowDown(retryAfterMs?: number): void {
    this.#limit = Math.max(1, Math.floor(this.#limit / 2));
    this.#successes = 0;
    if (retryAfterMs !== undefined)
      this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + retryAfterMs);
  }

  /** A success: after `limit` of them in a row, allow one more in flight (up to the configured). */
  recordSuccess(actualTokens?: number, estimatedTokens?: number): void {
    if (actualTokens !== undefined && estimatedTokens !== undefined)
      this.#tokens?.adjust(actualTokens - estimatedTokens);
    if (this.#limit >= this.#max) return;
    this.#successes++;
    if (this.#successes >= this.#limit) {
      this.#limit++;
      this.#successes = 0;
      this.#wake();
    }
  }

  #slot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason);
    if (this.#active < this.#limit && this.#waiters.length === 0) {
      this.#active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        signal?.removeEventListener("abort", onAbort);
        this.#active++;
        resolve();
      };
      const onAbort = (): void => {
        const at = this.#waiters.indexOf(waiter);
        if (at >= 0) this.#waiters.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  #wake(): void {
    while (this.#active < this.#limit) {
      const next = this.#waiters.shift();
      if (next === undefined) return;
      next();
    }
  }
}
