// Service tiers through the real OpenAI SDK against the local model server: flex is sent as
// `service_tier: "flex"`, priced at half, its 429 "Resource Unavailable" retried; a tier a provider
// or endpoint lacks is refused before any call.
import { describe, expect, it } from "vitest";
import {
  createModel,
  UnsupportedTierError,
  UsageMeter,
  type CreateModelOptions,
} from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { ask, fakeClock, tempDir } from "./helpers.js";

const server = useModelServer();
const prices = { "openai:gpt-4o-mini": { input: 1, output: 2 } };

function flexModel(options: CreateModelOptions = {}) {
  return createModel("openai:gpt-4o-mini", {
    baseUrl: server.openaiBaseUrl,
    apiKey: "k",
    noCache: true,
    cwd: tempDir(),
    tier: "flex",
    tierAnyEndpoint: true,
    usage: new UsageMeter({ prices }),
    clock: fakeClock(),
    ...options,
  });
}

describe("--tier flex", () => {
  it("sends service_tier flex and prices the call at batch rates (half)", async () => {
    server.script({ text: "ok", usage: { inputTokens: 1000, outputTokens: 100 } });
    const model = flexModel();
    const reply = await model.complete(ask("hi"));
    expect(server.requests.map((request) => request.serviceTier)).toEqual(["flex"]);
    expect(reply.text).toBe("ok");
    // (1000 × $1 + 100 × $2) per million, halved.
    expect(model.usage.snapshot().total.costUsd).toBeCloseTo((1000 + 200) / 1e6 / 2, 15);
  });

  it("retries a 429 Resource Unavailable with backoff and counts it as a 429", async () => {
    server.script({ resourceUnavailable: true }, { resourceUnavailable: true }, { text: "late" });
    const clock = fakeClock();
    const model = flexModel({ clock, retryBaseDelayMs: 1000 });
    const reply = await model.complete(ask("hi"));
    expect(reply.text).toBe("late");
    expect(reply.retries).toBe(2);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.serviceTier === "flex")).toBe(true);
    // Full-jitter backoff: the waits stay under 1 s, then 2 s.
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[0]).toBeLessThan(1000);
    expect(clock.sleeps[1]).toBeLessThan(2000);
    expect(model.usage.snapshot().total).toMatchObject({ rateLimited: 2, retries: 2, calls: 1 });
  });

  it("says flex had no capacity when the 429s outlast the retries", async () => {
    server.handle(() => ({ resourceUnavailable: true }));
    const model = flexModel({ maxRetries: 1 });
    await expect(model.complete(ask("hi"))).rejects.toMatchObject({
      code: "rate-limited",
      message: expect.stringContaining("flex capacity unavailable (429 Resource Unavailable"),
    });
    expect(server.requests).toHaveLength(2);
  });

  it("is refused before any call for providers and endpoints without it", () => {
    const refused = (name: string, options: CreateModelOptions = {}) => {
      try {
        createModel(name, { apiKey: "k", cwd: tempDir(), tier: "flex", ...options });
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedTierError);
        return (error as UnsupportedTierError).code + ": " + (error as Error).message;
      }
      throw new Error(`${name} was accepted`);
    };
    expect(refused("anthropic:claude-haiku-4-5")).toMatch(
      /^unsupported-tier: anthropic:claude-haiku-4-5: --tier flex is OpenAI's .*Anthropic has no flex tier/,
    );
    expect(refused("offline:rehearsal")).toContain("the offline model has no flex tier");
    expect(refused("openai-completions:base", { baseUrl: server.openaiBaseUrl })).toContain(
      "openai-completions) has no flex tier",
    );
    expect(refused("openai:gpt-4o-mini", { baseUrl: server.openaiBaseUrl })).toContain(
      "add --tier-any-endpoint",
    );
    expect(refused(`openai:llama@${server.openaiBaseUrl}`)).toContain("not to a custom --base-url");
    expect(server.requests).toHaveLength(0);
    // The official API takes it without asking.
    expect(() =>
      createModel("openai:gpt-4o-mini", { apiKey: "k", cwd: tempDir(), tier: "flex" }),
    ).not.toThrow();
  });

  it("gives a flex attempt 15 minutes unless a timeout is set", () => {
    expect(flexModel().timeoutMs).toBe(15 * 60 * 1000);
    expect(flexModel({ timeoutMs: 5000 }).timeoutMs).toBe(5000);
    expect(flexModel({ tier: "standard" }).timeoutMs).toBe(120_000);
  });

  it("leaves a standard request without service_tier", async () => {
    const model = flexModel({ tier: "standard" });
    await model.complete(ask("hi"));
    expect(server.requests[0]?.serviceTier).toBeUndefined();
    expect(server.requests[0]?.body).not.toHaveProperty("service_tier");
  });
});
