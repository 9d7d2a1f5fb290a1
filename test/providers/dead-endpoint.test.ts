// A model server that does not listen: each call fails to connect (after its retries) with the
// real cause, and after `maxConnectionFailures` calls in a row the endpoint counts as down, naming
// its URL; an answer from the server in between resets the count. Real OpenAI and Anthropic SDKs.
import { afterEach, describe, expect, it } from "vitest";
import {
  createModel,
  EndpointUnreachableError,
  ProviderError,
  type CreateModelOptions,
} from "../../src/providers/index.js";
import { RunStoppingError } from "../../src/errors.js";
import { startModelServer, unusedPort, type ModelServer } from "../fixtures/model-server.js";
import { ask, fakeClock } from "./helpers.js";

let revived: ModelServer | undefined;
afterEach(async () => {
  await revived?.close();
  revived = undefined;
});

function model(name: string, baseUrl: string, options: CreateModelOptions = {}) {
  return createModel(name, {
    baseUrl,
    apiKey: "k",
    env: {},
    noCache: true,
    clock: fakeClock(),
    random: () => 0.5,
    maxRetries: 1,
    ...options,
  });
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("a model server that is down", () => {
  it("fails each call with the cause, then stops naming the URL after N calls in a row", async () => {
    const port = await unusedPort();
    const url = `http://127.0.0.1:${port}/v1`;
    const chat = model("openai:gpt-test", url, { maxConnectionFailures: 3 });
    for (const n of [1, 2]) {
      const error = await thrown(chat.complete(ask(`q${n}`)));
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ code: "connection-error", attempts: 2 });
      expect((error as Error).message).toContain("ECONNREFUSED");
    }
    const down = await thrown(chat.complete(ask("q3")));
    expect(down).toBeInstanceOf(EndpointUnreachableError);
    expect(down).toBeInstanceOf(RunStoppingError);
    expect(down).toMatchObject({ code: "endpoint-unreachable", url, failures: 3 });
    expect((down as Error).message).toContain(`cannot reach the model server at ${url}`);
    expect((down as Error).message).toContain("ECONNREFUSED");
    // Every later call fails at once with the same error, without trying the network.
    expect(await thrown(chat.complete(ask("q4")))).toBe(down);
    expect(chat.usage.snapshot().total.failures).toBe(3);
  });

  it("counts only calls in a row: an answer from the server resets the count", async () => {
    const port = await unusedPort();
    const chat = model("openai:gpt-test", `http://127.0.0.1:${port}/v1`, {
      maxConnectionFailures: 2,
    });
    expect(await thrown(chat.complete(ask("a")))).toMatchObject({ code: "connection-error" });
    revived = await startModelServer({ port });
    expect((await chat.complete(ask("b"))).text).toBe("echo: b");
    await revived.close();
    revived = undefined;
    expect(await thrown(chat.complete(ask("c")))).toMatchObject({ code: "connection-error" });
    expect(await thrown(chat.complete(ask("d")))).toBeInstanceOf(EndpointUnreachableError);
  });

  it("works the same through the Anthropic SDK, and 0 never gives up", async () => {
    const port = await unusedPort();
    const url = `http://127.0.0.1:${port}`;
    const claude = model("anthropic:claude-test", url, { maxConnectionFailures: 1 });
    const down = await thrown(claude.complete(ask("q")));
    expect(down).toBeInstanceOf(EndpointUnreachableError);
    expect((down as Error).message).toContain(`at ${url}:`);
    const patient = model("openai:gpt-test", `${url}/v1`, { maxConnectionFailures: 0 });
    for (let n = 0; n < 8; n++)
      expect(await thrown(patient.complete(ask(`q${n}`)))).toMatchObject({
        code: "connection-error",
      });
  });
});
