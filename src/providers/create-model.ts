// `createModel("provider:model", options)`: the one way the phases and the CLI get a ChatModel.

import { ANTHROPIC_HOST, createAnthropicTransport } from "./anthropic-model.js";
import type { BatchLog, BatchLogRecord } from "./batch-api.js";
import { CallActivity } from "./batch-activity.js";
import { anthropicBatchApi } from "./batch-anthropic.js";
import { BatchCollector, batchTransport } from "./batch-collector.js";
import { openAIBatchApi } from "./batch-openai.js";
import { jitterRandom, systemClock, type Clock } from "./clock.js";
import { MissingApiKeyError, UnknownModelError } from "./errors.js";
import { unknownProviderHint } from "./endpoint-hints.js";
import { lookupSetting, readDotEnv } from "./keys.js";
import { ManagedChatModel } from "./managed-model.js";
import { createOfflineTransport } from "./offline-model.js";
import { createOpenAICompletionsTransport } from "./openai-completions-model.js";
import { createOpenAITransport, OFFICIAL_HOST } from "./openai-model.js";
import type { PriceTable } from "./prices.js";
import { RequestPool } from "./request-pool.js";
import { ResponseCache, resolveCacheDir } from "./response-cache.js";
import { checkTier, FLEX_TIMEOUT_MS, UnsupportedTierError } from "./tiers.js";
import { endpointOf, type Transport } from "./transport.js";
import type { ServiceTier } from "./types.js";
import { UsageMeter } from "./usage-meter.js";

export interface CreateModelOptions {
  /**
   * OpenAI-compatible or Anthropic endpoint; else OPENAI_BASE_URL / ANTHROPIC_BASE_URL; else the
   * official API. Several: replicas of one model, each request to the least-loaded one that is up.
   */
  readonly baseUrl?: string | readonly string[];
  /** The key itself; else OPENAI_API_KEY / ANTHROPIC_API_KEY from `env`, then `.env` in `cwd`. */
  readonly apiKey?: string;
  /** Environment to read settings from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where `.env` and the default cache folder are. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Most requests in flight at once for this model. Default 8. */
  readonly concurrency?: number;
  readonly requestsPerMinute?: number;
  readonly tokensPerMinute?: number;
  /** Per attempt. Default 120 000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt. Default 5. */
  readonly maxRetries?: number;
  /** Backoff: the first retry waits up to this (full jitter), doubling per retry. Default 1000 ms. */
  readonly retryBaseDelayMs?: number;
  /** Backoff ceiling. Default 60 000 ms. */
  readonly retryMaxDelayMs?: number;
  /** The longest Retry-After honoured; a server asking for more fails the request. Default 300 000 ms. */
  readonly maxRetryAfterMs?: number;
  /**
   * Calls in a row that may fail to connect, each after its retries, before the endpoint counts as
   * down: that call and every later one throw EndpointUnreachableError, which stops a run. 0 never
   * gives up. Default 5.
   */
  readonly maxConnectionFailures?: number;
  /** Turn the response cache off. */
  readonly noCache?: boolean;
  /** Cache folder; else CHARTER_CACHE_DIR; else `.charter/cache` under `cwd`. */
  readonly cacheDir?: string;
  /** A meter shared by the run's models; a new one when absent (read it from `model.usage`). */
  readonly usage?: UsageMeter;
  /** Price overrides for a new meter (ignored when `usage` is given: set them on that meter). */
  readonly prices?: PriceTable;
  /** Jitter source, uniform in [0, 1). Default: a small PRNG seeded from the time. */
  readonly random?: () => number;
  /** Time and sleeping, for tests. */
  readonly clock?: Clock;
  /** offline:rehearsal only: what its critiques say when nothing needs changing. Default `NO_CHANGES`. */
  readonly noChangeMarker?: string;
  /**
   * How calls are sent and billed (see tiers.ts). Default `standard`. A tier the provider or
   * endpoint does not offer throws UnsupportedTierError here, before any call. `flex` makes the
   * default per-attempt timeout 15 minutes.
   */
  readonly tier?: ServiceTier;
  /** Send a non-standard tier to a custom base URL too (a proxy that forwards it to OpenAI). */
  readonly tierAnyEndpoint?: boolean;
  /**
   * Batch tier: where batch ids are journaled before they are polled (the run folder's, from
   * runtime's `openBatchLog`), so a killed run polls them again instead of paying twice. Without
   * one the journal lives in memory and a killed process forgets its batches.
   */
  readonly batchLog?: BatchLog;
  /** Batch tier: between two status checks of a batch. Default 30 000 ms. */
  readonly batchPollMs?: number;
  /**
   * Batch tier, without a run engine reporting to `activity`: no new request for this long and the
   * collected ones go out. Default 200 ms.
   */
  readonly batchQuietMs?: number;
  /**
   * The run's count of model calls in progress and waiting on batches, shared by all its models and
   * given to its engine (runItems' `activity`): the batch tier sends a step once every item in
   * flight waits on a batch. Default: one per model, with no engine (the quiet timer decides).
   */
  readonly activity?: CallActivity;
}

