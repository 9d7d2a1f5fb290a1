// The one place a model call is recorded: its counters (calls, failures, cache hits, retries,
// tokens, cost), its trace event, the seed of a sampled call and what a reply cut by the token
// limit means. Both phases make every call through a CallLedger, so their stats and traces agree.

import { CharterError } from "../errors.js";
import { traceEventsFor, type TraceDictionary, type TraceMode } from "../io/index.js";
import { ProviderError, TruncatedReplyError } from "./errors.js";
import { costOf, priceFor, promptCacheSaving, type PriceTable } from "./prices.js";
import type {
  CallSettings,
  ChatMessage,
  ChatModel,
  ChatRequest,
  ChatResponse,
  GenerationParams,
} from "./types.js";

/**
 * Counter names a call adds to. The run engine's progress display reads `calls`, the token
 * counts, `cost` and `retries` under these same names (runtime COUNTER_NAMES).
 */
export const CALL_COUNTERS = {
  /** Requests sent, whether they succeeded or failed for good (cache hits excluded). */
  calls: "calls",
  /** Of those, requests that failed for good (after their retries). */
  failed: "calls-failed",
  /** Replies cut by the token limit (each such call, retried or not). */
  truncated: "calls-truncated",
  /** Replies served from Charter's response cache: no call, no cost. */
  cacheHits: "cache-hits",
  retries: "retries",
  inputTokens: "inputTokens",
  outputTokens: "outputTokens",
  /** Input tokens read from the provider's prompt cache (part of inputTokens). */
  cachedTokens: "cachedTokens",
  /** Input tokens written to the provider's prompt cache (part of inputTokens; Anthropic bills them higher). */
  cacheWriteTokens: "cacheWriteTokens",
  /** Estimated USD of the priced calls. */
  cost: "cost",
  /** USD the provider's prompt cache saved on the priced calls (prompts.ts: stable part first). */
  promptCacheSaving: "prompt-cache-saving",
  /** Calls of models without a price: their cost is not in `cost`. */
  unpriced: "calls-unpriced",
} as const;

/** Counter prefix of each model id the server said it served (`served-model:gpt-4o-2024-08-06`). */
export const SERVED_MODEL_COUNTER = "served-model:";

/** Counter prefix of the calls of one purpose (`calls:critique`). */
export const PURPOSE_COUNTER = "calls:";

/**
 * What happens to a reply cut by the token limit: asked again once with `factor` times the
 * budget, or with `maxTokens`, then the call fails with code `truncated`; `off` fails at once.
 */
export type TruncationRetry =
  | { readonly kind: "factor"; readonly factor: number }
  | { readonly kind: "max-tokens"; readonly maxTokens: number }
  | { readonly kind: "off" };

/** Four times the budget: cheap insurance, since a larger limit costs nothing unless used. */
export const DEFAULT_TRUNCATION_RETRY: TruncationRetry = { kind: "factor", factor: 4 };

/** `4x` (a factor), `8192` (a budget) or `off`; undefined when the text is none of these. */
export function parseTruncationRetry(text: string): TruncationRetry | undefined {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === "off") return { kind: "off" };
  const factor = /^(\d+(?:\.\d+)?)x$/.exec(trimmed);
  if (factor !== null) {
    const value = Number(factor[1]);
    return value > 1 ? { kind: "factor", factor: value } : undefined;
  }
  if (/^\d+$/.test(trimmed) && Number(trimmed) > 0)
    return { kind: "max-tokens", maxTokens: Number(trimmed) };
  return undefined;
}

/** The finish reasons that mean "cut by the token limit": OpenAI-compatible, then Anthropic. */
const TRUNCATION_REASONS: ReadonlySet<string> = new Set(["length", "max_tokens"]);

/** Whether a reply was cut by its token limit rather than finished. */
export function isTruncated(response: Pick<ChatResponse, "finishReason" | "truncated">): boolean {
  return (
    response.truncated === true ||
    (response.finishReason !== undefined && TRUNCATION_REASONS.has(response.finishReason))
  );
}

