// The model flags the run commands share (--base-url, --concurrency, --rpm, --tpm, --timeout,
// --max-retries, --max-connection-failures, --no-cache, --cache-dir, --tier) and the step from
// parsed settings to CreateModelOptions.

import { UsageError } from "../errors.js";
import {
  CallActivity,
  DEFAULT_TRUNCATION_RETRY,
  parseModelName,
  parseTruncationRetry,
  parseTier,
  PROVIDERS,
  SERVICE_TIERS,
  type CreateModelOptions,
  type ServiceTier,
  type ModelPrice,
  type PriceTable,
  type TruncationRetry,
  type UsageMeter,
} from "../providers/index.js";
import { openBatchLog } from "../runtime/index.js";
import type { NumberLimits } from "./run-config.js";

/**
 * Items in flight on the batch tier unless --concurrency says otherwise: one batch holds a whole
 * step of them, and memory stays bounded at any input size. 10,000, not OpenAI's 50,000-request
 * limit: a Phase 1 run with 50,000 in flight peaked at 2.4 GB RSS (1.9 GB of heap, near Node's
 * default limit on smaller machines), with 10,000 at about 0.7 GB (src/providers/README.md).
 */
export const DEFAULT_BATCH_WINDOW = 10_000;

/**
 * node:util parseArgs option definitions. Spread them into a command's own options:
 * `parseArgs({ args, options: { ...MODEL_FLAG_OPTIONS, model: { type: "string" } } })`.
 */
export const MODEL_FLAG_OPTIONS = {
  "base-url": { type: "string", multiple: true },
  concurrency: { type: "string" },
  rpm: { type: "string" },
  tpm: { type: "string" },
  timeout: { type: "string" },
  "max-retries": { type: "string" },
  "max-connection-failures": { type: "string" },
  "no-cache": { type: "boolean" },
  "cache-dir": { type: "string" },
  "truncation-retry": { type: "string" },
  tier: { type: "string" },
  "tier-any-endpoint": { type: "boolean" },
} as const;

/** Config-file keys these settings may also come from (pass them to loadRunConfig's knownKeys). */
export const MODEL_CONFIG_KEYS: readonly string[] = [...Object.keys(MODEL_FLAG_OPTIONS), "prices"];

/** Lines for a command's --help. */
export const MODEL_OPTIONS_HELP = `model options:
  --base-url URL       OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) or Anthropic
                       endpoint for the models that name none (they must be of one provider kind);
                       default OPENAI_BASE_URL / ANTHROPIC_BASE_URL, else the official API.
                       A model names its own as MODEL@URL: openai:llama3.1@http://127.0.0.1:8000/v1
                       Repeat it (or MODEL@URL1,URL2) for replicas of one model: each request goes
                       to the least-loaded one, a failing one is taken out with backoff
  --concurrency N      requests in flight at once (default 8)
  --rpm N              requests per minute at most
  --tpm N              tokens per minute at most (prompt estimate + max tokens)
  --timeout SECONDS    per request attempt (default 120)
  --max-retries N      retries after a failed attempt (429, 5xx, timeouts, lost connections; default 5)
  --max-connection-failures N
                       stop the run (resumable) after N calls in a row failed to connect to the
                       model server, each after its retries (default 5; 0 = never)
  --no-cache           do not read or write the response cache
  --cache-dir DIR      response cache folder (default CHARTER_CACHE_DIR, else .charter/cache)
  --truncation-retry X a reply cut by the token limit is asked again once with X times the budget
                       (4x, the default) or with X tokens (8192), then its item fails as
                       'truncated'; off: fail at once
  --tier TIER          standard (default), flex (OpenAI's flex processing: half price, slower,
                       15-minute default timeout, "resource unavailable" 429s retried) or batch
                       (OpenAI Batch API / Anthropic Message Batches: half price, replies within
                       24 h; every item's next step goes out together; --concurrency is then the
                       items in flight, default 10,000; a killed run polls its journaled batches);
                       refused before any call for a provider or endpoint without it
  --tier-any-endpoint  send --tier flex to a custom --base-url too (a proxy that forwards it to OpenAI)
keys come from OPENAI_API_KEY / ANTHROPIC_API_KEY or a .env file in the working directory.
`;

/** What model settings are read through: `RunSettings` (flags > config file > defaults) fits. */
export interface ModelSettingsSource {
  number(key: string, fallback?: undefined, limits?: NumberLimits): number | undefined;
  string(key: string): string | undefined;
  boolean(key: string, fallback: boolean): boolean;
  lookup(key: string): { value: unknown; origin: string } | undefined;
}

