// The one interface both phases use to talk to a model. Implementations live beside this file.

export type ChatRole = "system" | "user" | "assistant";

/**
 * How requests are sent and billed: `standard` (one request, one reply), `flex` (OpenAI's flex
 * processing: same requests, batch prices, slower) or `batch` (the providers' batch APIs).
 */
export type ServiceTier = "standard" | "flex" | "batch";

export interface ChatMessage {
  readonly role: ChatRole;
  readonly content: string;
}

/** Generation parameters. Absent fields take the provider's documented defaults. */
export interface GenerationParams {
  readonly temperature?: number;
  readonly topP?: number;
  readonly maxTokens?: number;
  readonly stop?: readonly string[];
  /** Ask for log-probabilities of the generated tokens. */
  readonly logprobs?: boolean;
  /** How many alternatives per position (requires `logprobs`). */
  readonly topLogprobs?: number;
  /** Passed to providers that accept one; hosted APIs do not promise to honour it. */
  readonly seed?: number;
}

/** What one purpose's calls are sent with: parameters, and a system message put first. */
export interface CallSettings {
  readonly params: GenerationParams;
  readonly system?: string;
}

/** What the request is for. Not sent to hosted APIs; the offline model and traces use it. */
export type RequestPurpose =
  | "reply"
  | "critique"
  | "revision"
  | "judge"
  | "judge-cot"
  | "recheck"
  | "generate"
  /** A yes/no question about one rubric criterion (`charter score`). */
  | "criterion"
  /** A 0-10 question about one rubric criterion (`charter score --method scale`). */
  | "criterion-scale"
  /** Writing a rubric for a prompt (`charter rubrics`). */
  | "rubric";

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  readonly params?: GenerationParams;
  /** Distinguishes deliberate repeats of one request (voting); part of the cache key. */
  readonly sampleIndex?: number;
  readonly purpose?: RequestPurpose;
  readonly signal?: AbortSignal;
}

export interface TopLogprob {
  readonly token: string;
  readonly logprob: number;
}

export interface TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  /** Most likely alternatives at this position, best first (includes the chosen token when the API does). */
  readonly top: readonly TopLogprob[];
}

export interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Input tokens served from the provider's prompt cache (read from it). */
  readonly cachedTokens: number;
  /**
   * Input tokens written to the provider's prompt cache (Anthropic bills them above the input
   * price; OpenAI writes for free and does not report them). Included in `inputTokens`.
   */
  readonly cacheWriteTokens?: number;
  /** Of `cacheWriteTokens`, those written with the 1-hour lifetime (billed higher still). */
  readonly cacheWriteLongTokens?: number;
}

export interface ChatResponse {
  readonly text: string;
  readonly logprobs?: readonly TokenLogprob[];
  readonly usage: Usage;
  /** The model id the server says it served. */
  readonly model: string;
  readonly finishReason?: string;
  /** The reply was cut by the token limit (`finishReason` "length" or "max_tokens"). */
  readonly truncated?: boolean;
  /** True when this came from Charter's response cache (no call was made). */
  readonly cached: boolean;
  readonly latencyMs: number;
  /** Retries spent on this request. */
  readonly retries: number;
  /** The base URL of the replica that answered, when the model has several (never in the cache). */
  readonly replica?: string;
}

export interface ModelCapabilities {
  /** Can return token log-probabilities. */
  readonly logprobs: boolean;
  /** Largest `topLogprobs` accepted (0 when none). */
  readonly maxTopLogprobs: number;
  /** Accepts a trailing assistant message to continue from (prefill). */
  readonly assistantPrefill: boolean;
  /** The token budget of a request without `maxTokens`, when the API sets one (Anthropic: 1024). */
  readonly defaultMaxTokens?: number;
}

/**
 * A chat model. The phases know only this.
 *
 * @example
 * const model = createModel("offline:rehearsal");
 * const reply = await model.complete({ messages: [{ role: "user", content: "Hi" }] });
 */
export interface ChatModel {
  /** `provider:model`, as the user named it. */
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  /**
   * False when calls go to a server other than the provider's own API (a local `gpt-4o-mini`):
   * the built-in list prices then do not apply. Absent means the official API (or no server).
   */
  readonly officialEndpoint?: boolean;
  /** Where its calls go, for messages: the server's base URL (no credentials), when it has one. */
  readonly url?: string;
  /** How its calls are sent and billed; absent means `standard`. Prices follow it (priceFor). */
  readonly tier?: ServiceTier;
  /** Resolves with the reply, or rejects with a ProviderError after retries are spent. */
  complete(request: ChatRequest): Promise<ChatResponse>;
}
