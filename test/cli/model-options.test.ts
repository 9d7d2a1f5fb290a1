// The shared model flags parse into CreateModelOptions, with flags over config and clear errors.
import { parseArgs } from "node:util";
import { describe, expect, it } from "vitest";
import { MODEL_FLAG_OPTIONS, modelOptionsFromSettings } from "../../src/cli/model-options.js";
import { RunSettings } from "../../src/cli/run-config.js";
import { CallActivity } from "../../src/providers/index.js";
import { UsageError } from "../../src/errors.js";

const io = { cwd: "/tmp/project", env: { OPENAI_API_KEY: "x" } };

function parse(args: string[], config: Record<string, unknown> = {}) {
  const { values } = parseArgs({ args, options: MODEL_FLAG_OPTIONS, strict: true });
  return modelOptionsFromSettings(new RunSettings(values, { values: config, ignored: [] }), io);
}

describe("model options", () => {
  it("turns every flag into its CreateModelOptions field", () => {
    const options = parse([
      "--base-url=http://127.0.0.1:11434/v1",
      "--concurrency=4",
      "--rpm=60",
      "--tpm=10000",
      "--timeout=2.5",
      "--max-retries=0",
      "--no-cache",
      "--cache-dir=c",
      "--tier=batch",
    ]);
    expect(options).toEqual({
      cwd: "/tmp/project",
      env: io.env,
      baseUrl: "http://127.0.0.1:11434/v1",
      concurrency: 4,
      requestsPerMinute: 60,
      tokensPerMinute: 10000,
      timeoutMs: 2500,
      maxRetries: 0,
      noCache: true,
      cacheDir: "c",
      tier: "batch",
      // One counter of the run's calls, shared by the batch collector and the engine.
      activity: expect.any(CallActivity),
    });
  });

  it("takes config values and prices when no flag is given, flags winning", () => {
    const options = parse(["--concurrency=2"], {
      concurrency: 16,
      rpm: 30,
      prices: { "openai:local": { input: 1, output: 2 } },
    });
    expect(options.concurrency).toBe(2);
    expect(options.requestsPerMinute).toBe(30);
    expect(options.prices).toEqual({ "openai:local": { input: 1, output: 2 } });
  });

  it("refuses bad values with a usage error naming the flag", () => {
    expect(() => parse(["--concurrency=0"])).toThrow(/--concurrency must be at least 1/);
    expect(() => parse(["--rpm=fast"])).toThrow(UsageError);
    expect(() => parse(["--base-url=localhost:8000"])).toThrow(/--base-url must be an http/);
    expect(() => parse(["--tier=cheap"])).toThrow(
      "--tier must be one of standard, flex, batch (got 'cheap')",
    );
    expect(() => parse([], { prices: { m: { input: "cheap", output: 1 } } })).toThrow(/prices/);
  });
});
