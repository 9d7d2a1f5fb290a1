// The ChatModel the phases get: one provider's transport (or several replicas of one model)
// behind the shared machinery, in this order: check capabilities → response cache (and
// single-flight) → pool slot and minute budgets → the least-loaded replica → one attempt with a
// timeout → another replica, or retry, or fail with a ProviderError → usage meter → cache write.

import type { CallActivity } from "./batch-activity.js";
import { isTruncated } from "./call-ledger.js";
import { estimateTokens } from "./estimate-tokens.js";
import type { Clock } from "./clock.js";
import { EndpointUnreachableError, ProviderError, UnsupportedCapabilityError } from "./errors.js";
import { redact } from "./keys.js";
import type { RequestPool } from "./request-pool.js";
import { cacheKey, type ResponseCache } from "./response-cache.js";
import { isRetryable, retryDelay, type RetryPolicy } from "./retry-policy.js";
import { isReplicaFailure, ReplicaSet, type Replica } from "./replica-set.js";
import { TransportFailure, type Transport, type TransportReply } from "./transport.js";
import type {
  ChatModel,
  ChatRequest,
  ChatResponse,
  ModelCapabilities,
  ServiceTier,
} from "./types.js";
import type { UsageMeter } from "./usage-meter.js";

export interface ManagedModelParts {
  readonly id: string;
  /** The model's transport (with replicas: the first, whose provider, model and defaults all share). */
  readonly transport: Transport;
  /**
   * Several servers of one model, `transport` first: each attempt goes to the least-loaded one
   * that is up, and a failing one is taken out with backoff (replica-set.ts).
   */
  readonly replicas?: readonly Transport[];
  readonly pool: RequestPool;
  readonly retry: RetryPolicy;
  readonly clock: Clock;
  readonly timeoutMs: number;
  /** Absent when caching is off. */
  readonly cache: ResponseCache | undefined;
  /**
   * Calls in a row that may fail to connect (each after its retries) before the endpoint counts as
   * down and every call fails at once with an EndpointUnreachableError. 0: never.
   */
  readonly maxConnectionFailures: number;
  readonly usage: UsageMeter;
  /** How calls are sent and billed. Default `standard`. */
  readonly tier?: ServiceTier;
  /** The run's count of calls in progress and waiting on batches (batch-activity.ts). */
  readonly activity?: CallActivity;
}

/** Requests being sent right now, by cache folder and key, so identical ones share one call. */
const inFlight = new Map<string, Promise<TransportReply>>();

/** A model with retries, limits, a response cache and usage counting. Made by `createModel`. */
export class ManagedChatModel implements ChatModel {
  readonly id: string;
  readonly capabilities: ModelCapabilities;
  readonly officialEndpoint: boolean;
  /** The meter this model records into (shared when passed in the options). */
  readonly usage: UsageMeter;
  /** The response cache folder, or undefined when caching is off. */
  readonly cacheDir: string | undefined;
  readonly url?: string;
  readonly tier: ServiceTier;
  /** Per attempt (a flex model's default is 15 minutes: FLEX_TIMEOUT_MS). */
  readonly timeoutMs: number;
  readonly #parts: ManagedModelParts;
  readonly #replicas: ReplicaSet;
  /** The cache key's endpoint: the same whichever replica answers. */
  readonly #endpoint: string;
  /** Calls in a row that ended failing to connect; any answer from the server resets it. */
  #connectionFailures = 0;
  #unreachable: EndpointUnreachableError | undefined;

  constructor(parts: ManagedModelParts) {
    this.id = parts.id;
    this.capabilities = parts.transport.capabilities;
    this.officialEndpoint =
      !parts.transport.remote || parts.transport.endpoint.endsWith("-official");
    this.usage = parts.usage;
    this.cacheDir = parts.cache?.dir;
    const transports = parts.replicas ?? [parts.transport];
    this.#replicas = new ReplicaSet(transports, parts.clock);
    const urls = transports.flatMap((transport) => transport.url ?? []);
    if (urls.length > 0) this.url = urls.join(", ");
    // A set of replicas is one endpoint to the cache: sorted, so their order does not matter either.
    this.#endpoint = [...new Set(transports.map((transport) => transport.endpoint))]
      .sort()
      .join(" | ");
    this.tier = parts.tier ?? "standard";
    this.timeoutMs = parts.timeoutMs;
    this.#parts = parts;
  }

  async complete(request: ChatRequest): Promise<ChatResponse> {
    const activity = this.#parts.activity;
    if (activity === undefined) return this.#complete(request);
    activity.callStarted();
    try {
      return await this.#complete(request);
    } finally {
      activity.callEnded();
    }
  }

