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

/** How long Anthropic keeps a prompt-cache entry: 5 minutes (refreshed on each read) or an hour. */
export type PromptCacheTtl = "5m" | "1h";

/**
 * The Messages API body of a request (also each request of a message batch). The stable part of
 * the request is marked for Anthropic's prompt cache (`cache_control` breakpoints, 3 of the 4
 * allowed): the end of the system text, and the last user turn and the turn before it, so the
 * few-shots and the conversation so far are read back by the item's next call and by calls that
 * share them. Prompts shorter than the model's minimum are not cached (and not billed extra);
 * `ttl` "1h" suits batches, which may take longer than 5 minutes to reach a shared prefix.
 */
export function anthropicRequestBody(
  model: string,
  request: ChatRequest,
  cache: { readonly ttl: PromptCacheTtl } | false = { ttl: "5m" },
): Anthropic.Messages.MessageCreateParamsNonStreaming {
  const params = request.params ?? {};
  const control =
    cache === false
      ? undefined
      : { type: "ephemeral" as const, ...(cache.ttl === "1h" ? { ttl: "1h" as const } : {}) };
  const system = request.messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const turns = request.messages.filter((message) => message.role !== "system");
  const lastUser = turns.findLastIndex((message) => message.role === "user");
  const marked = new Set([lastUser, lastUser - 1]);
  const messages = turns.map(({ role, content }, index) => ({
    role: role as "user" | "assistant",
    content:
      control !== undefined && marked.has(index) && content !== ""
        ? [{ type: "text" as const, text: content, cache_control: control }]
        : content,
  }));
  return {
    model,
    max_tokens: params.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    messages,
    ...(system === ""
      ? {}
      : {
          system:
            control === undefined
              ? system
              : [{ type: "text" as const, text: system, cache_control: control }],
        }),
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
  const written = usage?.cache_creation_input_tokens ?? 0;
  const writtenLong = Math.min(written, usage?.cache_creation?.ephemeral_1h_input_tokens ?? 0);
  return {
    text,
    usage: {
      // Anthropic counts cache reads and writes apart from input_tokens; Charter's inputTokens is
      // every prompt token (as OpenAI's prompt_tokens is), with cache reads in cachedTokens and
      // writes in cacheWriteTokens (the 1-hour ones, billed higher, also in cacheWriteLongTokens).
      inputTokens: (usage?.input_tokens ?? 0) + cached + written,
      outputTokens: usage?.output_tokens ?? 0,
      cachedTokens: cached,
      ...(written > 0 ? { cacheWriteTokens: written } : {}),
      ...(writtenLong > 0 ? { cacheWriteLongTokens: writtenLong } : {}),
    },
    model: typeof message.model === "string" ? message.model : "",
    ...(message.stop_reason != null ? { finishReason: message.stop_reason } : {}),
  };
}
