// `inspect` with worker threads gives the report one thread gives, whatever the number of workers
// and however the file is cut into blocks: messy lines (CRLF, blank, malformed, a byte-order
// mark), mixed scripts, preference pairs, first replies, and sets past the exact distinct counts.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectDataset, type InspectOptions } from "../../src/quality/index.js";
import { parallelBytes } from "../../src/quality/inspect.js";
import { workersFor } from "../../src/quality/inspect-pool.js";
import { charterInProcess } from "../cli/charter-in-process.js";
import { lcg, randomText, tempDir } from "./planted.js";

const PIECES = [
  "Hello",
  "WORLD",
  "don't",
  "don’t",
  "café",
  "İstanbul",
  "日本語のテキスト",
  "—",
  "!",
  "as an AI",
  "I can't help with",
  "It's important to note",
  "knowledge cutoff",
  "tab\there",
  "Straße",
  "Привет",
  "😀",
  "the",
  "cat",
  "sat",
];

function mixedText(next: () => number): string {
  const words = Array.from(
    { length: 1 + Math.floor(next() * 40) },
    () => PIECES[Math.floor(next() * PIECES.length)]!,
  );
  return words.join(next() < 0.5 ? " " : "  \n");
}

/** 300 rows of mixed text with repeats, and blank, CRLF and malformed lines among them. */
function messyFile(dir: string): string {
  const next = lcg(3);
  const lines: string[] = [];
  let previous = "";
  for (let i = 0; i < 300; i++) {
    const reply = next() < 0.15 && previous !== "" ? previous : mixedText(next);
    previous = reply;
    const prompt = `Q ${i % 40}`;
    lines.push(
      JSON.stringify({
        id: `m${i}`,
        messages: [
          { role: "user", content: prompt },
          { role: "assistant", content: reply },
        ],
      }) + (next() < 0.1 ? "\r" : ""),
    );
    const roll = next();
    if (roll < 0.03) lines.push("");
    else if (roll < 0.05) lines.push('{"id": "broken", ');
    else if (roll < 0.07) lines.push('{"id": "shape"}');
  }
  const file = join(dir, "messy.jsonl");
  writeFileSync(file, `\uFEFF${lines.join("\n")}`);
  return file;
}

function pairsFile(dir: string): string {
  const next = lcg(5);
  const rows = Array.from({ length: 200 }, (_, i) => {
    const chosen = mixedText(next);
    return {
      id: `p${i}`,
      prompt: `P ${i % 30}`,
      chosen,
      rejected: next() < 0.1 ? chosen : mixedText(next),
      probability: next(),
      verdicts: [{ principle: i % 2 === 0 ? "honest" : "kind", probability_first: next() }],
    };
  });
  const file = join(dir, "pairs.jsonl");
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return file;
}

function firstReplyFile(dir: string): string {
  const next = lcg(9);
  const rows = Array.from({ length: 200 }, (_, i) => {
    const first = mixedText(next);
    return {
      prompt: `F ${i}`,
      messages: [
        { role: "user", content: `F ${i}` },
        { role: "assistant", content: next() < 0.2 ? first : mixedText(next) },
      ],
      init_prompt: `F ${i}`,
      init_response: first,
      critic_prompt: "c",
      critic_response: "c",
      revision_prompt: "r",
      revision_response: "r",
    };
  });
  const file = join(dir, "hf-cai.jsonl");
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return file;
}

/** Enough random bigrams (about 120,000) that distinct-2 goes past its exact count. */
function wideFile(dir: string): string {
  const next = lcg(11);
  const rows = Array.from({ length: 600 }, (_, i) => ({
    id: `w${i}`,
    messages: [
      { role: "user", content: `W ${i}` },
      { role: "assistant", content: randomText(next, 200) },
    ],
  }));
  const file = join(dir, "wide.jsonl");
  writeFileSync(file, rows.map((row) => JSON.stringify(row)).join("\n") + "\n");
  return file;
}

async function reports(file: string, options: InspectOptions): Promise<string[]> {
  const texts: string[] = [];
  for (const workers of [0, 1, 2, 3])
    texts.push(
      JSON.stringify(await inspectDataset(file, { ...options, workers, blockBytes: 4096 })),
    );
  return texts;
}