/** Where a call belongs (round, principle, pair, judge, order...): copied into its trace event. */
export type CallPlace = Readonly<Record<string, string | number>>;

export interface CallLedgerOptions {
  /** Price overrides, merged over the built-in table (yours win). */
  readonly prices?: PriceTable;
  /** Default: four times the budget (DEFAULT_TRUNCATION_RETRY). */
  readonly truncationRetry?: TruncationRetry;
  /**
   * The seed of a sampled call (temperature above 0) from its place, purpose and sample index:
   * sent as `seed` and part of the cache key, so another run seed gives other samples. Phases
   * derive it from the item's seeded generator. Absent: no seed is sent.
   */
  readonly seedFor?: (key: string) => number;
  /**
   * What `trace()` hands over (io trace-format.ts): `full` every event as recorded (the default
   * here), `compact` them packed into one event, `off` without the call events. The run commands
   * default to `compact`.
   */
  readonly trace?: TraceMode;
  /** The run's dictionary for `compact` (io traceDictionaryFrom), kept in its manifest. */
  readonly traceDictionary?: TraceDictionary;
}

export interface LedgerCall {
  readonly request: ChatRequest;
  /** Extra place fields for this call's event (besides the ledger's own). */
  readonly place?: CallPlace;
  /**
   * Only the reply's first tokens are read (a judge's answer letter), so a reply cut by the
   * limit is complete for its purpose: it is recorded as cut but not asked again or failed.
   */
  readonly readsPrefix?: boolean;
}

interface Shared {
  readonly prices: PriceTable;
  readonly truncationRetry: TruncationRetry;
  readonly seedFor: ((key: string) => number) | undefined;
  readonly traceMode: TraceMode;
  readonly traceDictionary: TraceDictionary | undefined;
}

/**
 * The calls, trace events and counters of one item (or of one branch of it). Calls on one ledger
 * run one at a time; concurrent branches (a pair's questions, a vote's samples) each `fork()` a
 * ledger, in a fixed order, so the trace and the summed counters never depend on timing.
 *
 * @example
 * const ledger = new CallLedger({ prices, seedFor: (key) => random.fork(key).int(2 ** 31) });
 * const reply = await ledger.complete(model, { request: { messages, purpose: "reply" } });
 * return { trace: ledger.trace(), counters: ledger.counters() };
 */
export class CallLedger {
  #shared: Shared;
  #place: CallPlace = {};
  readonly #entries: (Record<string, unknown> | CallLedger)[] = [];
  readonly #counters: Record<string, number> = {};
  #busy = false;