/** Provider names `createModel` knows, and the environment variables each reads. */
export const PROVIDERS = {
  openai: { keyVariable: "OPENAI_API_KEY", baseUrlVariable: "OPENAI_BASE_URL" },
  /** A base model's `/v1/completions` (vLLM, llama.cpp, TGI, OpenAI), prompted with a transcript. */
  "openai-completions": { keyVariable: "OPENAI_API_KEY", baseUrlVariable: "OPENAI_BASE_URL" },
  anthropic: { keyVariable: "ANTHROPIC_API_KEY", baseUrlVariable: "ANTHROPIC_BASE_URL" },
  offline: { keyVariable: undefined, baseUrlVariable: undefined },
} as const;

/** Calls in a row failing to connect before an endpoint counts as down (CreateModelOptions). */
export const DEFAULT_MAX_CONNECTION_FAILURES = 5;

/** A model name taken apart: `provider:model`, and the endpoint after `@` when it names one. */
export interface ModelName {
  readonly provider: keyof typeof PROVIDERS;
  readonly model: string;
  /** From `provider:model@http(s)://...`: this model's base URL, over `baseUrl` and the environment. */
  readonly baseUrl?: string;
  /** From `provider:model@URL1,URL2`: every base URL, the model's replicas (`baseUrl` is the first). */
  readonly baseUrls?: readonly string[];
  /** The name as given, without any user:password in its URL (the model's id in outputs). */
  readonly id: string;
}

// Only a URL after "@" is an endpoint: model names may hold "@" themselves (claude-x@20240620).
const ENDPOINT = /@(https?:\/\/.*)$/i;

/**
 * `openai:llama3.1@http://127.0.0.1:8000/v1` → provider, model and that model's own base URL.
 * Throws UnknownModelError for a name that is not provider:model.
 */
export function parseModelName(name: string): ModelName {
  const endpoint = ENDPOINT.exec(name);
  const bare = endpoint === null ? name : name.slice(0, endpoint.index);
  const colon = bare.indexOf(":");
  const provider = colon > 0 ? bare.slice(0, colon) : "";
  const model = colon > 0 ? bare.slice(colon + 1) : "";
  if (model === "" || !Object.hasOwn(PROVIDERS, provider))
    throw new UnknownModelError(
      `unknown model '${name}': ${unknownProviderHint(provider, colon > 0 ? model : bare)}`,
    );
  const given = endpoint?.[1];
  if (given === undefined) return { provider: provider as ModelName["provider"], model, id: name };
  // Replicas: URLs separated by commas (a comma inside one URL is kept when no scheme follows it).
  const baseUrls = given.split(/,(?=\s*https?:\/\/)/i).map((url) => url.trim());
  for (const baseUrl of baseUrls)
    if (!/^https?:\/\/[^/\s]+/i.test(baseUrl))
      throw new UnknownModelError(
        `the endpoint of '${bare}' must be an http(s) URL (got '${baseUrl}')`,
      );
  // A password in the URL is a secret: it is sent, never shown.
  const shown = baseUrls.map((baseUrl) => baseUrl.replace(/\/\/[^/@]*@/, "//")).join(",");
  return {
    provider: provider as ModelName["provider"],
    model,
    baseUrl: baseUrls[0] as string,
    ...(baseUrls.length > 1 ? { baseUrls } : {}),
    id: `${bare}@${shown}`,
  };
}