  async #complete(request: ChatRequest): Promise<ChatResponse> {
    this.#checkCapabilities(request);
    if (this.#unreachable !== undefined) throw this.#unreachable;
    const { cache, usage } = this.#parts;
    const signal = request.signal;
    if (signal?.aborted === true) throw this.#aborted(0);
    if (cache === undefined) {
      const response = await this.#send(request);
      usage.recordResponse(this, response);
      return response;
    }
    const normalized = this.#normalize(request);
    const key = cacheKey(normalized);
    const hit = await cache.get(key);
    if (hit !== undefined) return this.#fromCache(hit);
    const flightKey = `${cache.dir}\u0000${key}`;
    const shared = inFlight.get(flightKey);
    if (shared !== undefined) {
      // Waits as long as the identical call does: on a batch, if that one is.
      this.#parts.activity?.waitStarted();
      try {
        return this.#fromCache(await shared);
      } catch (error) {
        // The same request failed for good: sending it again would only repeat the retries.
        // But the first caller's Ctrl-C is its own, so then we try for ourselves.
        if (!(error instanceof ProviderError && error.code === "request-aborted")) throw error;
        if (isAborted(signal)) throw this.#aborted(0);
      } finally {
        this.#parts.activity?.waitEnded();
      }
    }
    let respond!: (reply: TransportReply) => void;
    let fail!: (error: unknown) => void;
    const flight = new Promise<TransportReply>((resolve, reject) => {
      respond = resolve;
      fail = reject;
    });
    flight.catch(() => undefined);
    inFlight.set(flightKey, flight);
    try {
      const response = await this.#send(request);
      if (response.text !== "")
        await cache.put(key, normalized, replyOf(response)).catch(() => undefined);
      respond(replyOf(response));
      usage.recordResponse(this, response);
      return response;
    } catch (error) {
      fail(error);
      throw error;
    } finally {
      inFlight.delete(flightKey);
    }
  }