  constructor(options: CallLedgerOptions = {}) {
    this.#shared = {
      prices: options.prices ?? {},
      truncationRetry: options.truncationRetry ?? DEFAULT_TRUNCATION_RETRY,
      seedFor: options.seedFor,
      traceMode: options.trace ?? "full",
      traceDictionary: options.traceDictionary,
    };
  }

  /**
   * A ledger for a concurrent branch, placed here in this ledger's trace and counters; `place`
   * fields go into each of its calls' events (and seeds).
   */
  fork(place: CallPlace = {}): CallLedger {
    const child = new CallLedger();
    child.#shared = this.#shared;
    child.#place = { ...this.#place, ...place };
    this.#entries.push(child);
    return child;
  }

  /** Adds a non-call event to the trace (a rule decision, a skipped round...). */
  event(event: Record<string, unknown>): void {
    this.#entries.push(event);
  }

  count(name: string, amount = 1): void {
    this.#counters[name] = (this.#counters[name] ?? 0) + amount;
  }

  /**
   * Every event of this ledger and its forks, in order, in the ledger's trace mode: what the run
   * writes to trace.jsonl for the item. The one writer of trace events.
   */
  trace(): Record<string, unknown>[] {
    return traceEventsFor(this.#shared.traceMode, this.#events(), this.#shared.traceDictionary);
  }

  #events(): Record<string, unknown>[] {
    const events: Record<string, unknown>[] = [];
    for (const entry of this.#entries)
      if (entry instanceof CallLedger) events.push(...entry.#events());
      else events.push(entry);
    return events;
  }

  /** This ledger's counters plus its forks', summed in a fixed order. */
  counters(): Record<string, number> {
    const sum: Record<string, number> = { ...this.#counters };
    for (const entry of this.#entries)
      if (entry instanceof CallLedger)
        for (const [name, value] of Object.entries(entry.counters()))
          sum[name] = (sum[name] ?? 0) + value;
    return sum;
  }

  /**
   * Sends one request through `model` and records it. A reply cut by the token limit is asked
   * again once with a larger budget, then fails with a TruncatedReplyError (unless `readsPrefix`).
   * A failure is recorded (event `call-failed`, counted as sent and failed) and thrown on.
   */
  async complete(model: ChatModel, call: LedgerCall): Promise<ChatResponse> {
    if (this.#busy)
      throw new Error("CallLedger: concurrent calls on one ledger; fork() one per branch");
    this.#busy = true;
    try {
      const request = this.#seeded(call);
      const first = await this.#send(model, request, call.place);
      if (call.readsPrefix === true || !isTruncated(first)) return first;
      const limit = request.params?.maxTokens ?? model.capabilities.defaultMaxTokens;
      const budget = largerBudget(limit, this.#shared.truncationRetry);
      if (budget === undefined) throw truncated(model, limit, undefined);
      const retry = { ...request, params: { ...request.params, maxTokens: budget } };
      const second = await this.#send(model, retry, { ...call.place, truncationRetry: 1 });
      if (isTruncated(second)) throw truncated(model, limit, budget);
      return second;
    } finally {
      this.#busy = false;
    }
  }

  /** The request with its seed, when it samples (temperature above 0, or the APIs' default 1). */
  #seeded(call: LedgerCall): ChatRequest {
    const { request } = call;
    const seedFor = this.#shared.seedFor;
    const params: GenerationParams = request.params ?? {};
    if (seedFor === undefined || params.seed !== undefined || (params.temperature ?? 1) <= 0)
      return request;
    const place = { ...this.#place, ...call.place };
    const key = [
      request.purpose ?? "call",
      ...Object.keys(place)
        .sort()
        .map((name) => `${name}=${place[name]}`),
      `sample=${request.sampleIndex ?? 0}`,
    ].join("|");
    return { ...request, params: { ...params, seed: seedFor(key) } };
  }

  async #send(
    model: ChatModel,
    request: ChatRequest,
    extraPlace: CallPlace | undefined,
  ): Promise<ChatResponse> {
    const where = {
      ...this.#place,
      ...extraPlace,
      ...(request.purpose === undefined ? {} : { purpose: request.purpose }),
      ...(request.sampleIndex === undefined || request.sampleIndex === 0
        ? {}
        : { sampleIndex: request.sampleIndex }),
    };
    const sent = { messages: request.messages, params: request.params ?? {} };
    let response: ChatResponse;
    try {
      response = await model.complete(request);
    } catch (error) {
      // Ctrl-C is the run's choice, not a failed call: nothing to record.
      if (error instanceof ProviderError && error.code === "request-aborted") throw error;
      this.#entries.push({ event: "call-failed", ...where, request: sent, error: describe(error) });
      if (error instanceof ProviderError && error.attempts > 0) {
        this.count(CALL_COUNTERS.calls);
        this.count(CALL_COUNTERS.failed);
        this.count(CALL_COUNTERS.retries, error.attempts - 1);
      }
      throw error;
    }
    const cut = isTruncated(response);
    this.#entries.push({
      event: "call",
      ...where,
      request: sent,
      reply: response.text,
      model: response.model,
      ...(response.finishReason === undefined ? {} : { finishReason: response.finishReason }),
      ...(cut ? { truncated: true } : {}),
      usage: response.usage,
      latencyMs: response.latencyMs,
      retries: response.retries,
      cached: response.cached,
      ...(response.replica === undefined ? {} : { replica: response.replica }),
    });
    tallyCall(this.#counters, response, this.#shared.prices, model);
    if (request.purpose !== undefined) this.count(`${PURPOSE_COUNTER}${request.purpose}`);
    this.count(`${SERVED_MODEL_COUNTER}${response.model}`);
    return response;
  }
}

/**
 * Adds one answered call to `counters` under CALL_COUNTERS: the one definition of what a call
 * counts, used by the per-item CallLedger and the per-model UsageMeter alike. A response-cache hit
 * made no call and cost nothing, so it is counted apart, not as a call or tokens.
 */
export function tallyCall(
  counters: Record<string, number>,
  response: Pick<ChatResponse, "cached" | "retries" | "usage" | "finishReason" | "truncated">,
  prices: PriceTable,
  model: Pick<ChatModel, "id" | "officialEndpoint" | "tier">,
): void {
  const add = (name: string, amount: number): void => {
    counters[name] = (counters[name] ?? 0) + amount;
  };
  add(CALL_COUNTERS.retries, response.retries);
  if (isTruncated(response)) add(CALL_COUNTERS.truncated, 1);
  if (response.cached) {
    add(CALL_COUNTERS.cacheHits, 1);
    return;
  }
  add(CALL_COUNTERS.calls, 1);
  add(CALL_COUNTERS.inputTokens, response.usage.inputTokens);
  add(CALL_COUNTERS.outputTokens, response.usage.outputTokens);
  add(CALL_COUNTERS.cachedTokens, response.usage.cachedTokens);
  const writes = response.usage.cacheWriteTokens ?? 0;
  if (writes > 0) add(CALL_COUNTERS.cacheWriteTokens, writes);
  const price = priceFor(model, prices);
  const cost = costOf(response.usage, price);
  if (cost === null) {
    add(CALL_COUNTERS.unpriced, 1);
    return;
  }
  add(CALL_COUNTERS.cost, cost);
  if (response.usage.cachedTokens > 0 || writes > 0)
    add(CALL_COUNTERS.promptCacheSaving, promptCacheSaving(response.usage, price) ?? 0);
}

/** The budget of the retry after a cut reply, or undefined when there is none larger. */
function largerBudget(limit: number | undefined, retry: TruncationRetry): number | undefined {
  switch (retry.kind) {
    case "off":
      return undefined;
    case "factor":
      return limit === undefined ? undefined : Math.ceil(limit * retry.factor);
    case "max-tokens":
      return limit === undefined || retry.maxTokens > limit ? retry.maxTokens : undefined;
  }
}

function truncated(
  model: ChatModel,
  limit: number | undefined,
  retried: number | undefined,
): TruncatedReplyError {
  const at = limit === undefined ? "the model's limit" : `${limit} tokens`;
  const why =
    retried === undefined
      ? `the reply was cut at ${at} and no larger budget was allowed (see --truncation-retry)`
      : `the reply was cut at ${at}, and again at ${retried} tokens when asked once more`;
  return new TruncatedReplyError(`${model.id}: ${why}`);
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof CharterError) return { code: error.code, message: error.message };
  return { code: "error", message: error instanceof Error ? error.message : String(error) };
}

/**
 * Splits summed counters into the rest and the list of served model ids (the ledger counts them
 * as `served-model:<id>` so items resumed from a journal count too): stats.json lists them apart.
 */
export function splitServedModels(counters: Readonly<Record<string, number>>): {
  counters: Record<string, number>;
  servedModels: string[];
} {
  const rest: Record<string, number> = {};
  const servedModels: string[] = [];
  for (const [name, value] of Object.entries(counters)) {
    if (name.startsWith(SERVED_MODEL_COUNTER))
      servedModels.push(name.slice(SERVED_MODEL_COUNTER.length));
    else rest[name] = value;
  }
  return { counters: rest, servedModels: servedModels.sort() };
}

/** `messages` with the purpose's system message (if any) put first, as the call sends them. */
export function withSystem(
  settings: Pick<CallSettings, "system">,
  messages: readonly ChatMessage[],
): readonly ChatMessage[] {
  return settings.system === undefined
    ? messages
    : [{ role: "system", content: settings.system }, ...messages];
}
