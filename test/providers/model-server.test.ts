// The test model server speaks both wire formats to the real SDKs and injects faults on request.
import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { useModelServer } from "../fixtures/model-server-hooks.js";

const server = useModelServer();

const openai = () => new OpenAI({ apiKey: "k", baseURL: server.openaiBaseUrl, maxRetries: 0 });
const anthropic = () =>
  new Anthropic({ apiKey: "k", baseURL: server.anthropicBaseUrl, maxRetries: 0 });

describe("model server fixture", () => {
  it("answers OpenAI chat completions with an echo, logprobs and cached-token usage", async () => {
    server.script({ usage: { inputTokens: 10, outputTokens: 3, cachedTokens: 4 } });
    const reply = await openai().chat.completions.create({
      model: "m1",
      messages: [{ role: "user", content: "hello there" }],
      logprobs: true,
      top_logprobs: 2,
    });
    expect(reply.choices[0]?.message.content).toBe("echo: hello there");
    expect(reply.model).toBe("m1");
    const first = reply.choices[0]?.logprobs?.content?.[0];
    expect(first?.token).toBe("echo:");
    expect(first?.top_logprobs).toHaveLength(2);
    expect(reply.usage?.prompt_tokens_details?.cached_tokens).toBe(4);
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
    expect(server.requests[0]?.headers.authorization).toBe("Bearer k");
  });

  it("answers Anthropic messages with usage including cache reads", async () => {
    server.script({ text: "hi", usage: { inputTokens: 9, outputTokens: 1, cachedTokens: 2 } });
    const reply = await anthropic().messages.create({
      model: "c1",
      max_tokens: 10,
      messages: [{ role: "user", content: "x" }],
    });
    expect(reply.content[0]).toMatchObject({ type: "text", text: "hi" });
    expect(reply.usage).toMatchObject({
      input_tokens: 7,
      output_tokens: 1,
      cache_read_input_tokens: 2,
    });
    const headers = server.requests[0]?.headers ?? {};
    expect(String(headers["x-api-key"] ?? headers.authorization)).toMatch(/\bk$/);
  });

  it("injects 429 with Retry-After, 500, malformed bodies and dropped connections", async () => {
    server.script(
      { status: 429, headers: { "retry-after": "7" } },
      { status: 500 },
      { raw: "{not json" },
      { drop: true },
    );
    const call = () =>
      openai().chat.completions.create({ model: "m", messages: [{ role: "user", content: "q" }] });
    await expect(call()).rejects.toMatchObject({ status: 429 });
    await expect(call()).rejects.toMatchObject({ status: 500 });
    await expect(call()).rejects.toThrow();
    await expect(call()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    expect(server.requests).toHaveLength(4);
  });

  it("delays replies and counts the most requests in flight at once", async () => {
    server.handle(() => ({ delayMs: 60 }));
    const started = Date.now();
    await Promise.all(
      [1, 2, 3].map(() =>
        openai().chat.completions.create({
          model: "m",
          messages: [{ role: "user", content: "q" }],
        }),
      ),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect(server.maxInFlight).toBe(3);
    server.handle(undefined);
  });
});
