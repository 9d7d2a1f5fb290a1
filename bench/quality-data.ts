// Synthetic SFT datasets for the quality benchmarks: replies of about 1 KB drawn from a Zipf-like
// vocabulary, with 5% exact and 5% near duplicates planted, written as TRL rows. Seeded by the
// runtime's generator so every run measures the same bytes.

import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { seededRandom } from "../src/runtime/index.js";

const VOCABULARY = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36)}`);

/** Writes `rows` TRL rows to `file`; returns the bytes written. */
export async function writeSyntheticSft(
  file: string,
  rows: number,
  replyBytes = 1000,
): Promise<number> {
  const random = seededRandom(1, "quality-bench");
  const out = createWriteStream(file);
  let bytes = 0;
  let previous = "";
  let buffer: string[] = [];
  for (let i = 0; i < rows; i++) {
    let reply: string;
    const roll = random.next();
    if (roll < 0.05 && previous !== "") reply = previous;
    else if (roll < 0.1 && previous !== "") reply = previous.replace(/\S+$/, `changed${i}`);
    else {
      const words: string[] = [];
      let length = 0;
      while (length < replyBytes) {
        // Cubing a uniform draw skews toward the frequent words, roughly as text does.
        const word = VOCABULARY[Math.floor(random.next() ** 3 * VOCABULARY.length)]!;
        words.push(word);
        length += word.length + 1;
      }
      reply = words.join(" ");
    }
    previous = reply;
    const prompt = roll < 0.05 ? `Question ${i - 1}` : `Question ${i}`;
    const line = JSON.stringify({
      id: `r${i}`,
      messages: [
        { role: "user", content: roll < 0.1 ? `Question ${Math.max(0, i - 1)}` : prompt },
        { role: "assistant", content: reply },
      ],
    });
    buffer.push(line);
    bytes += line.length + 1;
    if (buffer.length >= 1000) {
      if (!out.write(`${buffer.join("\n")}\n`)) await once(out, "drain");
      buffer = [];
    }
  }
  if (buffer.length > 0) out.write(`${buffer.join("\n")}\n`);
  out.end();
  await once(out, "finish");
  return bytes;
}
