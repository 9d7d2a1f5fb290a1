// `openai-completions:MODEL`: a base (pretrained) model behind the `/v1/completions` endpoint of
// vLLM, llama.cpp's server, TGI or OpenAI, through the official SDK. The chat turns are written as
// the Constitutional AI paper's Human/Assistant transcript, the model continues the text after
// `Assistant:` and stops before the next `Human:`, and the judge reads the answer letter's
// log-probability at the next token, as the paper scored its feedback model.

import type OpenAI from "openai";
import type { CompletionCreateParamsNonStreaming } from "openai/resources/completions";
import { malformed, sdkCall } from "./sdk-errors.js";
import {
  COMMON_DEFAULTS,
  displayUrl,
  endpointOf,
  type HostedTransportOptions,
  type Transport,
  type TransportReply,
} from "./transport.js";
import type { ChatMessage, ChatRequest, TokenLogprob } from "./types.js";
import { OFFICIAL_HOST, openAIClient } from "./openai-model.js";

/** Where the next human turn would start: the model's answer ends before it. */
export const TRANSCRIPT_STOP = "\n\nHuman:";

/** OpenAI's completions endpoint returns at most five alternatives per position. */
const MAX_TOP_LOGPROBS = 5;

/**
 * The chat turns as one transcript: system text first, then `\n\nHuman: ...` and
 * `\n\nAssistant: ...` turns, ending with `\n\nAssistant:` for the model to continue. A last
 * assistant turn is a prefill: the model continues it (the judge's `The answer is: (`).
 *
 * @example renderTranscriptPrompt([{ role: "user", content: "Hi" }]) // "\n\nHuman: Hi\n\nAssistant:"
 */
export function renderTranscriptPrompt(messages: readonly ChatMessage[]): string {
  const system = messages
    .filter((message) => message.role === "system")
    .map((message) => message.content)
    .join("\n\n");
  const turns = messages.filter((message) => message.role !== "system");
  let text = system;
  for (const turn of turns)
    text += `\n\n${turn.role === "user" ? "Human" : "Assistant"}: ${turn.content}`;
  if (turns.at(-1)?.role !== "assistant") text += "\n\nAssistant:";
  return text;
}

export function createOpenAICompletionsTransport(options: HostedTransportOptions): Transport {
  const baseURL = options.baseUrl ?? "https://api.openai.com/v1";
  const secrets = [options.apiKey];
  const connect = openAIClient(options.apiKey, baseURL);
  return {
    provider: "openai-completions",
    model: options.model,
    endpoint: endpointOf(options.baseUrl, "openai-official", OFFICIAL_HOST),
    url: displayUrl(baseURL),
    capabilities: { logprobs: true, maxTopLogprobs: MAX_TOP_LOGPROBS, assistantPrefill: true },
    remote: true,
    // The endpoint's own default budget is 16 tokens; Charter's requests always say theirs.
    defaults: { ...COMMON_DEFAULTS, topP: 1 },
    secrets,
    async send(request: ChatRequest, signal: AbortSignal): Promise<TransportReply> {
      const { sdk, client: api } = await connect();
      const completion = await sdkCall(sdk, secrets, options.now, () =>
        api.completions.create(completionsRequestBody(options.model, request), {
          signal,
          maxRetries: 0,
        }),
      );
      return completionReply(completion);
    },
  };
}

/** The `/v1/completions` body for a chat request: the transcript, the paper's stop, the params. */
export function completionsRequestBody(
  model: string,
  request: ChatRequest,
): CompletionCreateParamsNonStreaming {
  const params = request.params ?? {};
  const stop = [TRANSCRIPT_STOP, ...(params.stop ?? []).filter((s) => s !== TRANSCRIPT_STOP)];
  return {
    model,
    prompt: renderTranscriptPrompt(request.messages),
    // The API takes up to four stop sequences.
    stop: stop.slice(0, 4),
    ...(params.temperature !== undefined ? { temperature: params.temperature } : {}),
    ...(params.topP !== undefined ? { top_p: params.topP } : {}),
    ...(params.maxTokens !== undefined ? { max_tokens: params.maxTokens } : {}),
    ...(params.seed !== undefined ? { seed: params.seed } : {}),
    ...(params.logprobs === true
      ? { logprobs: Math.min(Math.max(params.topLogprobs ?? 1, 1), MAX_TOP_LOGPROBS) }
      : {}),
  };
}

/** The completion as a reply: text trimmed of the leading space after `Assistant:`, log-probabilities per token. */
function completionReply(completion: OpenAI.Completions.Completion): TransportReply {
  const choice = (completion as { choices?: typeof completion.choices }).choices?.[0];
  if (choice === undefined) throw malformed("no choices");
  const usage = completion.usage;
  const logprobs = tokenLogprobs(choice.logprobs ?? null);
  return {
    text: (choice.text ?? "").trim(),
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

/** The legacy logprobs shape (parallel lists; alternatives as a token→logprob map) per token. */
function tokenLogprobs(
  logprobs: OpenAI.Completions.CompletionChoice.Logprobs | null,
): TokenLogprob[] | undefined {
  if (logprobs === null || logprobs.tokens === undefined) return undefined;
  return logprobs.tokens.map((token, index) => {
    const top = Object.entries(logprobs.top_logprobs?.[index] ?? {})
      .map(([alternative, logprob]) => ({ token: alternative, logprob }))
      .sort((a, b) => b.logprob - a.logprob);
    return { token, logprob: logprobs.token_logprobs?.[index] ?? top[0]?.logprob ?? 0, top };
  });
}