  #fromCache(reply: TransportReply): ChatResponse {
    const response: ChatResponse = {
      ...reply,
      ...(isTruncated(reply) ? { truncated: true } : {}),
      cached: true,
      latencyMs: 0,
      retries: 0,
    };
    this.#parts.usage.recordResponse(this, response);
    return response;
  }

  /**
   * Attempts until success, a failure not worth retrying, or retries spent. A replica failing as a
   * server sends the attempt at once to another that is up and untried in this round, without
   * spending a retry; once every replica has failed, the retry policy waits as for one server.
   */
  async #send(request: ChatRequest): Promise<ChatResponse> {
    const { pool, retry, clock } = this.#parts;
    const signal = request.signal;
    const estimate =
      estimateTokens(request.messages.map((message) => message.content).join("\n")) +
      (request.params?.maxTokens ?? 256);
    const tried = new Set<number>();
    for (let attempt = 1; ; attempt++) {
      let release: () => void;
      try {
        release = await pool.acquire(estimate, signal);
      } catch {
        throw this.#aborted(attempt - 1);
      }
      const replica = this.#replicas.pick(tried);
      replica.inFlight++;
      const started = clock.now();
      let failure: TransportFailure;
      try {
        const reply = await this.#attempt(request, replica.transport);
        this.#connectionFailures = 0;
        this.#replicas.answered(replica);
        pool.recordSuccess(reply.usage.inputTokens + reply.usage.outputTokens, estimate);
        return {
          ...reply,
          ...(isTruncated(reply) ? { truncated: true } : {}),
          cached: false,
          latencyMs: clock.now() - started,
          retries: attempt - 1,
          ...this.#answeredBy(replica),
        };
      } catch (error) {
        failure = error instanceof TransportFailure ? error : unexpected(error);
      } finally {
        replica.inFlight--;
        release();
      }
      if (failure.kind === "request-aborted" || signal?.aborted === true)
        throw this.#aborted(attempt);
      if (isReplicaFailure(failure.kind)) {
        this.#replicas.failed(replica);
        tried.add(replica.index);
        if (this.#replicas.hasUntried(tried)) {
          attempt--;
          continue;
        }
        tried.clear();
      } else if (failure.status !== undefined) this.#replicas.answered(replica);
      if (failure.kind === "rate-limited") {
        pool.slowDown(failure.retryAfterMs);
        // Counted when it comes, not when the call ends, so the progress line shows it at once.
        this.#parts.usage.recordRateLimited(this.id);
      }
      if (!isRetryable(failure.kind) || attempt > retry.maxRetries)
        throw this.#finalFailure(failure, attempt);
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > retry.maxRetryAfterMs) {
        const wait = `the server asked to wait ${Math.ceil(failure.retryAfterMs / 1000)} s, more than the ${Math.ceil(retry.maxRetryAfterMs / 1000)} s allowed`;
        throw this.#failed(
          new TransportFailure(failure.kind, `${failure.message} (${wait})`, failure.status),
          attempt,
        );
      }
      try {
        await clock.sleep(retryDelay(attempt - 1, failure, retry), signal);
      } catch {
        throw this.#aborted(attempt);
      }
      this.#parts.usage.recordRetry(this.id);
    }
  }

  /** Which server answered, for the trace: only when there are several to tell apart. */
  #answeredBy(replica: Replica): { replica?: string } {
    if (this.#replicas.size < 2) return {};
    return { replica: replica.transport.url ?? replica.transport.endpoint };
  }

  /** One attempt, abandoned on timeout or Ctrl-C even if the SDK does not notice the signal. */
  #attempt(request: ChatRequest, transport: Transport): Promise<TransportReply> {
    const { timeoutMs } = this.#parts;
    const controller = new AbortController();
    const outer = request.signal;
    return new Promise<TransportReply>((resolve, reject) => {
      const onAbort = (): void => {
        controller.abort();
        reject(new TransportFailure("request-aborted", "the request was aborted"));
      };
      const timer = setTimeout(() => {
        controller.abort();
        reject(new TransportFailure("timeout", `no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      outer?.addEventListener("abort", onAbort, { once: true });
      const settle = (): void => {
        clearTimeout(timer);
        outer?.removeEventListener("abort", onAbort);
      };
      transport.send(request, controller.signal).then(
        (reply) => {
          settle();
          resolve(reply);
        },
        (error: unknown) => {
          settle();
          reject(error);
        },
      );
    });
  }

  #checkCapabilities(request: ChatRequest): void {
    const params = request.params;
    const { logprobs, maxTopLogprobs } = this.capabilities;
    if (params?.logprobs === true && !logprobs)
      throw new UnsupportedCapabilityError(
        `${this.id} cannot return log-probabilities; use a judging method that reads the answer text, or an OpenAI-compatible model`,
      );
    if (params?.topLogprobs !== undefined && params.topLogprobs > maxTopLogprobs)
      throw new UnsupportedCapabilityError(
        `${this.id} returns at most ${maxTopLogprobs} top log-probabilities, ${params.topLogprobs} were asked for`,
      );
  }

  /** Everything that decides the reply, with the provider's defaults filled in. Never a key. */
  #normalize(request: ChatRequest): unknown {
    const { transport } = this.#parts;
    const params: Record<string, unknown> = { ...transport.defaults };
    for (const [name, value] of Object.entries(request.params ?? {}))
      if (value !== undefined) params[name] = value;
    return {
      v: 1,
      provider: transport.provider,
      endpoint: this.#endpoint,
      model: transport.model,
      messages: request.messages.map(({ role, content }) => ({ role, content })),
      params,
      sampleIndex: request.sampleIndex ?? 0,
      // Only the offline model reads the purpose; hosted APIs never see it.
      ...(transport.provider === "offline" ? { purpose: request.purpose ?? null } : {}),
    };
  }

  /** Not recorded as a failure: the run chose to stop, the provider did nothing wrong. */
  #aborted(attempts: number): ProviderError {
    const { transport } = this.#parts;
    return new ProviderError({
      code: "request-aborted",
      message: `${this.id}: the request was aborted (Ctrl-C or a cancelled run)`,
      attempts,
      retryable: false,
      provider: transport.provider,
      model: transport.model,
    });
  }

  /**
   * The error a call ends with. Counts connection failures across calls: past the limit the
   * endpoint is down, and this call and every later one fail with the same EndpointUnreachableError.
   */
  #finalFailure(
    failure: TransportFailure,
    attempts: number,
  ): ProviderError | EndpointUnreachableError {
    const error = this.#failed(failure, attempts);
    if (failure.kind !== "connection-error") {
      // The server answered (if only with an error): it is up.
      if (failure.status !== undefined) this.#connectionFailures = 0;
      return error;
    }
    // With replicas, the endpoint is down only when all of them are.
    if (!this.#replicas.allDown()) return error;
    this.#connectionFailures += 1;
    const limit = this.#parts.maxConnectionFailures;
    if (limit === 0 || this.#connectionFailures < limit) return error;
    const { transport } = this.#parts;
    this.#unreachable ??= new EndpointUnreachableError({
      modelId: this.id,
      url: this.url ?? transport.endpoint,
      failures: this.#connectionFailures,
      cause: redact(failure.message, transport.secrets),
    });
    return this.#unreachable;
  }

  #failed(failure: TransportFailure, attempts: number): ProviderError {
    const retryable = isRetryable(failure.kind);
    const why = retryable && attempts > 1 ? ` (gave up after ${attempts} attempts)` : "";
    return this.#error(failure.kind, `${failure.message}${why}`, {
      attempts,
      retryable,
      status: failure.status,
    });
  }

  #error(
    code: TransportFailure["kind"],
    message: string,
    fields: { attempts: number; retryable: boolean; status?: number | undefined },
  ): ProviderError {
    const { transport } = this.#parts;
    this.#parts.usage.recordFailure(this.id);
    return new ProviderError({
      code,
      message: `${this.id}: ${redact(message, transport.secrets)}`,
      ...fields,
      provider: transport.provider,
      model: transport.model,
    });
  }
}

/** Read through a function so TypeScript does not keep a narrowing the signal may outgrow. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

function replyOf(response: ChatResponse): TransportReply {
  return {
    text: response.text,
    ...(response.logprobs !== undefined ? { logprobs: response.logprobs } : {}),
    usage: response.usage,
    model: response.model,
    ...(response.finishReason !== undefined ? { finishReason: response.finishReason } : {}),
  };
}

/**
 * Something other than a classified failure escaped a transport: a bug, not the network (the SDKs
 * wrap network trouble as connection errors). Retrying would only repeat it.
 */
function unexpected(error: unknown): TransportFailure {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new TransportFailure("provider-error", `unexpected error: ${message}`);
}
