// What the engine tells the batch tier about its items (`activity`): each item it admits, and after
// each write of its journal an index below which every item's outcome is in the journal (checked by
// reading the journal at that moment), `Infinity` only when the run ends with every item settled.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runItems, type EngineActivity } from "../../src/runtime/index.js";
import { baseOptions, makeProcess, tempFolders } from "./helpers.js";

const folder = tempFolders();

/** Indexes of the items whose outcome (done or failed) is in the run journal now. */
function journaled(dir: string): Set<number> {
  const path = join(dir, ".journal", "journal.jsonl");
  if (!existsSync(path)) return new Set();
  const indexes = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.startsWith('{"t":"item"'))
    .map((line) => (JSON.parse(line) as { i: number }).i);
  return new Set(indexes);
}

function recording(dir: string) {
  const admitted: number[] = [];
  const reports: { below: number; journaled: Set<number> }[] = [];
  const activity: EngineActivity = {
    engineBusy: () => undefined,
    itemAdmitted: (index) => admitted.push(index),
    itemsJournaled: (below) => reports.push({ below, journaled: journaled(dir) }),
  };
  return { activity, admitted, reports };
}

describe("the engine's activity reports", () => {
  it("says which items are journaled, a slow item holding the index back, then Infinity", async () => {
    const dir = folder();
    const { activity, admitted, reports } = recording(dir);
    const summary = await runItems({
      ...baseOptions(dir, 8),
      concurrency: 3,
      // Item 2 is slow; item 5 fails (a failed item's outcome is journaled too).
      process: makeProcess(
        (item) => (item.index === 2 ? 80 : 5),
        (item) => item.index === 5,
      ),
      activity,
    });
    expect(summary.status).toBe("complete-with-failures");
    expect(admitted).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const belows = reports.map((report) => report.below);
    expect(belows.at(-1)).toBe(Number.POSITIVE_INFINITY);
    for (let n = 1; n < belows.length; n++)
      expect(belows[n] ?? 0).toBeGreaterThan(belows[n - 1] ?? 0);
    // While item 2 ran, the items after it finished, yet the index stayed at 2: the next report
    // jumps past all of them at once.
    const held = belows.indexOf(2);
    expect(held).toBeGreaterThanOrEqual(0);
    expect(belows[held + 1]).toBeGreaterThan(3);
    for (const report of reports.slice(0, -1))
      for (let index = 0; index < report.below; index++)
        expect(report.journaled.has(index), `item ${index} below ${report.below}`).toBe(true);
  });

  it("never says Infinity for an interrupted run", async () => {
    const dir = folder();
    const { activity, reports } = recording(dir);
    const controller = new AbortController();
    const summary = await runItems({
      ...baseOptions(dir, 8),
      concurrency: 2,
      process: async (item, context) => {
        if (item.index === 3) controller.abort();
        return makeProcess(() => 5)(item, context);
      },
      signal: controller.signal,
      activity,
    });
    expect(summary.status).toBe("interrupted");
    expect(reports.map((report) => report.below)).not.toContain(Number.POSITIVE_INFINITY);
    for (const report of reports)
      for (let index = 0; index < report.below; index++)
        expect(report.journaled.has(index)).toBe(true);
  });
});
