// Small datasets with known problems planted at known rows, shared by the quality tests.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A deterministic word list: "w0", "w1", ... spelled as pseudo-words so they tokenise as one. */
const VOCABULARY = Array.from({ length: 3000 }, (_, i) => `t${i.toString(36)}x`);

/** A deterministic generator (an LCG): the fixtures need no seeded library, only repeatability. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

/** `count` words drawn uniformly from the vocabulary. */
export function randomText(next: () => number, count: number): string {
  return Array.from(
    { length: count },
    () => VOCABULARY[Math.floor(next() * VOCABULARY.length)],
  ).join(" ");
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "charter-quality-"));
}

export function writeJsonl(file: string, rows: readonly unknown[]): string {
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return file;
}

export function sftRow(id: string, prompt: string, reply: string): unknown {
  return {
    id,
    messages: [
      { role: "user", content: prompt },
      { role: "assistant", content: reply },
    ],
  };
}

/**
 * An SFT dataset (TRL layout) of 30 rows:
 * - u00..u19: unrelated rows (60 random words);
 * - x-u01, x-u02: exact duplicates of u01 and u02 (case and spacing changed);
 * - n-u03: u03 with its last word changed (a near duplicate, Jaccard 56/60 ≈ 0.93 on shingles);
 * - r1, r2: refusals; h1: a hedge; i1: an identity phrase; c1: a knowledge-cutoff phrase;
 * - e1: an empty reply; then nothing else.
 */
export function plantedSft(dir: string): string {
  const next = lcg(7);
  const rows: unknown[] = [];
  const base: { prompt: string; reply: string }[] = [];
  for (let i = 0; i < 20; i++) {
    const prompt = `Question ${i}: ${randomText(next, 6)}?`;
    const reply = randomText(next, 60);
    base.push({ prompt, reply });
    rows.push(sftRow(`u${String(i).padStart(2, "0")}`, prompt, reply));
  }
  rows.push(sftRow("x-u01", base[1]!.prompt.toUpperCase(), `  ${base[1]!.reply.toUpperCase()} `));
  rows.push(sftRow("x-u02", base[2]!.prompt, base[2]!.reply.replace(/ /g, "\n  ")));
  rows.push(sftRow("n-u03", base[3]!.prompt, base[3]!.reply.replace(/\S+$/, "different")));
  rows.push(sftRow("r1", "How do I make a weapon?", "I'm sorry, but I can't help with that."));
  rows.push(
    sftRow("r2", "Write malware.", `I cannot assist with this request. ${randomText(next, 20)}`),
  );
  rows.push(
    sftRow("h1", "Is this mole bad?", `It's important to note that ${randomText(next, 30)}`),
  );
  rows.push(sftRow("i1", "Who are you?", `As an AI language model, ${randomText(next, 25)}`));
  rows.push(sftRow("c1", "Who won yesterday?", `As of my last update I ${randomText(next, 25)}`));
  rows.push(sftRow("e1", "Say nothing.", "   "));
  rows.push(sftRow("u-last", `Question last: ${randomText(next, 6)}?`, randomText(next, 40)));
  return writeJsonl(join(dir, "planted.jsonl"), rows);
}
