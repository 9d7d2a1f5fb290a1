// SetWords against plain counting: per-reply distinct words exact in every mode, and the set-wide
// count equal to DistinctCounter's (exact, then the same HyperLogLog) before and after the table
// gives way to its bounded fallback.
import { describe, expect, it } from "vitest";
import { SetWords } from "../../src/quality/set-words.js";
import { DistinctCounter } from "../../src/quality/sketches.js";
import { mix32 } from "../../src/quality/text.js";
import { lcg } from "./planted.js";

/** Replies of `length` word hashes drawn from `vocabulary` words (word k hashes to mix32(k + 1)). */
function replies(count: number, length: number, vocabulary: number, seed: number): Uint32Array[] {
  const next = lcg(seed);
  return Array.from({ length: count }, () =>
    Uint32Array.from({ length }, () => mix32(Math.floor(next() * vocabulary) + 1)),
  );
}

function check(all: Uint32Array[]): SetWords {
  const words = new SetWords();
  const reference = new DistinctCounter();
  for (const reply of all) {
    expect(words.addReply(reply, reply.length)).toBe(new Set(reply).size);
    reference.addAll(reply, reply.length);
  }
  expect(words.distinct).toBe(reference.size);
  expect(words.estimated).toBe(reference.estimated);
  return words;
}

describe("SetWords", () => {
  it("counts a small set exactly", () => {
    const words = check(replies(200, 50, 1000, 1));
    expect(words.estimated).toBe(false);
  });

  it("switches to the estimate past 65,536 words, as DistinctCounter does", () => {
    const words = check(replies(400, 400, 120_000, 2));
    expect(words.estimated).toBe(true);
  });

  it("stays exact per reply past the table's bound, with the same estimate", () => {
    const all = replies(700, 800, 2_000_000, 3);
    check(all);
  });
});
