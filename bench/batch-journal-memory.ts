// Peak memory of a batch-tier resume over a large batch journal: a synthetic
// `.journal/batches.jsonl` of N requests in batches of 50,000 (OpenAI's limit), then a fresh
// process whose batch collector opens it (as a resumed run's first batch does) and sends one
// request, reading its own peak RSS. Two journals: "collected" (every batch but the last collected:
// a long run killed in its last step) and "nothing collected yet" (no batch-collected records: a run
// stopped after sending its batches and before any result came back, as many as fit in its item
// window; or what earlier versions wrote, never collecting after a resume or with the response cache
// off). The figure to read is the peak RSS over an idle process's, per request journaled. Run by
// hand (it writes up to ~400 MB):
// `npx tsx bench/batch-journal-memory.ts 7000000 [--src OTHER/src]` (--src: another checkout's
// sources, e.g. the version before, for a before/after figure).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const PER_BATCH = 50_000;
const MODEL = "openai:bench";

/** Writes the journal; its size in bytes. */
function writeJournal(dir: string, requests: number, collected: boolean): number {
  mkdirSync(join(dir, ".journal"), { recursive: true });
  const path = join(dir, ".journal", "batches.jsonl");
  const fd = openSync(path, "w");
  const batches = Math.ceil(requests / PER_BATCH);
  for (let b = 0; b < batches; b++) {
    const count = Math.min(PER_BATCH, requests - b * PER_BATCH);
    const ids = Array.from({ length: count }, (_, n) => {
      const hash = createHash("sha1").update(`${b}:${n}`).digest("hex");
      return `${["reply", "critique", "revision"][n % 3]}-${hash}`;
    });
    const intent = `intent${String(b).padStart(18, "0")}`;
    const batch = `batch_${String(b).padStart(24, "0")}`;
    const lines = [
      {
        t: "batch-intent",
        model: MODEL,
        intent,
        ids,
        at: 1_700_000_000_000 + b,
        before: (b + 1) * PER_BATCH,
      },
      { t: "batch-file", model: MODEL, intent, file: `file-${b}` },
      { t: "batch", model: MODEL, intent, batch },
      ...(collected && b < batches - 1
        ? [{ t: "batch-collected", model: MODEL, intent, batch }]
        : []),
    ];
    writeSync(fd, lines.map((line) => `${JSON.stringify(line)}\n`).join(""));
  }
  closeSync(fd);
  return statSync(path).size;
}

interface Measured {
  readonly peakMb: number;
  readonly ms: number;
}

/** A fresh process opens the journal through the batch collector (its first batch) and sends one request. */
function resumeChild(src: string, dir: string | undefined): Measured {
  const script = `
    const { BatchCollector } = await import(${JSON.stringify(join(src, "providers/batch-collector.ts"))});
    const { openBatchLog } = await import(${JSON.stringify(join(src, "runtime/run-folder.ts"))});
    const { systemClock } = await import(${JSON.stringify(join(src, "providers/clock.ts"))});
    const reply = { text: "ok", usage: { inputTokens: 1, outputTokens: 1, cachedTokens: 0 }, model: "m" };
    let lines = [];
    const api = {
      provider: "openai", maxRequests: 50000, maxBytes: 200e6,
      line: (request) => ({ customId: "reply-new", json: JSON.stringify(request.messages) }),
      create: async (made) => { lines = made; return "batch_new"; },
      retrieve: async () => ({ state: "ended", total: 1, done: 1 }),
      results: async () => new Map(lines.map((line) => [line.customId, { ok: true, reply }])),
      findIntent: async () => undefined,
    };
    const dir = ${JSON.stringify(dir ?? null)};
    const log = dir === null ? { records: () => [], read: () => [], append() {}, rewrite() {} } : openBatchLog(dir);
    const collector = new BatchCollector({ api, model: ${JSON.stringify(MODEL)}, log: () => log, clock: systemClock, pollMs: 1, quietMs: 1 });
    const started = performance.now();
    await collector.submit({ messages: [{ role: "user", content: "one more" }], purpose: "reply" }, new AbortController().signal);
    console.log(JSON.stringify({ peakMb: process.resourceUsage().maxRSS / 1024, ms: performance.now() - started }));
  `;
  const stdout = execFileSync(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { cwd: root, encoding: "utf8", maxBuffer: 1 << 24 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Measured;
}

export function measureJournalMemory(requests: number, sources: readonly string[]): void {
  const dir = mkdtempSync(join(tmpdir(), "charter-batch-journal-"));
  try {
    for (const collected of [true, false]) {
      const bytes = writeJournal(dir, requests, collected);
      for (const src of sources) {
        const idle = resumeChild(src, undefined);
        // Each run compacts a collected journal: write it again for the next source.
        const resumed = resumeChild(src, dir);
        if (sources.length > 1) writeJournal(dir, requests, collected);
        const perRequest = ((resumed.peakMb - idle.peakMb) * 1024 * 1024) / requests;
        console.log(
          `${requests.toLocaleString("en")} requests, ${collected ? "all but the last batch collected" : "nothing collected yet"} ` +
            `(${(bytes / 1e6).toFixed(0)} MB journal), ${src === join(root, "src") ? "this version" : src}: ` +
            `peak RSS ${resumed.peakMb.toFixed(0)} MB (idle ${idle.peakMb.toFixed(0)} MB: ${perRequest.toFixed(0)} B per request), ` +
            `opened in ${(resumed.ms / 1000).toFixed(1)} s`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const other = args.indexOf("--src");
  const sources = [join(root, "src")];
  if (other >= 0 && args[other + 1] !== undefined) sources.unshift(resolve(args[other + 1] ?? ""));
  measureJournalMemory(Number(args.find((arg) => /^\d+$/.test(arg)) ?? 1_000_000), sources);
}
