// Keys come from options, the environment or .env; a missing key is one clear error; no key leaks.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { createModel, MissingApiKeyError, ProviderError } from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { ask, tempDir } from "./helpers.js";

const server = useModelServer();

const CANARY = "sk-canary-7f3a9c1e5b2d4f6a8c0e";

function authOf(index: number): string {
  const headers = server.requests[index]?.headers ?? {};
  return String(headers.authorization ?? headers["x-api-key"]);
}

describe("API keys", () => {
  it("names the variable when the key is missing", () => {
    const cwd = tempDir();
    expect(() => createModel("openai:gpt-4o-mini", { env: {}, cwd })).toThrow(MissingApiKeyError);
    expect(() => createModel("openai:gpt-4o-mini", { env: {}, cwd })).toThrow(/OPENAI_API_KEY/);
    try {
      createModel("anthropic:claude-sonnet-4-5", {
        env: {},
        cwd,
        baseUrl: server.anthropicBaseUrl,
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "missing-api-key", variable: "ANTHROPIC_API_KEY" });
    }
  });

  it("reads the key and base URL from the environment, then from .env", async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, ".env"),
      `# settings\nexport OPENAI_API_KEY="from-dotenv"\nOPENAI_BASE_URL=${server.openaiBaseUrl} # local\n`,
    );
    await createModel("openai:m", { env: {}, cwd, noCache: true }).complete(ask("a"));
    expect(authOf(0)).toBe("Bearer from-dotenv");
    await createModel("openai:m", {
      env: { OPENAI_API_KEY: "from-env" },
      cwd,
      noCache: true,
    }).complete(ask("b"));
    expect(authOf(1)).toBe("Bearer from-env");
    expect(server.requests).toHaveLength(2);
  });

  it("sends a placeholder key to a custom OpenAI-compatible server when none is set", async () => {
    const cwd = tempDir();
    await createModel("openai:llama3.1", {
      env: { OPENAI_BASE_URL: server.openaiBaseUrl },
      cwd,
      noCache: true,
    }).complete(ask("local"));
    expect(authOf(0)).toBe("Bearer charter-no-key");
  });

  it("rejects a model name without a known provider", () => {
    expect(() => createModel("gpt-4o")).toThrow(/provider:model/);
    expect(() => createModel("mistral:large")).toThrow(/unknown model/);
    expect(() => createModel("offline:other")).toThrow(/offline:rehearsal/);
  });
});

describe("the canary key", () => {
  it.each(["openai", "anthropic"] as const)(
    "never appears in %s errors, responses, usage or cache files",
    async (provider) => {
      const cacheDir = tempDir();
      // A hostile server that echoes the key back in every error body.
      server.handle((request) => {
        const key = String(request.headers.authorization ?? request.headers["x-api-key"]);
        const body = JSON.stringify(request.body);
        if (body.includes("auth"))
          return {
            status: 401,
            body: { error: { message: `Incorrect API key provided: ${key}` } },
          };
        if (body.includes("flaky"))
          return { status: 500, body: { error: { message: `overloaded for ${key}` } } };
        if (body.includes("garbled")) return { raw: `{"oops": "${key}` };
        return {};
      });
      const baseUrl = provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl;
      const model = createModel(`${provider}:canary-model`, {
        baseUrl,
        apiKey: CANARY,
        env: {},
        cacheDir,
        maxRetries: 1,
        retryBaseDelayMs: 1,
      });
      const outputs: unknown[] = [];
      for (const content of ["auth", "flaky", "garbled"]) {
        const error: unknown = await model
          .complete(ask(content))
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ProviderError);
        outputs.push(
          inspect(error, { depth: 10, showHidden: true }),
          JSON.stringify(error, Object.getOwnPropertyNames(error)),
          String((error as Error).stack),
        );
      }
      outputs.push(JSON.stringify(await model.complete(ask("fine"))));
      outputs.push(JSON.stringify(await model.complete(ask("fine"))));
      outputs.push(JSON.stringify(model.usage.snapshot()), inspect(model, { depth: 10 }));
      for (const name of readdirSync(cacheDir, { recursive: true, encoding: "utf8" }))
        if (name.endsWith(".json")) outputs.push(readFileSync(join(cacheDir, name), "utf8"));
      const everything = outputs.join("\n");
      expect(everything).toMatch(/Incorrect API key provided: (Bearer )?\[redacted\]/);
      expect(everything).toContain('"cached":true');
      expect(everything).not.toContain(CANARY);
      expect(everything).not.toContain(CANARY.slice(3, 20));
      // The key did reach the server: the test would pass vacuously otherwise.
      expect(authOf(0)).toContain(CANARY);
    },
  );
});
