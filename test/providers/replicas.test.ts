// Replicas of one model (repeated base URLs) through the real OpenAI SDK against local servers:
// least-loaded spread, a down or killed replica's requests moved to the others, the dead-endpoint
// stop only when all are down, the answering replica in the trace, one cache whatever the spread.
import { afterEach, describe, expect, it } from "vitest";
import {
  CallLedger,
  createModel,
  EndpointUnreachableError,
  parseModelName,
  type CreateModelOptions,
} from "../../src/providers/index.js";
import { startModelServer, unusedPort, type ModelServer } from "../fixtures/model-server.js";
import { ask, fakeClock, tempDir } from "./helpers.js";

let servers: ModelServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function start(count: number, latencyMs = 0): Promise<ModelServer[]> {
  const started = await Promise.all(
    Array.from({ length: count }, () => startModelServer({ latencyMs })),
  );
  servers.push(...started);
  return started;
}

const deadUrl = async () => `http://127.0.0.1:${await unusedPort()}/v1`;

function pooled(baseUrl: readonly string[], options: CreateModelOptions = {}) {
  return createModel("openai:fixture-model", {
    baseUrl,
    apiKey: "k",
    noCache: true,
    cwd: tempDir(),
    retryBaseDelayMs: 1,
    ...options,
  });
}

describe("replicas", () => {
  it("sends each request to the least-loaded replica", async () => {
    const [a, b] = await start(2, 40);
    const model = pooled([a!.openaiBaseUrl, b!.openaiBaseUrl], { concurrency: 4 });
    await Promise.all(Array.from({ length: 8 }, (_, n) => model.complete(ask(`q${n}`))));
    expect(a!.requests).toHaveLength(4);
    expect(b!.requests).toHaveLength(4);
    expect(a!.maxInFlight).toBe(2);
    expect(b!.maxInFlight).toBe(2);
  });

  it("breaks ties in the order given: one call at a time goes to the first", async () => {
    const [a, b] = await start(2);
    const model = pooled([a!.openaiBaseUrl, b!.openaiBaseUrl]);
    for (let n = 0; n < 3; n++) await model.complete(ask(`q${n}`));
    expect([a!.requests.length, b!.requests.length]).toEqual([3, 0]);
  });

  it("moves a down replica's requests to the others without a retry, and keeps it out", async () => {
    const [live] = await start(1);
    const dead = await deadUrl();
    const model = pooled([dead, live!.openaiBaseUrl], { maxRetries: 0 });
    const replies = [];
    for (let n = 0; n < 5; n++) replies.push(await model.complete(ask(`q${n}`)));
    expect(replies.map((reply) => reply.text)).toEqual([0, 1, 2, 3, 4].map((n) => `echo: q${n}`));
    expect(replies.every((reply) => reply.retries === 0)).toBe(true);
    expect(new Set(replies.map((reply) => reply.replica))).toEqual(new Set([live!.openaiBaseUrl]));
    expect(live!.requests).toHaveLength(5);
    expect(model.usage.snapshot().total).toMatchObject({ calls: 5, failures: 0, retries: 0 });
  });

  it("takes out a replica answering 5xx and sends its requests elsewhere", async () => {
    const [sick, well] = await start(2);
    sick!.handle(() => ({ status: 503 }));
    const model = pooled([sick!.openaiBaseUrl, well!.openaiBaseUrl], { maxRetries: 0 });
    for (let n = 0; n < 4; n++) expect((await model.complete(ask(`q${n}`))).cached).toBe(false);
    // Tried once, then out for its backoff (1 s, doubling) while the others answer.
    expect(sick!.requests).toHaveLength(1);
    expect(well!.requests).toHaveLength(4);
  });

  it("survives a replica killed mid-run: its requests in flight finish elsewhere", async () => {
    const [a, b] = await start(2, 30);
    const model = pooled([a!.openaiBaseUrl, b!.openaiBaseUrl], { concurrency: 4, maxRetries: 0 });
    const calls = Array.from({ length: 12 }, (_, n) => model.complete(ask(`q${n}`)));
    // Kill a while its first requests are being answered.
    setTimeout(() => void a!.close(), 10);
    const replies = await Promise.all(calls);
    expect(replies.map((reply) => reply.text)).toEqual(
      Array.from({ length: 12 }, (_, n) => `echo: q${n}`),
    );
    expect(model.usage.snapshot().total.failures).toBe(0);
    expect(b!.requests.length).toBeGreaterThanOrEqual(12 - a!.requests.length);
  });

  it("stops with EndpointUnreachableError only when every replica is down, naming them all", async () => {
    const [one, two] = [await deadUrl(), await deadUrl()];
    const model = pooled([one, two], { maxRetries: 0, maxConnectionFailures: 2 });
    const first = await model.complete(ask("a")).catch((error: unknown) => error);
    expect(first).toMatchObject({ code: "connection-error" });
    const second = await model.complete(ask("b")).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(EndpointUnreachableError);
    expect((second as Error).message).toContain(`${one}, ${two}`);
  });

  it("does not count a failed connection toward the stop while another replica is up", async () => {
    const [live] = await start(1);
    const clock = fakeClock();
    const model = pooled([await deadUrl(), live!.openaiBaseUrl], {
      maxRetries: 0,
      maxConnectionFailures: 1,
      clock,
    });
    // The dead one comes back into the rotation after each backoff and fails again: never a stop.
    for (let n = 0; n < 6; n++) {
      clock.advance(120_000);
      await expect(model.complete(ask(`q${n}`))).resolves.toMatchObject({ text: `echo: q${n}` });
    }
  });

  it("records the answering replica in the call's trace event", async () => {
    const [a, b] = await start(2);
    const model = pooled([a!.openaiBaseUrl, b!.openaiBaseUrl]);
    const ledger = new CallLedger();
    await ledger.complete(model, { request: { ...ask("hi"), purpose: "reply" } });
    expect(ledger.trace()).toEqual([
      expect.objectContaining({ event: "call", replica: a!.openaiBaseUrl }),
    ]);
    // One server: no replica field.
    const single = new CallLedger();
    await single.complete(pooled([a!.openaiBaseUrl]), { request: ask("hi") });
    expect(single.trace()[0]).not.toHaveProperty("replica");
  });

  it("keeps one response cache whatever the spread and the order of the replicas", async () => {
    const [a, b] = await start(2);
    const cwd = tempDir();
    const options = { noCache: false, cwd };
    const first = await pooled([a!.openaiBaseUrl, b!.openaiBaseUrl], options).complete(ask("hi"));
    const again = await pooled([b!.openaiBaseUrl, a!.openaiBaseUrl], options).complete(ask("hi"));
    expect(first.cached).toBe(false);
    expect(again).toMatchObject({ cached: true, text: first.text });
    expect(a!.requests.length + b!.requests.length).toBe(1);
  });

  it("reads replicas from a model name: provider:model@URL1,URL2", async () => {
    const [a, b] = await start(2, 20);
    const name = `openai:fixture-model@${a!.openaiBaseUrl},${b!.openaiBaseUrl}`;
    expect(parseModelName(name)).toMatchObject({
      baseUrl: a!.openaiBaseUrl,
      baseUrls: [a!.openaiBaseUrl, b!.openaiBaseUrl],
      id: name,
    });
    const model = createModel(name, { noCache: true, cwd: tempDir(), concurrency: 2 });
    await Promise.all([model.complete(ask("x")), model.complete(ask("y"))]);
    expect([a!.requests.length, b!.requests.length]).toEqual([1, 1]);
    expect(model.url).toBe(`${a!.openaiBaseUrl}, ${b!.openaiBaseUrl}`);
  });
});