describe("inspect with worker threads", () => {
  const dir = tempDir();

  it("gives the single-threaded report on messy lines, with 1, 2 and 3 workers", async () => {
    const [alone, ...shared] = await reports(messyFile(dir), { skipInvalid: true });
    const report = JSON.parse(alone!) as { rows: number; invalid: { count: number } };
    expect(report.rows).toBeGreaterThan(250);
    expect(report.invalid.count).toBeGreaterThan(3);
    for (const text of shared) expect(text).toBe(alone);
  });

  it("gives the single-threaded report on preference pairs and first replies", async () => {
    for (const file of [pairsFile(dir), firstReplyFile(dir)]) {
      const [alone, ...shared] = await reports(file, {});
      expect(JSON.parse(alone!).sets.length).toBe(2);
      for (const text of shared) expect(text).toBe(alone);
    }
  });

  it("merges distinct counts past the exact limit into the same estimate", async () => {
    const [alone, ...shared] = await reports(wideFile(dir), { near: null });
    expect(JSON.parse(alone!).sets[0].diversity.distinctEstimated).toBe(true);
    for (const text of shared) expect(text).toBe(alone);
  });

  it("stops at the same malformed line as one thread", async () => {
    const file = messyFile(dir);
    const messages: string[] = [];
    for (const workers of [0, 2])
      messages.push(
        await inspectDataset(file, { workers, blockBytes: 4096 }).then(
          () => "no error",
          (error: Error) => error.message,
        ),
      );
    expect(messages[0]).toMatch(/messy\.jsonl:\d+: not (valid JSON|a sft-trl row)/);
    expect(messages[1]).toBe(messages[0]);
  });

  it("charter inspect --json prints with --workers 1, 2 and 3 the bytes of --workers 0", async () => {
    // (The file is one block: the first worker reads it all, the main thread only orders.)
    const file = messyFile(dir);
    const outputs: string[] = [];
    for (const workers of ["0", "1", "2", "3"]) {
      const run = await charterInProcess(dir, [
        "inspect",
        file,
        "--json",
        "--skip-invalid",
        "--workers",
        workers,
      ]);
      expect(run.code).toBe(0);
      outputs.push(run.stdout.replace(/"charterVersion": "[^"]*"/, ""));
    }
    expect(outputs[1]).toBe(outputs[0]);
    expect(outputs[2]).toBe(outputs[0]);
    expect(outputs[3]).toBe(outputs[0]);
  });

  it("gives each of two passes at once its own report (the second gets workers of its own)", async () => {
    const messy = messyFile(dir);
    const pairs = pairsFile(dir);
    const options = { skipInvalid: true, blockBytes: 4096 };
    const alone = await Promise.all([
      inspectDataset(messy, { ...options, workers: 0 }),
      inspectDataset(pairs, { ...options, workers: 0 }),
    ]);
    const together = await Promise.all([
      inspectDataset(messy, { ...options, workers: 1 }),
      inspectDataset(pairs, { ...options, workers: 1 }),
    ]);
    expect(JSON.stringify(together)).toBe(JSON.stringify(alone));
  });

  it("uses the cores other processes leave free, not counting its own load", () => {
    // An idle 2-core machine, with this process fresh or long busy on one core: one worker.
    expect(workersFor({ cores: 2, load: 0.1, own: 0 })).toBe(1);
    expect(workersFor({ cores: 2, load: 1.1, own: 1 })).toBe(1);
    // Another process on one core of two: none (it would take the worker's core).
    expect(workersFor({ cores: 2, load: 1.1, own: 0 })).toBe(0);
    expect(workersFor({ cores: 2, load: 2.2, own: 1 })).toBe(0);
    // Heavy load, or one core: none. Eight idle cores: the most there is (3).
    expect(workersFor({ cores: 2, load: 9, own: 1 })).toBe(0);
    expect(workersFor({ cores: 1, load: 0, own: 0 })).toBe(0);
    expect(workersFor({ cores: 8, load: 0.5, own: 0 })).toBe(3);
    expect(workersFor({ cores: 8, load: 6.2, own: 1 })).toBe(2);
    // Just after other work ended, the average still says busy; the threads runnable now do not.
    expect(workersFor({ cores: 2, load: 1.5, own: 0.1, runnable: 1 })).toBe(1);
    expect(workersFor({ cores: 2, load: 1.5, own: 0.1, runnable: 2 })).toBe(0);
    expect(workersFor({ cores: 2, load: 0.2, own: 0, runnable: 3 })).toBe(1);
    // Files from 24 MiB start workers; with workers running already, files from 4 MiB use them.
    expect([parallelBytes(0), parallelBytes(1)]).toEqual([24 << 20, 4 << 20]);
  });
});