/** Sent when a custom base URL needs no key (Ollama, vLLM...); it is not a secret. */
const PLACEHOLDER_KEY = "charter-no-key";

/**
 * A ChatModel for `provider:model` with retries, limits, cache and usage counting.
 * Throws `MissingApiKeyError` (code `missing-api-key`) or `UnknownModelError` at once.
 *
 * @example
 * const model = createModel("openai:gpt-4o-mini", { concurrency: 4 });
 * const reply = await model.complete({ messages: [{ role: "user", content: "Hi" }] });
 * model.usage.snapshot().total.costUsd;
 */
export function createModel(given: string, options: CreateModelOptions = {}): ManagedChatModel {
  const parsed = parseModelName(given);
  const { provider, model, id: name } = parsed;
  const clock = options.clock ?? systemClock;
  const tier = options.tier ?? "standard";
  let hosted: HostedTransports | undefined;
  const transports = ((): readonly Transport[] => {
    switch (provider) {
      case "offline":
        checkTier(tier, { id: name, provider, official: false, anyEndpoint: false });
        if (parsed.baseUrl !== undefined)
          throw new UnknownModelError(`${name}: the offline model has no endpoint`);
        if (model !== "rehearsal")
          throw new UnknownModelError(
            `unknown offline model '${name}': the offline model is offline:rehearsal`,
          );
        return [
          createOfflineTransport(
            model,
            options.noChangeMarker !== undefined ? { noChangeMarker: options.noChangeMarker } : {},
          ),
        ];
      case "openai":
      case "openai-completions":
      case "anthropic":
        hosted = hostedTransports(parsed, provider, options, clock);
        return hosted.transports;
      default:
        throw new UnknownModelError(`unknown provider '${provider}'`);
    }
  })();
  const transport = transports[0] as Transport;
  if (tier === "batch" && transports.length > 1)
    throw new UnsupportedTierError(
      `${name}: --tier batch sends a whole step to one provider's batch API, not to replicas: give one --base-url`,
    );
  // The offline model costs nothing and is already deterministic: caching it would only fill disks.
  const usage =
    options.usage ?? new UsageMeter(options.prices !== undefined ? { prices: options.prices } : {});
  const activity = options.activity ?? new CallActivity();
  const sent =
    tier === "batch" && hosted !== undefined && provider !== "openai-completions"
      ? batchTransport(
          transport,
          new BatchCollector({
            api:
              provider === "anthropic"
                ? anthropicBatchApi({
                    model,
                    apiKey: hosted.apiKey,
                    baseURL: hosted.baseUrls[0] ?? "https://api.anthropic.com",
                    now: () => clock.now(),
                  })
                : openAIBatchApi({
                    model,
                    apiKey: hosted.apiKey,
                    baseURL: hosted.baseUrls[0] ?? "https://api.openai.com/v1",
                    official: transport.endpoint === "openai-official",
                    now: () => clock.now(),
                  }),
            model: name,
            log: () => options.batchLog ?? memoryBatchLog(),
            clock,
            pollMs: options.batchPollMs ?? 30_000,
            quietMs: options.batchQuietMs ?? 200,
            activity,
            onProgress: (batches) => usage.recordBatches(name, batches),
          }),
        )
      : transport;
  const batch = sent !== transport;
  const cwd = options.cwd ?? process.cwd();
  const cache =
    options.noCache === true || !transport.remote
      ? undefined
      : new ResponseCache(resolveCacheDir(cwd, options.env ?? process.env, options.cacheDir));
  return new ManagedChatModel({
    id: name,
    transport: sent,
    ...(transports.length > 1 ? { replicas: transports } : {}),
    pool: new RequestPool({
      // A batch holds a whole step's requests: the window of items in flight bounds them instead.
      concurrency: batch ? BATCH_POOL_SLOTS : (options.concurrency ?? 8),
      requestsPerMinute: options.requestsPerMinute,
      tokensPerMinute: options.tokensPerMinute,
      clock,
    }),
    retry: {
      maxRetries: options.maxRetries ?? 5,
      baseDelayMs: options.retryBaseDelayMs ?? 1000,
      maxDelayMs: options.retryMaxDelayMs ?? 60_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 300_000,
      random: options.random ?? jitterRandom(),
    },
    clock,
    timeoutMs: batch
      ? BATCH_ATTEMPT_TIMEOUT_MS
      : (options.timeoutMs ?? (tier === "flex" ? FLEX_TIMEOUT_MS : 120_000)),
    maxConnectionFailures: options.maxConnectionFailures ?? DEFAULT_MAX_CONNECTION_FAILURES,
    cache,
    usage,
    tier,
    activity,
  });
}

