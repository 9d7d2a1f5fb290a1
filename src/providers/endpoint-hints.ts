// What to tell a user whose model or endpoint is wrong: a provider name that is really a local
// server (`ollama:`), a base URL missing its `/v1`, a model the server does not serve (and what it
// does serve, from its `GET /models`).

import { nearMiss } from "../did-you-mean.js";
import { lookupSetting, readDotEnv } from "./keys.js";

/** Local servers people name as if they were providers, and where each usually listens. */
const LOCAL_SERVERS: Readonly<Record<string, string>> = {
  ollama: "http://localhost:11434/v1",
  vllm: "http://localhost:8000/v1",
  lmstudio: "http://localhost:1234/v1",
  "lm-studio": "http://localhost:1234/v1",
  llamacpp: "http://localhost:8080/v1",
  "llama.cpp": "http://localhost:8080/v1",
  "llama-cpp": "http://localhost:8080/v1",
};

/**
 * The advice for a model name whose provider Charter does not know: local servers speak the
 * OpenAI API; a bare model name probably wants `openai:` or `anthropic:` in front.
 */
export function unknownProviderHint(provider: string, model: string): string {
  if (model === "")
    return "name it provider:model, e.g. openai:gpt-4o-mini, anthropic:claude-sonnet-4-5 or offline:rehearsal";
  const server = LOCAL_SERVERS[provider.toLowerCase()];
  if (server !== undefined)
    return `${provider} serves the OpenAI API: use --model openai:${model} --base-url ${server}`;
  if (provider === "") {
    const guess = /^claude/i.test(model) ? "anthropic" : "openai";
    return `name it provider:model, e.g. ${guess}:${model} (providers: openai, anthropic, offline)`;
  }
  const near = nearMiss(provider, ["openai", "anthropic", "offline"]);
  return near !== undefined
    ? `did you mean ${near}:${model}?`
    : "providers are openai (and any OpenAI-compatible server, with --base-url), anthropic and offline";
}

/** What a GET answered: its status and JSON body, or undefined when nothing answered. */
async function getJson(
  url: string,
  apiKey: string | undefined,
): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(url, {
      headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  } catch {
    return undefined;
  }
}

/** The model ids of an OpenAI-style `{ data: [{ id }] }` list, or undefined for another shape. */
function modelIds(body: unknown): string[] | undefined {
  const data = (body as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(data)) return undefined;
  return data.flatMap((entry: unknown) => {
    const id = (entry as { id?: unknown } | null)?.id;
    return typeof id === "string" ? [id] : [];
  });
}

/** How many served models a hint lists before counting the rest. */
const LISTED_MODELS = 20;

/**
 * Why an OpenAI-compatible server answered 404 to `provider:model`, asked of the server itself:
 * a base URL without `/v1` (when `URL/v1/models` answers, or the URL has no path at all), or a
 * model it does not serve (listing what its `GET /models` returns). Undefined when the server
 * says nothing useful, for the official API, and for other providers.
 *
 * @example
 * await notFoundHint("openai:llama3", { baseUrl: "http://localhost:11434" });
 * // "http://localhost:11434 answers 404: OpenAI-compatible servers live under /v1; try --base-url http://localhost:11434/v1"
 */
export async function notFoundHint(
  name: string,
  options: {
    /** Several (replicas): the first is asked. */
    readonly baseUrl?: string | readonly string[];
    readonly apiKey?: string;
    readonly env?: Readonly<Record<string, string | undefined>>;
    readonly cwd?: string;
  },
): Promise<string | undefined> {
  const colon = name.indexOf(":");
  if (name.slice(0, colon) !== "openai") return undefined;
  const model = name.slice(colon + 1);
  const env = options.env ?? process.env;
  const fromDotEnv = (): Record<string, string> => readDotEnv(options.cwd ?? process.cwd());
  const given = typeof options.baseUrl === "string" ? options.baseUrl : options.baseUrl?.[0];
  const baseUrl = given ?? lookupSetting("OPENAI_BASE_URL", env, fromDotEnv);
  if (baseUrl === undefined) return undefined;
  const apiKey = options.apiKey ?? lookupSetting("OPENAI_API_KEY", env, fromDotEnv);
  const base = baseUrl.replace(/\/+$/, "");
  const listed = await getJson(`${base}/models`, apiKey);
  const ids = listed?.status === 200 ? modelIds(listed.body) : undefined;
  if (ids !== undefined) {
    if (ids.includes(model)) return undefined;
    const near = nearMiss(model, ids);
    const shown = ids.slice(0, LISTED_MODELS).join(", ");
    const more = ids.length > LISTED_MODELS ? ` and ${ids.length - LISTED_MODELS} more` : "";
    return (
      `the server at ${baseUrl} does not serve '${model}'` +
      (near === undefined ? "" : ` (did you mean openai:${near}?)`) +
      (ids.length === 0 ? "; its GET /models lists none" : `; it serves: ${shown}${more}`)
    );
  }
  if (/\/v1$/.test(base)) return undefined;
  const withV1 = await getJson(`${base}/v1/models`, apiKey);
  const bare = new URL(base).pathname.replace(/\/+$/, "") === "";
  if ((withV1 !== undefined && withV1.status === 200) || bare)
    return `${baseUrl} answers 404: OpenAI-compatible servers live under /v1; try --base-url ${base}/v1`;
  return undefined;
}
