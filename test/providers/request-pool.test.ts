// The request pool: slots, a 429 slow-down that recovers, and minute budgets on an injected clock.
import { describe, expect, it } from "vitest";
import { RequestPool } from "../../src/providers/request-pool.js";
import { fakeClock } from "./helpers.js";

describe("RequestPool", () => {
  it("halves on a 429, holds new work for Retry-After, then grows back one step per window", async () => {
    const clock = fakeClock(0);
    const pool = new RequestPool({ concurrency: 8, clock });
    pool.slowDown(5_000);
    expect(pool.limit).toBe(4);
    const release = await pool.acquire(1);
    expect(clock.sleeps).toEqual([5_000]);
    release();
    for (let i = 0; i < 4; i++) pool.recordSuccess();
    expect(pool.limit).toBe(5);
    for (let i = 0; i < 100; i++) pool.recordSuccess();
    expect(pool.limit).toBe(8);
  });

  it("queues past the limit and lets a waiter in when a slot is released", async () => {
    const pool = new RequestPool({ concurrency: 1, clock: fakeClock(0) });
    const first = await pool.acquire(1);
    let entered = false;
    const second = pool.acquire(1).then((release) => {
      entered = true;
      return release;
    });
    await Promise.resolve();
    expect(entered).toBe(false);
    first();
    (await second)();
    expect(entered).toBe(true);
    expect(pool.active).toBe(0);
  });

  it("abandons a queued wait on abort", async () => {
    const pool = new RequestPool({ concurrency: 1, clock: fakeClock(0) });
    await pool.acquire(1);
    const controller = new AbortController();
    const waiting = pool.acquire(1, controller.signal);
    controller.abort(new Error("stop"));
    await expect(waiting).rejects.toThrow("stop");
  });

  it("keeps to a tokens-per-minute budget", async () => {
    const clock = fakeClock(0);
    const pool = new RequestPool({ concurrency: 4, tokensPerMinute: 1_000, clock });
    (await pool.acquire(600))();
    (await pool.acquire(600))();
    // 200 tokens were missing: a fifth of a minute.
    expect(clock.sleeps).toEqual([12_000]);
  });
});
