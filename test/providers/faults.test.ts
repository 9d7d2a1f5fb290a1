// Retries, backoff, timeouts and limits against the local server's injected faults.
import { describe, expect, it } from "vitest";
import {
  createModel,
  ProviderError,
  systemClock,
  type CreateModelOptions,
} from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { ask, fakeClock } from "./helpers.js";

const server = useModelServer();

function openai(options: CreateModelOptions = {}) {
  const clock = fakeClock();
  const model = createModel("openai:gpt-test", {
    baseUrl: server.openaiBaseUrl,
    apiKey: "k",
    env: {},
    noCache: true,
    clock,
    random: () => 0.5,
    ...options,
  });
  return { model, clock };
}

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error: unknown = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

describe("retries", () => {
  it("honours Retry-After in seconds on a 429, then succeeds", async () => {
    server.script({ status: 429, headers: { "retry-after": "3" } }, { text: "ok" });
    const { model, clock } = openai();
    const reply = await model.complete(ask("q"));
    expect(reply.text).toBe("ok");
    expect(reply.retries).toBe(1);
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toContain(3000);
    expect(model.usage.snapshot().total.retries).toBe(1);
  });

  it("honours Retry-After as an HTTP date, on Anthropic too", async () => {
    const clock = fakeClock(Date.parse("2030-01-01T00:00:00Z"));
    server.script(
      { status: 429, headers: { "retry-after": "Tue, 01 Jan 2030 00:00:07 GMT" } },
      { text: "ok" },
    );
    const model = createModel("anthropic:claude-test", {
      baseUrl: server.anthropicBaseUrl,
      apiKey: "k",
      env: {},
      noCache: true,
      clock,
    });
    expect((await model.complete(ask("q"))).text).toBe("ok");
    expect(clock.sleeps).toContain(7000);
  });

  it("fails at once when Retry-After asks for longer than maxRetryAfterMs", async () => {
    server.script({ status: 429, headers: { "retry-after": "3600" } });
    const { model, clock } = openai({ maxRetryAfterMs: 60_000 });
    const error = await failure(model.complete(ask("q")));
    expect(error).toMatchObject({
      code: "rate-limited",
      status: 429,
      attempts: 1,
      retryable: true,
    });
    expect(error.message).toContain("asked to wait 3600 s");
    expect(clock.sleeps).toEqual([]);
  });

  it("backs off exponentially with full jitter when the server gives no wait", async () => {
    server.script({ status: 500 }, { status: 503 }, { status: 502 }, { text: "ok" });
    const { model, clock } = openai({ retryBaseDelayMs: 100, random: () => 0.5 });
    const reply = await model.complete(ask("q"));
    expect(reply.retries).toBe(3);
    expect(clock.sleeps).toEqual([50, 100, 200]);
  });

  it("retries a dropped connection", async () => {
    server.script({ drop: true }, { text: "after drop" });
    const { model } = openai();
    expect((await model.complete(ask("q"))).text).toBe("after drop");
    expect(server.requests).toHaveLength(2);
  });

  it("times out a slow reply and retries it", async () => {
    server.script({ delayMs: 2_000 }, { text: "fast" });
    const { model } = openai({ timeoutMs: 150 });
    const started = Date.now();
    const reply = await model.complete(ask("q"));
    expect(reply.text).toBe("fast");
    expect(reply.retries).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("fails with a timeout error when every attempt is slow", async () => {
    server.handle(() => ({ delayMs: 2_000 }));
    const { model } = openai({ timeoutMs: 100, maxRetries: 1 });
    const error = await failure(model.complete(ask("q")));
    expect(error).toMatchObject({
      code: "timeout",
      attempts: 2,
      retryable: true,
      provider: "openai",
    });
  });

  it("records a malformed body as a ProviderError after bounded retries", async () => {
    server.handle(() => ({ raw: '{"choices": [' }));
    const { model } = openai({ maxRetries: 2 });
    const error = await failure(model.complete(ask("q")));
    expect(error.code).toBe("malformed-response");
    expect(error.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
    expect(model.usage.snapshot().total).toMatchObject({ failures: 1, retries: 2, calls: 1 });
  });

  it("classifies Anthropic's malformed bodies and dropped connections the same way", async () => {
    const model = createModel("anthropic:claude-test", {
      baseUrl: server.anthropicBaseUrl,
      apiKey: "k",
      env: {},
      noCache: true,
      clock: fakeClock(),
      maxRetries: 1,
    });
    server.script({ raw: "{nope" }, { raw: "{nope" }, { drop: true }, { drop: true });
    expect(await failure(model.complete(ask("q")))).toMatchObject({
      code: "malformed-response",
      attempts: 2,
    });
    expect(await failure(model.complete(ask("q")))).toMatchObject({
      code: "connection-error",
      attempts: 2,
    });
  });

  it("gives up after maxRetries on a server that keeps failing", async () => {
    server.handle(() => ({ status: 503 }));
    const { model } = openai({ maxRetries: 3 });
    const error = await failure(model.complete(ask("q")));
    expect(error).toMatchObject({
      code: "server-error",
      status: 503,
      attempts: 4,
      retryable: true,
      model: "gpt-test",
    });
    expect(error.message).toMatch(/gave up after 4 attempts/);
    expect(server.requests).toHaveLength(4);
  });

  it.each([
    [400, "bad-request"],
    [401, "auth-error"],
    [404, "not-found"],
  ])("does not retry a %i", async (status, code) => {
    server.script({ status });
    const { model } = openai();
    const error = await failure(model.complete(ask("q")));
    expect(error).toMatchObject({ code, status, attempts: 1, retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it("a failed request does not stop the others", async () => {
    server.handle((request) =>
      JSON.stringify(request.body).includes("bad") ? { status: 400 } : { text: "fine" },
    );
    const { model } = openai();
    const results = await Promise.allSettled(
      ["good 1", "bad", "good 2"].map((q) => model.complete(ask(q))),
    );
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});

describe("limits", () => {
  it("never has more requests in flight than the concurrency", async () => {
    server.handle(() => ({ delayMs: 40 }));
    const { model } = openai({ concurrency: 3, clock: systemClock });
    await Promise.all(Array.from({ length: 10 }, (_, i) => model.complete(ask(`q${i}`))));
    expect(server.requests).toHaveLength(10);
    expect(server.maxInFlight).toBe(3);
  });

  it("shrinks the pool after 429s so the server is not hammered", async () => {
    // The first eight requests all get 429; then count how many successes are in flight at once.
    let seen = 0;
    let active = 0;
    let most = 0;
    server.handle(() => {
      if (++seen <= 8) return { status: 429, headers: { "retry-after": "0" } };
      most = Math.max(most, ++active);
      setTimeout(() => active--, 30);
      return { delayMs: 30 };
    });
    const { model } = openai({ concurrency: 8, clock: systemClock });
    await Promise.all(Array.from({ length: 8 }, (_, i) => model.complete(ask(`q${i}`))));
    expect(seen).toBe(16);
    expect(most).toBeLessThanOrEqual(4);
  });

  it("spaces requests to the requests-per-minute budget", async () => {
    const clock = fakeClock();
    const model = createModel("openai:gpt-test", {
      baseUrl: server.openaiBaseUrl,
      apiKey: "k",
      env: {},
      noCache: true,
      clock,
      requestsPerMinute: 2,
    });
    for (let i = 0; i < 4; i++) await model.complete(ask(`q${i}`));
    // Two at once from a full bucket, then one every 30 s.
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(59_000);
  });
});