/**
 * CreateModelOptions from the shared model settings plus the command's environment.
 * Throws UsageError for a bad value, naming where it came from.
 *
 * @example
 * const settings = new RunSettings(values, loadRunConfig({ command: "revise", knownKeys, cwd: io.cwd }));
 * const model = createModel(settings.string("model") ?? "offline:rehearsal",
 *   modelOptionsFromSettings(settings, io, { usage }));
 */
export function modelOptionsFromSettings(
  settings: ModelSettingsSource,
  io: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
  extra: {
    readonly usage?: UsageMeter;
    /** The run folder: the batch tier journals its batches there. */
    readonly runFolder?: string;
  } = {},
): CreateModelOptions {
  const whole = { integer: true, min: 1 };
  const baseUrl = baseUrlsFromSettings(settings);
  const batch = settings.string("tier") === "batch";
  // On the batch tier --concurrency counts items in flight, not open connections.
  const concurrency = settings.number("concurrency", undefined, {
    ...whole,
    ...(batch ? {} : { max: 1024 }),
  });
  const rpm = settings.number("rpm", undefined, whole);
  const tpm = settings.number("tpm", undefined, whole);
  const timeout = settings.number("timeout", undefined, { min: 0.001 });
  const maxRetries = settings.number("max-retries", undefined, { integer: true, min: 0, max: 100 });
  const maxConnectionFailures = settings.number("max-connection-failures", undefined, {
    integer: true,
    min: 0,
  });
  const cacheDir = settings.string("cache-dir");
  const prices = settings.lookup("prices")?.value;
  const tier = settings.string("tier");
  if (tier !== undefined && parseTier(tier) === undefined)
    throw new UsageError(`--tier must be one of ${SERVICE_TIERS.join(", ")} (got '${tier}')`);
  return {
    cwd: io.cwd,
    env: io.env,
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(rpm !== undefined ? { requestsPerMinute: rpm } : {}),
    ...(tpm !== undefined ? { tokensPerMinute: tpm } : {}),
    ...(timeout !== undefined ? { timeoutMs: Math.round(timeout * 1000) } : {}),
    ...(maxRetries !== undefined ? { maxRetries } : {}),
    ...(maxConnectionFailures !== undefined ? { maxConnectionFailures } : {}),
    ...(settings.boolean("no-cache", false) ? { noCache: true } : {}),
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(prices !== undefined ? { prices: checkPrices(prices) } : {}),
    ...(extra.usage !== undefined ? { usage: extra.usage } : {}),
    ...(tier !== undefined ? { tier: parseTier(tier) ?? "standard" } : {}),
    ...(settings.boolean("tier-any-endpoint", false) ? { tierAnyEndpoint: true } : {}),
    ...(batch && extra.runFolder !== undefined
      ? { batchLog: openBatchLog(extra.runFolder), ...batchPoll(io.env) }
      : {}),
    // One count of the run's calls for all its models and its engine (runControls passes it on).
    activity: new CallActivity(),
  };
}

/** Items a run keeps in flight: --concurrency, else 8, or DEFAULT_BATCH_WINDOW on the batch tier. */
export function itemConcurrency(settings: ModelSettingsSource): number {
  const fallback = settings.string("tier") === "batch" ? DEFAULT_BATCH_WINDOW : 8;
  return settings.number("concurrency", undefined, { integer: true, min: 1 }) ?? fallback;
}

/** CHARTER_BATCH_POLL_SECONDS: between two status checks of a batch (default 30). */
function batchPoll(env: Readonly<Record<string, string | undefined>>): { batchPollMs?: number } {
  const text = env.CHARTER_BATCH_POLL_SECONDS;
  if (text === undefined || text === "") return {};
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0)
    throw new UsageError(`CHARTER_BATCH_POLL_SECONDS must be a positive number (got '${text}')`);
  return { batchPollMs: Math.round(seconds * 1000) };
}

/**
 * `--base-url` (repeatable) or `base-url` in the config (a URL or a list of them): one URL as a
 * string, several (replicas) as a list. Throws UsageError for anything but http(s) URLs.
 */
