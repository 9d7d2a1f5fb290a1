// The run folder's batch journal (`openBatchLog`): read a line at a time across read chunks (lines
// longer than a chunk, multi-byte characters split between chunks), a torn last line cut off,
// rewritten whole, a damaged line refused by name (when read, and when a rewrite reads it).
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openBatchLog } from "../../src/runtime/index.js";

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "charter-batch-log-"));
  mkdirSync(join(dir, ".journal"));
  return dir;
}

describe("openBatchLog", () => {
  it("reads nothing from an absent journal", () => {
    expect([...openBatchLog(folder()).records()]).toEqual([]);
  });

  it("streams records across chunk boundaries and cuts a torn last line", () => {
    const dir = folder();
    const log = openBatchLog(dir);
    // ~2.6 MiB of records: some longer than the 1 MiB read chunk, "é" and "€" everywhere, so
    // some characters straddle a chunk's end.
    const records = Array.from({ length: 40 }, (_, n) => ({
      t: "batch-intent",
      n,
      ids: Array.from({ length: n % 7 === 0 ? 30_000 : 50 }, (_, k) => `é€-${n}-${k}`),
    }));
    for (const record of records) log.append(record);
    const path = join(dir, ".journal", "batches.jsonl");
    const whole = readFileSync(path);
    expect(whole.length).toBeGreaterThan(2 * 1024 * 1024);
    appendFileSync(path, '{"t":"batch","torn');
    expect(JSON.stringify([...log.records()])).toBe(JSON.stringify(records));
    expect(readFileSync(path).equals(whole)).toBe(true);
    log.append({ t: "after" });
    expect([...log.records()].at(-1)).toEqual({ t: "after" });
    // A torn line longer than a read chunk is cut off the same way.
    const before = readFileSync(path);
    appendFileSync(path, `{"t":"batch-intent","ids":["${"x".repeat(1_600_000)}`);
    expect([...log.records()]).toHaveLength(records.length + 1);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it("rewrites the journal with the records kept, leaving no temporary file", () => {
    const dir = folder();
    const log = openBatchLog(dir);
    for (let n = 0; n < 10; n++) log.append({ n });
    log.rewrite((line) => (JSON.parse(line) as { n: number }).n % 3 === 0);
    expect([...log.records()]).toEqual([{ n: 0 }, { n: 3 }, { n: 6 }, { n: 9 }]);
    expect(readFileSync(join(dir, ".journal", "batches.jsonl"), "utf8")).toBe(
      '{"n":0}\n{"n":3}\n{"n":6}\n{"n":9}\n',
    );
    expect(readdirSync(join(dir, ".journal"))).toEqual(["batches.jsonl"]);
  });

  it("refuses a complete line that is not JSON, naming its line and the way to resume", () => {
    const dir = folder();
    const path = join(dir, ".journal", "batches.jsonl");
    writeFileSync(path, '{"n":1}\n\nnot json\n');
    const says = /batches\.jsonl:3: the batch journal is damaged .*move the file aside/;
    expect(() => [...openBatchLog(dir).records()]).toThrow(says);
    // A rewrite whose `keep` reads the line refuses it the same way, leaving the file as it was.
    expect(() => openBatchLog(dir).rewrite((line) => JSON.parse(line) !== null)).toThrow(says);
    expect(readdirSync(join(dir, ".journal"))).toEqual(["batches.jsonl"]);
    expect(readFileSync(path, "utf8")).toBe('{"n":1}\n\nnot json\n');
  });

  it("refuses a journal it cannot read instead of reading it as empty", () => {
    const dir = folder();
    mkdirSync(join(dir, ".journal", "batches.jsonl"));
    expect(() => [...openBatchLog(dir).records()]).toThrow(/batches\.jsonl/);
  });
});
