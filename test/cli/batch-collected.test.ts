// The batch journal forgets a batch once every item that asked it is in the run journal: also a
// batch that a resumed run followed (sent by the run before it), also without a response cache
// (`--no-cache`), and every batch when the run ends. The real CLI in child processes, killed with
// SIGKILL while a batch runs; the test server counts every custom_id it was sent in a batch.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { startCharter } from "./charter-process.js";
import { lockPrompts, protocolServer, reviseFolder, revise } from "./revise-fixture.js";

const server = protocolServer();

const rows = lockPrompts(4);
const env = { ANTHROPIC_API_KEY: "k", CHARTER_BATCH_POLL_SECONDS: "0.02" };

interface Journaled {
  readonly t: string;
  readonly intent: string;
  readonly batch?: string;
}

function journal(dir: string): Journaled[] {
  const path = join(dir, ".journal", "batches.jsonl");
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Journaled);
}

/** Intents of the journal, each with whether it was collected. */
function intents(dir: string): { batch: string | undefined; collected: boolean }[] {
  const records = journal(dir);
  return records
    .filter((record) => record.t === "batch-intent")
    .map((intent) => ({
      batch: records.find((record) => record.t === "batch" && record.intent === intent.intent)
        ?.batch,
      collected: records.some(
        (record) => record.t === "batch-collected" && record.intent === intent.intent,
      ),
    }));
}

function datasets(out: string): string[] {
  return ["sft.jsonl", "pairs.jsonl"].map((name) =>
    existsSync(join(out, name)) ? readFileSync(join(out, name), "utf8") : "<none>",
  );
}

/** Runs the batch-tier command in a child, killed as the `nth` batch it creates starts running. */
async function killedAtBatch(args: readonly string[], nth: number): Promise<string[]> {
  const child = startCharter(["revise", ...args], env);
  const created: string[] = [];
  const stop = server.batches.on((event) => {
    if (event.type === "batch-created") created.push(event.batchId);
    if (event.type === "batch-state" && event.batchId === created[nth - 1])
      child.child.kill("SIGKILL");
  });
  const killed = await child.done;
  stop();
  expect(killed.signal, killed.stderr).toBe("SIGKILL");
  return created;
}

const cases: ["openai" | "anthropic", string[]][] = [
  ["openai", []],
  ["anthropic", []],
  ["openai", ["--no-cache"]],
];

describe.each(cases)("revise --tier batch (%s %j), two items at a time", (provider, extra) => {
  it("collects every batch whose items are journaled, across a resume; none is left at the end", async () => {
    const folder = reviseFolder(server, provider, rows);
    const dir = folder.dir;
    const out = join(dir, "batch");
    const args = (name: string, ...more: string[]) => folder.args(name, ...extra, ...more);
    const reference = await revise(args("standard"), dir, env);
    expect(reference.code, reference.stderr).toBe(0);
    server.reset();
    // Two items in flight: items 0-1 take three steps (reply, critique, revision), then 2-3 do.
    const batchArgs = args("batch", "--tier", "batch", "--concurrency", "2");

    // First run: dies while its first batch (items 0-1's replies) runs.
    const first = await killedAtBatch(batchArgs, 1);
    expect(intents(out)).toEqual([{ batch: first[0], collected: false }]);

    // Second run: follows that batch, sends items 0-1's next two steps, journals items 0-1, and
    // dies while items 2-3's first batch runs. Every batch of items 0-1 is collected, the one the
    // first run sent too: no run asks them again.
    const second = await killedAtBatch(batchArgs, 3);
    expect(second).toHaveLength(3);
    expect(intents(out)).toEqual([
      { batch: first[0], collected: true },
      { batch: second[0], collected: true },
      { batch: second[1], collected: true },
      { batch: second[2], collected: false },
    ]);

    // Third run: finishes; nothing was sent twice, and the journal keeps only the batch ids.
    const third = await revise(batchArgs, dir, env);
    expect(third.stderr).toBe("");
    expect(third.code).toBe(0);
    expect(datasets(out)).toEqual(datasets(join(dir, "standard")));
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    const created = server.batches.events.flatMap((event) =>
      event.type === "batch-created" ? [event.batchId] : [],
    );
    expect(created).toHaveLength(6);
    expect(journal(out).map((record) => `${record.t} ${record.batch ?? ""}`)).toEqual(
      created.map((batch) => `batch ${batch}`),
    );
  });
});
