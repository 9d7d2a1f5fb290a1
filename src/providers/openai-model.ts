// `openai:MODEL` through the official SDK: api.openai.com, or any OpenAI-compatible server
// (vLLM, Ollama, llama.cpp, LM Studio) at a base URL.

import type OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { malformed, sdkCall } from "./sdk-errors.js";
import {
  COMMON_DEFAULTS,
  displayUrl,
  endpointOf,
  lazily,
  SDK_TIMEOUT_MS,
  type HostedTransportOptions,
  type Transport,
  type TransportReply,
} from "./transport.js";
import { promptCacheKey } from "./prompt-cache.js";
import type { ChatRequest, ServiceTier, TokenLogprob } from "./types.js";

export const OFFICIAL_HOST = "api.openai.com";

/**
 * The OpenAI SDK client for a base URL (chat and completions transports alike), loaded on first
 * use so commands that never call a model do not pay for the SDK.
 */
export function openAIClient(
  apiKey: string,
  baseURL: string,
): () => Promise<{ sdk: typeof OpenAI; client: OpenAI }> {
  return lazily(() =>
    import("openai").then(({ OpenAI: sdk }) => ({
      sdk,
      client: new sdk({
        apiKey,
        // Always explicit: the SDK would otherwise read OPENAI_BASE_URL from process.env itself.
        baseURL,
        // Our retry layer is the only one, so every retry is counted and bounded.
        maxRetries: 0,
        timeout: SDK_TIMEOUT_MS,
        organization: null,
        project: null,
      }),
    })),
  );
}

export function createOpenAITransport(options: HostedTransportOptions): Transport {
  const official =
    endpointOf(options.baseUrl, "openai-official", OFFICIAL_HOST) === "openai-official";
  const baseURL = options.baseUrl ?? "https://api.openai.com/v1";
  const secrets = [options.apiKey];
  const connect = openAIClient(options.apiKey, baseURL);
  return {
    provider: "openai",
    model: options.model,
    endpoint: endpointOf(options.baseUrl, "openai-official", OFFICIAL_HOST),
    url: displayUrl(baseURL),
    capabilities: { logprobs: true, maxTopLogprobs: 20, assistantPrefill: false },
    remote: true,
    defaults: { ...COMMON_DEFAULTS, topP: 1 },
    secrets,
    async send(request: ChatRequest, signal: AbortSignal): Promise<TransportReply> {
      const { sdk, client: api } = await connect();
      const completion = await sdkCall(sdk, secrets, options.now, () =>
        api.chat.completions.create(
          openaiRequestBody(options.model, request, official, { tier: options.tier }),
          { signal, maxRetries: 0 },
        ),
      );
      return replyOf(completion);
    },
  };
}

/** What a request carries besides the conversation and its parameters. */
export interface OpenAIRequestExtras {
  /** `flex` adds `service_tier: "flex"`; standard and batch add nothing (a batch is its own endpoint). */
  readonly tier?: ServiceTier | undefined;
}

export function openaiRequestBody(
  model: string,
  request: ChatRequest,
  official: boolean,
  extras: OpenAIRequestExtras = {},
): ChatCompletionCreateParamsNonStreaming {
  const params = request.params ?? {};
  return {
    model,
    ...(extras.tier === "flex" ? { service_tier: "flex" as const } : {}),
    // Routes requests with the same start together, so OpenAI's prompt cache serves them. Only the
    // official API: compatible servers (vLLM, Ollama) may refuse a field they do not know.
    ...(official ? { prompt_cache_key: promptCacheKey(request) } : {}),
    messages: request.messages.map(({ role, content }) => ({ role, content })),
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    // The official API wants max_completion_tokens (o-series refuse max_tokens); compatible
    // servers (Ollama, llama.cpp, older vLLM) know only max_tokens.
    ...(params.maxTokens !== undefined
      ? official
        ? { max_completion_tokens: params.maxTokens }
        : { max_tokens: params.maxTokens }
      : {}),
    ...(params.stop !== undefined && params.stop.length > 0 ? { stop: [...params.stop] } : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.logprobs === true ? { logprobs: true } : {}),
    ...(params.logprobs === true && params.topLogprobs !== undefined
      ? { top_logprobs: params.topLogprobs }
      : {}),
  };
}

/** A chat completion as a TransportReply (also each line of a batch's output file). */
export function replyOf(completion: OpenAI.Chat.Completions.ChatCompletion): TransportReply {
  const choice = (completion as { choices?: typeof completion.choices }).choices?.[0];
  if (choice === undefined) throw malformed("no choices");
  const logprobs: TokenLogprob[] | undefined = choice.logprobs?.content?.map((entry) => ({
    token: entry.token,
    logprob: entry.logprob,
    top: (entry.top_logprobs ?? []).map((top) => ({ token: top.token, logprob: top.logprob })),
  }));
  const usage = completion.usage;
  return {
    text: choice.message?.content ?? "",
    ...(logprobs !== undefined ? { logprobs } : {}),
    usage: {
      inputTokens: usage?.prompt_tokens ?? 0,
      outputTokens: usage?.completion_tokens ?? 0,
      cachedTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
    },
    model: typeof completion.model === "string" ? completion.model : "",
    ...(choice.finish_reason != null ? { finishReason: choice.finish_reason } : {}),
  };
}
