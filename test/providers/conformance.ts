// The shared conformance cases every ChatModel provider must pass (run by conformance.test.ts for
// openai and anthropic against the local model server, and for offline:rehearsal).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  createModel,
  ProviderError,
  UnsupportedCapabilityError,
  type CreateModelOptions,
  type ManagedChatModel,
} from "../../src/providers/index.js";
import type { ModelServer } from "../fixtures/model-server.js";

export interface ConformanceSubject {
  /** Model name, e.g. `openai:gpt-test`. */
  readonly name: string;
  /** Options that point the model at the test server (none for offline). */
  readonly options: () => CreateModelOptions;
  /** The server the provider talks to; undefined for offline. */
  readonly server: () => ModelServer | undefined;
  /** The system prompt as the server received it, from a request body. */
  readonly systemOf?: (body: unknown) => string | undefined;
}

const user = (content: string) => ({ role: "user" as const, content });
const freshCache = () => mkdtempSync(join(tmpdir(), "charter-conformance-"));

export function conformanceCases(subject: ConformanceSubject): void {
  const make = (extra: CreateModelOptions = {}): ManagedChatModel =>
    createModel(subject.name, { cacheDir: freshCache(), ...subject.options(), ...extra });
  const requestCount = () => subject.server()?.requests.length ?? 0;

  describe(`${subject.name} conformance`, () => {
    it("returns a text reply derived from the request", async () => {
      const reply = await make().complete({ messages: [user("Say hello to Ada")] });
      expect(reply.text).toContain("Say hello to Ada");
      expect(reply.cached).toBe(false);
      expect(reply.retries).toBe(0);
    });

    it("reports usage and counts it in the model's meter", async () => {
      subject.server()?.script({ usage: { inputTokens: 40, outputTokens: 7, cachedTokens: 12 } });
      const model = make();
      const reply = await model.complete({ messages: [user("count my tokens")] });
      if (subject.server() !== undefined)
        expect(reply.usage).toEqual({ inputTokens: 40, outputTokens: 7, cachedTokens: 12 });
      expect(reply.usage.inputTokens).toBeGreaterThan(0);
      expect(reply.usage.outputTokens).toBeGreaterThan(0);
      const usage = model.usage.snapshot().models[subject.name];
      expect(usage?.calls).toBe(1);
      expect(usage?.inputTokens).toBe(reply.usage.inputTokens);
      expect(usage?.outputTokens).toBe(reply.usage.outputTokens);
    });

    it("reports the model id the server says it served", async () => {
      subject.server()?.script({ model: "served-model-2024" });
      const reply = await make().complete({ messages: [user("who are you")] });
      expect(reply.model).toBe(subject.server() === undefined ? "rehearsal" : "served-model-2024");
    });

    it("passes system messages the way the provider expects", async () => {
      const reply = await make().complete({
        messages: [{ role: "system", content: "Be brief." }, user("Explain tides")],
      });
      expect(reply.text).toContain("Explain tides");
      const server = subject.server();
      if (server !== undefined && subject.systemOf !== undefined)
        expect(subject.systemOf(server.requests.at(-1)?.body)).toBe("Be brief.");
    });

    it("returns log-probabilities when capable, else refuses before any request", async () => {
      const model = make();
      const before = requestCount();
      const request = {
        messages: [user("Pick (A) or (B).\n(A) one\n(B) two")],
        purpose: "judge" as const,
        params: { logprobs: true, topLogprobs: 2, maxTokens: 1 },
      };
      if (model.capabilities.logprobs) {
        const reply = await model.complete(request);
        const first = reply.logprobs?.[0];
        expect(first?.token).toBe(
          reply.text.trimStart().split(/\s/)[0]?.slice(0, first?.token.length),
        );
        expect(first?.top.length).toBe(2);
        for (const entry of first?.top ?? []) expect(entry.logprob).toBeLessThanOrEqual(0);
      } else {
        await expect(model.complete(request)).rejects.toBeInstanceOf(UnsupportedCapabilityError);
        await expect(model.complete(request)).rejects.toMatchObject({
          code: "unsupported-capability",
        });
        expect(requestCount()).toBe(before);
      }
    });

    it("answers a repeat from the cache with the same bytes and no request", async () => {
      const model = make();
      const request = { messages: [user("cache me")], params: { temperature: 0 } };
      const first = await model.complete(request);
      const before = requestCount();
      const second = await model.complete(request);
      expect(second.text).toBe(first.text);
      expect(second.usage).toEqual(first.usage);
      expect(second.logprobs).toEqual(first.logprobs);
      expect(requestCount()).toBe(before);
      if (subject.server() !== undefined) {
        expect(second.cached).toBe(true);
        expect(model.usage.snapshot().models[subject.name]).toMatchObject({
          calls: 1,
          cacheHits: 1,
        });
        // A different sample index is a deliberate repeat: not a cache hit.
        const third = await model.complete({ ...request, sampleIndex: 1 });
        expect(third.cached).toBe(false);
        expect(requestCount()).toBe(before + 1);
      }
    });

    it("stops at once when aborted, before or during a request", async () => {
      const model = make();
      const before = requestCount();
      await expect(
        model.complete({ messages: [user("never sent")], signal: AbortSignal.abort() }),
      ).rejects.toMatchObject({ code: "request-aborted" });
      expect(requestCount()).toBe(before);
      const server = subject.server();
      if (server === undefined) return;
      server.script({ delayMs: 5_000 });
      const controller = new AbortController();
      const started = Date.now();
      const pending = model.complete({ messages: [user("slow one")], signal: controller.signal });
      setTimeout(() => controller.abort(), 50);
      const error: unknown = await pending.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).code).toBe("request-aborted");
      expect(Date.now() - started).toBeLessThan(2_000);
    });
  });
}
