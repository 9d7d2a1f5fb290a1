import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { writeStats } from "../../src/runtime/run-folder.js";

let dir = "";
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it("writes stats counters sorted by name, whatever order items finished in", () => {
  dir = mkdtempSync(join(tmpdir(), "charter-stats-"));
  const timing = { startedAt: "a", finishedAt: "b", elapsedMs: 1, itemsPerSecond: 1 };
  const base = { items: 1, done: 1, failed: 0, failures: [], resumed: 0, timing };
  writeStats(dir, { ...base, counters: { "principle:b": 1, calls: 2, "principle:a": 3 } });
  const first = readFileSync(join(dir, "stats.json"), "utf8");
  expect(Object.keys(JSON.parse(first).counters)).toEqual(["calls", "principle:a", "principle:b"]);
  writeStats(dir, { ...base, counters: { "principle:a": 3, calls: 2, "principle:b": 1 } });
  expect(readFileSync(join(dir, "stats.json"), "utf8")).toBe(first);
});
