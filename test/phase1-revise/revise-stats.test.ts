// Phase 1's own stats.json fields: served model ids as a list, skipped rows, counters without ids.
import { describe, expect, it } from "vitest";
import { reviseStats } from "../../src/phase1-revise/run-revise.js";
import type { RunSummary } from "../../src/runtime/index.js";

function summary(counters: Record<string, number>): RunSummary {
  return {
    dir: "/tmp/run",
    status: "complete",
    items: 3,
    done: 3,
    failed: 0,
    resumed: 1,
    failures: [],
    counters,
    peakBuffered: 1,
  };
}

describe("reviseStats", () => {
  it("lists every served model id, sorted, and leaves the other counters as they were", () => {
    const stats = reviseStats(
      summary({ calls: 9, "served-model:gpt-b-2025": 3, revised: 2, "served-model:gpt-a": 6 }),
      [],
    );
    expect(stats).toEqual({
      counters: { calls: 9, revised: 2 },
      servedModels: ["gpt-a", "gpt-b-2025"],
    });
  });

  it("gives an empty list when no call was made, and lists skipped rows by line", () => {
    const stats = reviseStats(summary({}), [
      { file: "p.jsonl", line: 2, message: "not JSON" },
      { file: "p.jsonl", line: 5, message: "'prompt' must be a string" },
    ]);
    expect(stats).toEqual({
      counters: {},
      servedModels: [],
      invalidRows: {
        count: 2,
        rows: [
          { line: 2, message: "not JSON" },
          { line: 5, message: "'prompt' must be a string" },
        ],
      },
    });
  });
});