export function baseUrlsFromSettings(
  settings: Pick<ModelSettingsSource, "lookup">,
): string | readonly string[] | undefined {
  const found = settings.lookup("base-url");
  if (found === undefined) return undefined;
  const values: unknown[] = Array.isArray(found.value) ? found.value : [found.value];
  const where = found.origin === "flag" ? "--base-url" : "'base-url' in the config file";
  const urls = values.map((value) => {
    if (typeof value !== "string" || !/^https?:\/\/[^/\s]+/i.test(value))
      throw new UsageError(`${where} must be an http(s) URL (got '${String(value)}')`);
    return value;
  });
  if (urls.length === 0) return undefined;
  return urls.length === 1 ? urls[0] : urls;
}

/** The manifest's record of how a run's calls were sent: `{ tier }` (standard when none was given). */
export function tierInfo(options: CreateModelOptions): { readonly tier: ServiceTier } {
  return { tier: options.tier ?? "standard" };
}

/** The optional parts of a price, besides `input` and `output` (USD per million tokens). */
const OPTIONAL_PRICE_PARTS = ["cachedInput", "cacheWrite", "cacheWriteLong"] as const;

/**
 * `prices` in a config file: `{ "openai:my-model": { "input": 1, "output": 2, "cachedInput": 0.5 } }`,
 * with `cacheWrite` / `cacheWriteLong` for a prompt cache that bills writes (Anthropic: 5 min / 1 h).
 */
export function checkPrices(value: unknown): PriceTable {
  const problem = (why: string): UsageError =>
    new UsageError(
      `'prices' ${why}: expected { "provider:model": { "input": N, "output": N, "cachedInput"?: N, "cacheWrite"?: N, "cacheWriteLong"?: N } } in USD per million tokens`,
    );
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw problem("is not an object");
  const table: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(value as Record<string, unknown>)) {
    if (typeof price !== "object" || price === null)
      throw problem(`for '${model}' is not an object`);
    const parts = price as Record<string, unknown>;
    const valid = (n: unknown): n is number =>
      typeof n === "number" && Number.isFinite(n) && n >= 0;
    const { input, output } = parts;
    if (
      !valid(input) ||
      !valid(output) ||
      OPTIONAL_PRICE_PARTS.some((part) => parts[part] !== undefined && !valid(parts[part]))
    )
      throw problem(`for '${model}' needs non-negative numbers`);
    const optional: Record<string, number> = {};
    for (const part of OPTIONAL_PRICE_PARTS) if (valid(parts[part])) optional[part] = parts[part];
    table[model] = { input, output, ...optional };
  }
  return table;
}

/** `truncation-retry`: `4x` (the default), a token budget (`8192`) or `off`. */
export function truncationRetryFromSettings(settings: ModelSettingsSource): TruncationRetry {
  const text = settings.string("truncation-retry");
  if (text === undefined) return DEFAULT_TRUNCATION_RETRY;
  const parsed = parseTruncationRetry(text);
  if (parsed === undefined)
    throw new UsageError(
      `--truncation-retry must be a factor above 1 (4x), a token budget (8192) or off (got '${text}')`,
    );
  return parsed;
}

/**
 * Each model's options: `--base-url` (`options.baseUrl`) goes only to the models that name no
 * endpoint of their own (`MODEL@URL`), and only when those are all of one provider kind, so it is
 * never applied to a provider of another kind (an Anthropic judge beside a local OpenAI-compatible
 * one). Throws UsageError when it would have to guess.
 *
 * @example
 * const optionsFor = endpointOptions(["anthropic:claude-sonnet-4-5", "openai:llama3.1@http://127.0.0.1:8000/v1"], options);
 * createModel(name, optionsFor(name));
 */
export function endpointOptions(
  names: readonly string[],
  options: CreateModelOptions,
): (name: string) => CreateModelOptions {
  const { baseUrl, ...rest } = options;
  if (baseUrl === undefined) return () => rest;
  const bare = names.filter((name) => {
    const parsed = parseModelName(name);
    return parsed.baseUrl === undefined && parsed.provider !== "offline";
  });
  // Providers reading the same base-URL variable speak to the same kind of server.
  const kinds = new Set(
    bare.map((name) => PROVIDERS[parseModelName(name).provider].baseUrlVariable),
  );
  if (kinds.size > 1)
    throw new UsageError(
      `--base-url is for one kind of provider, but ${bare.join(" and ")} name no endpoint of their own: ` +
        `give each its own as MODEL@URL (e.g. ${bare.find((name) => name.startsWith("openai:")) ?? bare[0]}@${baseUrl})`,
    );
  return (name) => (bare.includes(name) ? options : rest);
}
