// The response cache: keyed by the whole request (never the key), crash-safe, single-flight.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cacheInfo, clearCache, createModel, resolveCacheDir } from "../../src/providers/index.js";
import type { CreateModelOptions } from "../../src/providers/index.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { ask, tempDir } from "./helpers.js";

const server = useModelServer();

const openai = (cacheDir: string, options: CreateModelOptions = {}) =>
  createModel("openai:gpt-test", {
    baseUrl: server.openaiBaseUrl,
    apiKey: "k",
    env: {},
    cacheDir,
    ...options,
  });

function entryFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".json"))
    .map((name) => join(dir, name));
}

describe("response cache", () => {
  it("stores one entry per request under a two-hex-digit folder", async () => {
    const dir = tempDir();
    await openai(dir).complete(ask("one"));
    await openai(dir).complete(ask("two"));
    const files = entryFiles(dir);
    expect(files).toHaveLength(2);
    for (const file of files)
      expect(file.slice(dir.length)).toMatch(/^\/[0-9a-f]{2}\/[0-9a-f]{62}\.json$/);
    expect(await cacheInfo(dir)).toMatchObject({ dir, entries: 2 });
  });

  it("is shared across model instances and keys, and survives a restart", async () => {
    const dir = tempDir();
    const first = await openai(dir, { apiKey: "key-one" }).complete(ask("same"));
    const second = await openai(dir, { apiKey: "key-two" }).complete(ask("same"));
    expect(second.cached).toBe(true);
    expect(second.text).toBe(first.text);
    expect(server.requests).toHaveLength(1);
  });

  it("keys on every parameter, with defaults filled in", async () => {
    const dir = tempDir();
    const model = openai(dir);
    await model.complete(ask("p"));
    expect(
      (await model.complete({ ...ask("p"), params: { temperature: 1, topP: 1 } })).cached,
    ).toBe(true);
    expect((await model.complete({ ...ask("p"), params: { temperature: 0 } })).cached).toBe(false);
    expect((await model.complete({ ...ask("p"), params: { maxTokens: 5 } })).cached).toBe(false);
    expect((await model.complete({ ...ask("p"), params: { stop: ["x"] } })).cached).toBe(false);
    const otherModel = createModel("openai:gpt-other", {
      baseUrl: server.openaiBaseUrl,
      apiKey: "k",
      env: {},
      cacheDir: dir,
    });
    expect((await otherModel.complete(ask("p"))).cached).toBe(false);
    expect(server.requests).toHaveLength(5);
  });

  it("does not cache errors or empty replies", async () => {
    const dir = tempDir();
    const model = openai(dir, { maxRetries: 0 });
    server.script({ status: 400 }, { text: "" }, { text: "" });
    await expect(model.complete(ask("e"))).rejects.toMatchObject({ code: "bad-request" });
    expect((await model.complete(ask("e"))).text).toBe("");
    expect((await model.complete(ask("e"))).cached).toBe(false);
    expect(server.requests).toHaveLength(3);
    expect((await cacheInfo(dir)).entries).toBe(0);
  });

  it("ignores a torn entry and stray temp files left by a crash", async () => {
    const dir = tempDir();
    const model = openai(dir);
    const first = await model.complete(ask("crash"));
    const [file] = entryFiles(dir);
    if (file === undefined) throw new Error("no entry written");
    const whole = readFileSync(file, "utf8");
    writeFileSync(file, whole.slice(0, Math.floor(whole.length / 2)));
    writeFileSync(`${file}.999.0.tmp`, whole.slice(0, 10));
    const again = await model.complete(ask("crash"));
    expect(again.cached).toBe(false);
    expect(again.text).toBe(first.text);
    expect(server.requests).toHaveLength(2);
    expect(readFileSync(file, "utf8")).toBe(whole);
    expect((await model.complete(ask("crash"))).cached).toBe(true);
    expect((await cacheInfo(dir)).entries).toBe(1);
  });

  it("sends identical requests in flight at once only once", async () => {
    const dir = tempDir();
    server.handle(() => ({ delayMs: 60 }));
    const model = openai(dir);
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => model.complete(ask("together"))),
    );
    expect(server.requests).toHaveLength(1);
    expect(new Set(replies.map((reply) => reply.text)).size).toBe(1);
    expect(replies.filter((reply) => reply.cached)).toHaveLength(4);
    expect(model.usage.snapshot().total).toMatchObject({ calls: 1, cacheHits: 4 });
  });

  it("a shared request that fails, fails for every caller without being sent again", async () => {
    const dir = tempDir();
    server.handle(() => ({ status: 400, delayMs: 40 }));
    const model = openai(dir);
    const results = await Promise.allSettled([1, 2, 3].map(() => model.complete(ask("doomed"))));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(server.requests).toHaveLength(1);
  });

  it("a shared request cancelled by its first caller is sent again for the others", async () => {
    const dir = tempDir();
    server.handle(() => ({ delayMs: 80 }));
    const model = openai(dir);
    const controller = new AbortController();
    const first = model.complete({ ...ask("shared"), signal: controller.signal });
    const second = model.complete(ask("shared"));
    setTimeout(() => controller.abort(), 20);
    await expect(first).rejects.toMatchObject({ code: "request-aborted" });
    expect((await second).text).toBe("echo: shared");
    expect(server.requests).toHaveLength(2);
  });

  it("is off with noCache, and counts cache hits apart from billed tokens", async () => {
    const dir = tempDir();
    const uncached = openai(dir, { noCache: true });
    await uncached.complete(ask("n"));
    await uncached.complete(ask("n"));
    expect(server.requests).toHaveLength(2);
    expect(uncached.cacheDir).toBeUndefined();
    expect((await cacheInfo(dir)).entries).toBe(0);
    server.script({ usage: { inputTokens: 100, outputTokens: 10 } });
    const cached = openai(dir);
    await cached.complete(ask("m"));
    const hit = await cached.complete(ask("m"));
    expect(hit.usage).toEqual({ inputTokens: 100, outputTokens: 10, cachedTokens: 0 });
    expect(hit.latencyMs).toBe(0);
    expect(cached.usage.snapshot().total).toMatchObject({
      calls: 1,
      inputTokens: 100,
      cacheHits: 1,
      cacheHitInputTokens: 100,
      cacheHitOutputTokens: 10,
    });
  });

  it("keeps writing entries after the cache is cleared mid-run", async () => {
    const dir = tempDir();
    const model = openai(dir);
    await model.complete(ask("before"));
    await clearCache(dir);
    await model.complete(ask("before"));
    expect((await cacheInfo(dir)).entries).toBe(1);
  });

  it("clears only its own files", async () => {
    const dir = tempDir();
    await openai(dir).complete(ask("c"));
    writeFileSync(join(dir, "keep-me.txt"), "not ours");
    const cleared = await clearCache(dir);
    expect(cleared.entries).toBe(1);
    expect(readdirSync(dir)).toEqual(["keep-me.txt"]);
  });

  it("defaults to .charter/cache under the working directory, or CHARTER_CACHE_DIR", () => {
    expect(resolveCacheDir("/p", {})).toBe("/p/.charter/cache");
    expect(resolveCacheDir("/p", { CHARTER_CACHE_DIR: "/c" })).toBe("/c");
    expect(resolveCacheDir("/p", { CHARTER_CACHE_DIR: "/c" }, "rel")).toBe("/p/rel");
  });
});
