// `anthropic:MODEL` through the official SDK. System messages become `system`; a trailing
// assistant message is a prefill the model continues (the reply holds only the continuation).

import type Anthropic from "@anthropic-ai/sdk";
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
import type { ChatRequest } from "./types.js";

/** The official API's host: a base URL there is the official endpoint. */
export const ANTHROPIC_HOST = "api.anthropic.com";

/** Anthropic requires max_tokens; this is what a request without one gets. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 1024;

/** The Anthropic SDK client for a base URL, loaded on first use (messages and batches alike). */
export function anthropicClient(
  apiKey: string,
  baseURL: string,
): () => Promise<{ sdk: typeof Anthropic; client: Anthropic }> {
  return lazily(() =>
    import("@anthropic-ai/sdk").then(({ Anthropic: sdk }) => ({
      sdk,
      client: new sdk({ apiKey, authToken: null, baseURL, maxRetries: 0, timeout: SDK_TIMEOUT_MS }),
    })),
  );
}

export function createAnthropicTransport(options: HostedTransportOptions): Transport {
  const secrets = [options.apiKey];
  const baseURL = options.baseUrl ?? "https://api.anthropic.com";
  const connect = anthropicClient(options.apiKey, baseURL);
  return {
    provider: "anthropic",
    model: options.model,
    endpoint: endpointOf(options.baseUrl, "anthropic-official", ANTHROPIC_HOST),
    url: displayUrl(baseURL),
    capabilities: {
      logprobs: false,
      maxTopLogprobs: 0,
      assistantPrefill: true,
      defaultMaxTokens: ANTHROPIC_DEFAULT_MAX_TOKENS,
    },
    remote: true,
    defaults: { ...COMMON_DEFAULTS, maxTokens: ANTHROPIC_DEFAULT_MAX_TOKENS },
    secrets,
    async send(request: ChatRequest, signal: AbortSignal): Promise<TransportReply> {
      const { sdk, client: api } = await connect();
      const message = await sdkCall(sdk, secrets, options.now, () =>
        api.messages.create(anthropicRequestBody(options.model, request), {
          signal,
          maxRetries: 0,
        }),
      );
      return anthropicReplyOf(message);
    },
  };
}

/** The Messages API body of a request (also each request of a message batch). */
export function anthropicRequestBody(
  model: string,
  request: ChatRequest,
): Anthropic.Messages.MessageCreateParamsNonStreaming {
  const params = request.params ?? {};
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const messages = request.messages
    .filter((message) => message.role !== "system")
    .map(({ role, content }) => ({ role: role as "user" | "assistant", content }));
  return {
    model,
    max_tokens: params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
    ...(system !== "" ? { system } : {}),
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    ...(params.stop !== undefined && params.stop.length > 0
      ? { stop_sequences: [...params.stop] }
      : {}),
  };
}

/** A message as a TransportReply (also each succeeded result of a message batch). */
export function anthropicReplyOf(message: Anthropic.Messages.Message): TransportReply {
  if (!Array.isArray((message as { content?: unknown }).content)) throw malformed("no content");
  const text = message.content.map((block) => (block.type === "text" ? block.text : "")).join("");
  const usage = message.usage as Partial<Anthropic.Messages.Usage> | undefined;
  const cached = usage?.cache_read_input_tokens ?? 0;
  return {
    text,
    usage: {
      // Anthropic counts cache reads and writes apart from input_tokens; Charter's inputTokens is
      // every prompt token (as OpenAI's prompt_tokens is), with cache reads also in cachedTokens.
      inputTokens: (usage?.input_tokens ?? 0) + cached + (usage?.cache_creation_input_tokens ?? 0),
      outputTokens: usage?.output_tokens ?? 0,
      cachedTokens: cached,
    },
    model: typeof message.model === "string" ? message.model : "",
    ...(message.stop_reason != null ? { finishReason: message.stop_reason } : {}),
  };
}
