// `--tier batch` killed with SIGKILL at each stage of a batch's life (the real CLI in a child
// process): after the upload, after `create` (before its id reaches the journal), while the batch
// runs and while its results download. The next run resumes the same batches: the server counts
// every custom_id it was sent in a batch, and none was sent twice; the datasets equal a standard run's.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { BatchEvent } from "../fixtures/batch-endpoints.js";
import { startCharter } from "./charter-process.js";
import { lockPrompts, protocolServer, reviseFolder, revise } from "./revise-fixture.js";

const server = protocolServer();

const rows = lockPrompts(4);
const env = { ANTHROPIC_API_KEY: "k", CHARTER_BATCH_POLL_SECONDS: "0.02" };

function datasets(out: string): string[] {
  return ["sft.jsonl", "pairs.jsonl"].map((name) =>
    existsSync(join(out, name)) ? readFileSync(join(out, name), "utf8") : "<none>",
  );
}

/** Where the child dies: the first event of this kind, with the answer held back where it matters. */
const STAGES = {
  "after the upload": { event: "file-created", hold: { uploadDelayMs: 3000 } },
  "after create, before the id is journaled": {
    event: "batch-created",
    hold: { createDelayMs: 3000 },
  },
  "while the batch runs": { event: "batch-state", hold: {} },
  "while the results download": { event: "download-started", hold: { downloadDelayMs: 3000 } },
} as const;

type Stage = keyof typeof STAGES;
const cases: ["openai" | "anthropic", Stage][] = [
  ["openai", "after the upload"],
  ["openai", "after create, before the id is journaled"],
  ["openai", "while the batch runs"],
  ["openai", "while the results download"],
  // Anthropic takes the requests with the create call: there is no separate upload.
  ["anthropic", "after create, before the id is journaled"],
  ["anthropic", "while the batch runs"],
  ["anthropic", "while the results download"],
];

describe.each(cases)("revise --tier batch (%s) killed %s", (provider, stage) => {
  it("resumes the same batches: nothing sent twice, the standard run's bytes", async () => {
    const { dir, args } = reviseFolder(server, provider, rows);
    const reference = await revise(args("standard"), dir, env);
    expect(reference.code).toBe(0);
    server.reset();

    const { event, hold } = STAGES[stage];
    Object.assign(server.batches.options, hold);
    const child = startCharter(["revise", ...args("batch", "--tier", "batch")], env);
    let killedAt: BatchEvent | undefined;
    const stop = server.batches.on((happened) => {
      if (killedAt !== undefined || happened.type !== event) return;
      killedAt = happened;
      child.child.kill("SIGKILL");
    });
    const killed = await child.done;
    stop();
    expect(killedAt, killed.stderr).toBeDefined();
    expect(killed.signal).toBe("SIGKILL");
    const journal = join(dir, "batch", ".journal", "batches.jsonl");
    expect(existsSync(journal)).toBe(true);
    Object.assign(server.batches.options, {
      uploadDelayMs: 0,
      createDelayMs: 0,
      downloadDelayMs: 0,
    });

    const resumed = await revise(args("batch", "--tier", "batch"), dir, env);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(datasets(join(dir, "batch"))).toEqual(datasets(join(dir, "standard")));
    // Counted at the server: no request was put in two batches, none went the standard way.
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    if (stage === "after create, before the id is journaled") {
      // The batch the dead run created was found again (by its metadata, or count and time).
      const first = server.batches.events.find((e) => e.type === "batch-created");
      expect(readFileSync(journal, "utf8")).toContain(
        `"batch":"${first?.type === "batch-created" ? first.batchId : "?"}"`,
      );
    }
  });
});