/** Requests one batch-tier model may have collected or in batches at once. */
const BATCH_POOL_SLOTS = 1_000_000_000;
/** A batch may take its whole 24 h window, and its results must still be fetched. */
const BATCH_ATTEMPT_TIMEOUT_MS = 26 * 60 * 60 * 1000;

/** A batch journal that lives as long as the process (library use without a run folder). */
function memoryBatchLog(): BatchLog {
  let records: unknown[] = [];
  return {
    records: (where) =>
      where === undefined ? records : records.filter((record) => where(JSON.stringify(record))),
    append: (record: BatchLogRecord) => void records.push(record),
    rewrite: (keep) => void (records = records.filter((record) => keep(JSON.stringify(record)))),
  };
}

/** A hosted model's transports (one per replica), with the key and base URLs they were made with. */
interface HostedTransports {
  readonly transports: readonly Transport[];
  readonly apiKey: string;
  /** Undefined: the provider's official API. */
  readonly baseUrls: readonly (string | undefined)[];
}

/**
 * The transports of a hosted model: one per base URL (its own after `@`, else `options.baseUrl`,
 * else the environment's, else the official API), each checked for the tier before any call.
 */
function hostedTransports(
  parsed: ModelName,
  provider: "openai" | "openai-completions" | "anthropic",
  options: CreateModelOptions,
  clock: Clock,
): HostedTransports {
  const name = parsed.id;
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  let dotEnv: Record<string, string> | undefined;
  const fromDotEnv = (): Record<string, string> => (dotEnv ??= readDotEnv(cwd));
  const { keyVariable, baseUrlVariable } = PROVIDERS[provider];
  const given = parsed.baseUrls ?? parsed.baseUrl ?? options.baseUrl;
  const baseUrls: readonly (string | undefined)[] =
    given === undefined
      ? [lookupSetting(baseUrlVariable, env, fromDotEnv)]
      : typeof given === "string"
        ? [given]
        : given;
  let apiKey = options.apiKey ?? lookupSetting(keyVariable, env, fromDotEnv);
  // A local OpenAI-compatible server usually wants no key; the SDK still needs a string.
  if (apiKey === undefined && provider !== "anthropic" && baseUrls[0] !== undefined)
    apiKey = PLACEHOLDER_KEY;
  if (apiKey === undefined) throw new MissingApiKeyError(keyVariable, name);
  const key = apiKey;
  const tier = options.tier ?? "standard";
  const officialHost = provider === "anthropic" ? ANTHROPIC_HOST : OFFICIAL_HOST;
  const distinct = [...new Set(baseUrls)];
  const transports = distinct.map((baseUrl): Transport => {
    checkTier(tier, {
      id: name,
      provider,
      official: endpointOf(baseUrl, "official", officialHost) === "official",
      anyEndpoint: options.tierAnyEndpoint === true,
    });
    const settings = {
      model: parsed.model,
      apiKey: key,
      baseUrl,
      now: () => clock.now(),
      ...(tier === "standard" ? {} : { tier }),
    };
    if (provider === "openai-completions") return createOpenAICompletionsTransport(settings);
    return provider === "openai"
      ? createOpenAITransport(settings)
      : createAnthropicTransport(settings);
  });
  return { transports, apiKey: key, baseUrls: distinct };
}
