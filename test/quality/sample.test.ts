// The gzip ratio's block sample: whole within its budget, evenly spaced blocks past it, and a
// ratio close to the whole set's.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BlockSample } from "../../src/quality/response-set.js";
import { lcg, randomText } from "./planted.js";

const gzipRatio = (text: string): number => {
  const raw = Buffer.from(text, "utf8");
  return gzipSync(raw).length / raw.length;
};

describe("BlockSample", () => {
  it("keeps a stream within its budget whole", () => {
    const sample = new BlockSample(10, 100);
    const texts = ["aaaa", "bbbb", "cccc", "dddd"];
    for (const text of texts) sample.add(text);
    expect(sample.stride).toBe(1);
    expect(sample.joined()).toBe(texts.join("\n"));
  });

  it("keeps every k-th block, k the smallest power of two within the budget", () => {
    // Blocks of two 4-character texts (5 characters each with its newline); budget 25 characters.
    const sample = new BlockSample(10, 25);
    const texts = Array.from({ length: 20 }, (_, i) => `t${String(i).padStart(3, "0")}`);
    for (const text of texts) sample.add(text);
    // 10 blocks of 10 characters: stride 1 keeps 100, 2 keeps 50, 4 keeps 30, 8 keeps 20.
    expect(sample.stride).toBe(8);
    expect(sample.joined()).toBe(["t000", "t001", "t016", "t017"].join("\n"));
  });

  it("estimates the whole set's gzip ratio with adjacent repeats kept", () => {
    const next = lcg(5);
    const replies: string[] = [];
    for (let i = 0; i < 6000; i++)
      replies.push(i > 0 && next() < 0.2 ? replies[i - 1]! : randomText(next, 40));
    const sample = new BlockSample(32 * 1024, 512 * 1024);
    for (const reply of replies) sample.add(reply);
    expect(sample.stride).toBeGreaterThan(1);
    expect(Math.abs(gzipRatio(sample.joined()) - gzipRatio(replies.join("\n")))).toBeLessThan(0.01);
  });
});