describe("revise --tier batch stopped with Ctrl-C while its batch runs", () => {
  it("stops polling at once, and the next run collects the same batch", async () => {
    const { dir, args } = reviseFolder(server, "openai", rows);
    const reference = await revise(args("standard"), dir, env);
    expect(reference.code).toBe(0);
    server.reset();
    // The batch stays in progress until the test lets it go on; Ctrl-C comes as it is created.
    server.batches.options.retrievesPerState = 1_000_000;
    const controller = new AbortController();
    const stop = server.batches.on((event) => {
      if (event.type === "batch-created") controller.abort();
    });
    const stopped = await revise(args("batch", "--tier", "batch"), dir, env, controller.signal);
    stop();
    expect(stopped.code).toBe(130);
    const polls = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.requests.length).toBe(polls);

    server.batches.options.retrievesPerState = 1;
    const resumed = await revise(args("batch", "--tier", "batch"), dir, env);
    expect(resumed.code).toBe(0);
    expect(datasets(join(dir, "batch"))).toEqual(datasets(join(dir, "standard")));
    expect(server.batches.duplicates()).toEqual(new Map());
  });
});

describe("revise --tier batch killed while a resume compacts its batch journal", () => {
  it("keeps the old journal or the new one: nothing sent twice, the standard run's bytes", async () => {
    const { dir, args } = reviseFolder(server, "openai", rows);
    const reference = await revise(args("standard"), dir, env);
    expect(reference.code).toBe(0);
    server.reset();
    // Two items at a time: items 0-1 take three steps, then items 2-3 start.
    const batchArgs = args("batch", "--tier", "batch", "--concurrency", "2");

    // First run: killed while items 2-3's first batch runs, items 0-1's three batches collected.
    const first = startCharter(["revise", ...batchArgs], env);
    const created: string[] = [];
    const stop = server.batches.on((event) => {
      if (event.type === "batch-created") created.push(event.batchId);
      if (event.type === "batch-state" && created.length === 4) first.child.kill("SIGKILL");
    });
    const killed = await first.done;
    stop();
    expect(killed.signal, killed.stderr).toBe("SIGKILL");
    const journalDir = join(dir, "batch", ".journal");
    const journal = join(journalDir, "batches.jsonl");
    const before = readFileSync(journal, "utf8");
    const collected = before
      .split("\n")
      .filter((line) => line.includes('"t":"batch-collected"'))
      .map((line) => (JSON.parse(line) as { intent: string }).intent);
    expect(collected).toHaveLength(3);
    expect(before).toContain(
      `"t":"batch-intent","model":"openai:fixture-model","intent":"${collected[0]}"`,
    );

    // Second run: dies inside the compaction, its new journal written but not yet renamed.
    const preload = fileURLToPath(new URL("../fixtures/kill-at-rename.mjs", import.meta.url));
    const compacting = await startCharter(["revise", ...batchArgs], {
      ...env,
      NODE_OPTIONS: `--import=${preload}`,
      CHARTER_KILL_AT_RENAME: "batches.jsonl.tmp-",
    }).done;
    expect(compacting.signal, compacting.stderr).toBe("SIGKILL");
    expect(
      readdirSync(journalDir).filter((name) => name.startsWith("batches.jsonl.tmp-")),
    ).toHaveLength(1);
    expect(readFileSync(journal, "utf8")).toBe(before);

    // Third run: compacts, follows items 2-3's first batch, sends their next two; nothing twice.
    const resumed = await revise(batchArgs, dir, env);
    expect(resumed.stderr).toBe("");
    expect(resumed.code).toBe(0);
    expect(datasets(join(dir, "batch"))).toEqual(datasets(join(dir, "standard")));
    expect(server.batches.duplicates()).toEqual(new Map());
    expect(server.requests.filter((request) => request.format !== "unknown")).toEqual([]);
    const after = readFileSync(journal, "utf8");
    // The collected intent is gone; its batch id stays (stats.json lists every batch).
    expect(after).not.toContain(
      `"t":"batch-intent","model":"openai:fixture-model","intent":"${collected[0]}"`,
    );
    expect(readdirSync(journalDir).filter((name) => name.startsWith("batches.jsonl.tmp-"))).toEqual(
      [],
    );
    const stats = JSON.parse(readFileSync(join(dir, "batch", "stats.json"), "utf8")) as {
      batches: Record<string, string[]>;
    };
    expect(stats.batches["openai:fixture-model"]).toEqual(
      server.batches.events.flatMap((event) =>
        event.type === "batch-created" ? [event.batchId] : [],
      ),
    );
  });
});
