// Writes every output of `charter inspect` and `charter filter` on a fixed set of datasets into a
// folder, so two builds (or one build with 1, 2 or 3 workers) can be compared byte for byte with
// `diff -r`: `npx tsx bench/quality-snapshot.ts OUT_DIR [DATA_DIR]`. The datasets are generated
// (seeded) into DATA_DIR (default: a folder in the system's temporary directory) if absent: the
// bench's synthetic rows at 300, 3,000 and 20,000 rows, and 400-row files of mixed case,
// punctuation, apostrophes, non-ASCII scripts, whitespace runs, planted phrases, blank, CRLF and
// malformed lines, in SFT and preference layouts.

import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { charterInProcess } from "./harness.js";
import { writeSyntheticSft } from "./quality-data.js";

const PIECES = [
  "Hello",
  "WORLD",
  "don't",
  "don’t",
  "café",
  "ÜBER",
  "naïve",
  "İstanbul",
  "ΣΟΦΟΣ",
  "日本語のテキスト",
  "—",
  "!",
  ",",
  "...",
  "it's",
  "'quoted'",
  "x'",
  "as an AI",
  "I can't help with",
  "It's important to note",
  "knowledge cutoff",
  "tab\there",
  "a  b",
  "\u00a0",
  "Straße",
  "ﬁne",
  "42",
  "3.14",
  "e-mail",
  "C++",
  "α",
  "я",
  "Привет",
  "مرحبا",
  "😀",
  "w1",
  "w2",
  "w3",
  "the",
  "cat",
  "sat",
  "on",
  "mat",
];
const SEPARATORS = [" ", "  ", "\n", "\t", " \n "];

/** A small seeded generator (an LCG: enough to pick pieces reproducibly). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function mixedReply(next: () => number, pieces: readonly string[]): string {
  let reply = "";
  const count = 1 + Math.floor(next() * 60);
  for (let k = 0; k < count; k++)
    reply +=
      pieces[Math.floor(next() * pieces.length)]! +
      SEPARATORS[Math.floor(next() * SEPARATORS.length)]!;
  return reply;
}

/** 400 rows of mixed text; `asciiOnly` keeps the ASCII pieces; `messy` adds blank, CRLF and bad lines. */
function writeMixed(
  file: string,
  options: { asciiOnly?: boolean; messy?: boolean; preference?: boolean },
): void {
  const next = lcg(options.preference === true ? 11 : options.asciiOnly === true ? 5 : 7);
  const pieces =
    options.asciiOnly === true
      ? PIECES.filter((piece) => [...piece].every((char) => char.charCodeAt(0) < 128))
      : PIECES;
  const lines: string[] = [];
  let previous = "";
  for (let i = 0; i < 400; i++) {
    let reply = mixedReply(next, pieces);
    if (next() < 0.1 && previous !== "") reply = previous;
    if (next() < 0.05) reply = "   ";
    previous = reply;
    const prompt = `Q ${i % 50} ${pieces[Math.floor(next() * pieces.length)]!}`;
    const row =
      options.preference === true
        ? { id: `p${i}`, prompt, chosen: reply, rejected: mixedReply(next, pieces) }
        : {
            id: `m${i}`,
            messages: [
              { role: "user", content: prompt },
              { role: "assistant", content: reply },
            ],
          };
    lines.push(JSON.stringify(row));
    if (options.messy === true) {
      const roll = next();
      if (roll < 0.03) lines.push("");
      else if (roll < 0.05) lines.push('{"id": "broken", "messages": [');
      else if (roll < 0.07) lines.push('{"id": "shape"}');
      else if (roll < 0.1) lines[lines.length - 1] += "\r";
    }
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

/** `--workers N` for inspect when the environment's QUALITY_WORKERS says (to compare counts). */
const WORKERS =
  process.env.QUALITY_WORKERS === undefined ? [] : ["--workers", process.env.QUALITY_WORKERS];

async function charter(args: readonly string[]): Promise<string> {
  if (args[0] === "inspect") args = [...args, ...WORKERS];
  const { code, output } = await charterInProcess(args);
  return `exit ${code}\n${output}`;
}

/** Generates the datasets (if absent) and returns their paths by name. */
export async function snapshotData(dir: string): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const files: Record<string, string> = {
    small: join(dir, "small.jsonl"),
    mid: join(dir, "mid.jsonl"),
    big: join(dir, "big.jsonl"),
    mixed: join(dir, "mixed.jsonl"),
    ascii: join(dir, "ascii.jsonl"),
    messy: join(dir, "messy.jsonl"),
    pairs: join(dir, "pairs.jsonl"),
  };
  if (!existsSync(files.small!)) await writeSyntheticSft(files.small!, 300, 200);
  if (!existsSync(files.mid!)) await writeSyntheticSft(files.mid!, 3000, 600);
  if (!existsSync(files.big!)) await writeSyntheticSft(files.big!, 20_000);
  if (!existsSync(files.mixed!)) writeMixed(files.mixed!, {});
  if (!existsSync(files.ascii!)) writeMixed(files.ascii!, { asciiOnly: true });
  if (!existsSync(files.messy!)) writeMixed(files.messy!, { messy: true });
  if (!existsSync(files.pairs!)) writeMixed(files.pairs!, { preference: true });
  return files;
}

/** Writes every output for every dataset into `out` (version strings removed). */
export async function writeSnapshot(out: string, data: Record<string, string>): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const clean = (text: string): string => text.replaceAll(/"charterVersion": "[^"]*"/g, "");
  for (const [name, file] of Object.entries(data)) {
    const invalid = name === "messy" ? ["--skip-invalid"] : [];
    writeFileSync(
      join(out, `${name}.inspect.json`),
      clean(await charter(["inspect", file, "--json", ...invalid])),
    );
    writeFileSync(
      join(out, `${name}.inspect-no-near.json`),
      clean(await charter(["inspect", file, "--json", "--no-near", ...invalid])),
    );
    writeFileSync(
      join(out, `${name}.inspect.txt`),
      await charter(["inspect", file, "--no-near", ...invalid]),
    );
    const filtered = join(out, `${name}-filter`);
    writeFileSync(
      join(out, `${name}.filter.txt`),
      (
        await charter([
          "filter",
          file,
          "--out",
          filtered,
          "--dedup",
          "exact,near",
          "--drop",
          "refusal,hedge,identity,cutoff,empty",
          ...invalid,
        ])
      ).replaceAll(out, "<out>"),
    );
    if (name === "messy")
      writeFileSync(join(out, `${name}.strict.txt`), await charter(["inspect", file, "--no-near"]));
  }
  // The comparison of two generations, and the file names the reports print, kept apart.
  writeFileSync(
    join(out, "compare.txt"),
    await charter(["inspect", data.small!, "--compare", data.mid!, "--no-near"]),
  );
  for (const name of Object.keys(data))
    for (const suffix of [".inspect.json", ".inspect-no-near.json", ".inspect.txt"]) {
      const path = join(out, name + suffix);
      writeFileSync(path, readFileSync(path, "utf8").replaceAll(data[name]!, `<${name}>`));
    }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (out === undefined) throw new Error("usage: tsx bench/quality-snapshot.ts OUT_DIR [DATA_DIR]");
  const data = await snapshotData(process.argv[3] ?? join(tmpdir(), "charter-quality-snapshot"));
  await writeSnapshot(out, data);
}
