// The gzip ratio's sample: the whole stream within its budget, evenly spaced blocks past it (the
// stride set by a bound known before the stream starts), each compressed as one stream as the
// texts come, with zlib's bytes for the same text; and a ratio close to the whole set's.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GzipSample } from "../../src/quality/response-set.js";
import { lcg, randomText } from "./planted.js";

const gzipRatio = (text: string): number => {
  const raw = Buffer.from(text, "utf8");
  return Math.round((gzipSync(raw, { level: 6 }).length / raw.length) * 1e6) / 1e6;
};

describe("GzipSample", () => {
  it("compresses a stream within its budget whole", async () => {
    const sample = new GzipSample(20, 10, 100);
    const texts = ["aaaa", "bébé", "cccc", "dddd"];
    for (const text of texts) sample.add(text);
    expect(sample.stride).toBe(1);
    expect(await sample.ratio()).toBe(gzipRatio(texts.join("\n")));
  });

  it("keeps every k-th block, k the smallest power of two that brings the bound within budget", async () => {
    // Blocks of two 4-character texts (5 characters each with its newline); a bound of 100
    // characters and a budget of 25: stride 1 keeps 100, 2 keeps 50, 4 keeps 25.
    const sample = new GzipSample(100, 10, 25);
    const texts = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    for (const text of texts) sample.add(text);
    expect(sample.stride).toBe(4);
    const kept = ["t000", "t001", "t008", "t009", "t016", "t017"];
    expect(await sample.ratio()).toBe(gzipRatio(kept.join("\n")));
  });

  it("reads a text only when the sample keeps it, and gives 0 for nothing", async () => {
    const sample = new GzipSample(1000, 10, 100);
    let read = 0;
    for (let i = 0; i < 40; i++) sample.addLazily(9, { text: () => (read++, "123456789") });
    // 40 texts of 10 characters in blocks of one: stride 16 keeps blocks 0, 16 and 32.
    expect(read).toBe(3);
    expect(await new GzipSample(0).ratio()).toBe(0);
  });

  it("estimates the whole set's gzip ratio with adjacent repeats kept", async () => {
    const next = lcg(5);
    const replies: string[] = [];
    for (let i = 0; i < 6000; i++)
      replies.push(i > 0 && next() < 0.2 ? replies[i - 1]! : randomText(next, 40));
    const whole = replies.join("\n");
    const sample = new GzipSample(whole.length);
    for (const reply of replies) sample.add(reply);
    expect(sample.stride).toBeGreaterThan(1);
    expect(Math.abs((await sample.ratio()) - gzipRatio(whole))).toBeLessThan(0.01);
  });
});
