// What each provider puts on the wire and reads back: parameters, prefill, logprobs, usage.
import { describe, expect, it } from "vitest";
import { createModel } from "../../src/providers/index.js";
import { openaiRequestBody } from "../../src/providers/openai-model.js";
import { endpointOf } from "../../src/providers/transport.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";

const server = useModelServer();

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

describe("openai wire format", () => {
  const model = () =>
    createModel("openai:gpt-test", {
      baseUrl: server.openaiBaseUrl,
      apiKey: "k",
      env: {},
      noCache: true,
    });

  it("sends every generation parameter under its OpenAI name", async () => {
    await model().complete({
      messages: [{ role: "user", content: "q" }],
      params: {
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 7,
        stop: ["\n"],
        seed: 42,
        logprobs: true,
        topLogprobs: 3,
      },
      purpose: "judge",
      sampleIndex: 2,
    });
    expect(lastBody()).toEqual({
      model: "gpt-test",
      messages: [{ role: "user", content: "q" }],
      temperature: 0.2,
      top_p: 0.9,
      // A custom base URL gets max_tokens, which every compatible server knows.
      max_tokens: 7,
      stop: ["\n"],
      seed: 42,
      logprobs: true,
      top_logprobs: 3,
    });
  });

  it("asks the official API for max_completion_tokens, which o-series models require", () => {
    const body = openaiRequestBody("o4-mini", { messages: [], params: { maxTokens: 9 } }, true);
    expect(body).toMatchObject({ max_completion_tokens: 9 });
    expect(body).not.toHaveProperty("max_tokens");
  });

  it("names the endpoint in cache keys without credentials", () => {
    expect(endpointOf(undefined, "openai-official", "api.openai.com")).toBe("openai-official");
    expect(endpointOf("https://api.openai.com/v1", "openai-official", "api.openai.com")).toBe(
      "openai-official",
    );
    expect(
      endpointOf("http://user:secret@127.0.0.1:8000/v1/", "openai-official", "api.openai.com"),
    ).toBe("127.0.0.1:8000/v1");
  });

  it("maps token log-probabilities and their alternatives", async () => {
    server.script({
      text: "B)",
      tokens: [
        {
          token: "B",
          logprob: -0.2,
          top: [
            { token: "B", logprob: -0.2 },
            { token: "A", logprob: -1.7 },
          ],
        },
        { token: ")", logprob: -0.01 },
      ],
    });
    const reply = await model().complete({
      messages: [{ role: "user", content: "(A) or (B)?" }],
      params: { logprobs: true, topLogprobs: 2 },
    });
    expect(reply.logprobs).toEqual([
      {
        token: "B",
        logprob: -0.2,
        top: [
          { token: "B", logprob: -0.2 },
          { token: "A", logprob: -1.7 },
        ],
      },
      { token: ")", logprob: -0.01, top: [{ token: ")", logprob: -0.01 }] },
    ]);
  });
});

describe("anthropic wire format", () => {
  const model = () =>
    createModel("anthropic:claude-test", {
      baseUrl: server.anthropicBaseUrl,
      apiKey: "k",
      env: {},
      noCache: true,
    });

  it("moves system messages to `system`, sends a trailing assistant message as a prefill", async () => {
    server.script({ text: "A)", finishReason: "end_turn" });
    const reply = await model().complete({
      messages: [
        { role: "system", content: "Judge fairly." },
        { role: "system", content: "Answer with a letter." },
        { role: "user", content: "(A) or (B)?" },
        { role: "assistant", content: "The answer is (" },
      ],
      params: { temperature: 0, stop: ["\n\n"] },
    });
    expect(lastBody()).toEqual({
      model: "claude-test",
      max_tokens: 1024,
      // The stable part is marked for Anthropic's prompt cache: the system text, the last user
      // turn (and the turn before it, when there is one); never the prefill.
      system: [
        {
          type: "text",
          text: "Judge fairly.\n\nAnswer with a letter.",
          cache_control: { type: "ephemeral" },
        },
      ],
      messages: [
        {
          role: "user",
          content: [{ type: "text", text: "(A) or (B)?", cache_control: { type: "ephemeral" } }],
        },
        { role: "assistant", content: "The answer is (" },
      ],
      temperature: 0,
      stop_sequences: ["\n\n"],
    });
    expect(reply.text).toBe("A)");
    expect(reply.finishReason).toBe("end_turn");
    expect(model().capabilities).toMatchObject({ logprobs: false, assistantPrefill: true });
  });

  it("counts cache reads as input tokens and as cached tokens", async () => {
    server.script({ usage: { inputTokens: 50, outputTokens: 5, cachedTokens: 30 } });
    const reply = await model().complete({ messages: [{ role: "user", content: "u" }] });
    expect(reply.usage).toEqual({ inputTokens: 50, outputTokens: 5, cachedTokens: 30 });
  });
});
