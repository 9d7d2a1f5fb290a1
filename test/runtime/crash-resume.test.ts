import { spawn } from "node:child_process";
import { readFileSync, writeFileSync, truncateSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readManifest, runItems, seededRandom } from "../../src/runtime/index.js";
import { crashOptions } from "./fixtures/crash-options.js";
import { firstDifference, tempFolders } from "./helpers.js";

const folder = tempFolders();

const script = fileURLToPath(new URL("./fixtures/crash-run.ts", import.meta.url));
const COUNT = 400;

/** Start the child run; once it reports items flowing, wait `delayMs` and SIGKILL it. */
function runAndKill(dir: string, delayMs: number): Promise<"killed" | "finished"> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, dir, String(COUNT)], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("started") && !output.includes("armed")) {
        output += "armed";
        setTimeout(() => child.kill("SIGKILL"), delayMs);
      }
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve("killed");
      else if (code === 0) resolve("finished");
      else reject(new Error(`child exited with ${code}`));
    });
  });
}

const writeCrasher = fileURLToPath(new URL("./fixtures/crash-at-write.ts", import.meta.url));

/** Run the child that tears its Nth write and SIGKILLs itself (or finishes first). */
function crashAtWrite(
  dir: string,
  count: number,
  when: number | string,
  failures: "failures" | "no-failures" = "failures",
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", writeCrasher, dir, String(count), String(when), failures],
      {
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      signal === "SIGKILL" || code === 0
        ? resolve()
        : reject(new Error(`child exited with ${code}`)),
    );
  });
}

describe("resume after a crash", () => {
  it("equals an uninterrupted run byte for byte after SIGKILLs at random moments", async () => {
    const reference = folder();
    await runItems(crashOptions(reference, COUNT, 12));

    const dir = folder();
    const random = seededRandom(2026, "kill-points");
    const outcomes: string[] = [];
    for (let kill = 0; kill < 6; kill++) outcomes.push(await runAndKill(dir, random.int(70)));
    expect(
      outcomes.filter((outcome) => outcome === "killed").length,
      outcomes.join(" "),
    ).toBeGreaterThan(2);
    const summary = await runItems(crashOptions(dir, COUNT, 12));
    expect(summary.status).toBe("complete-with-failures");
    expect(summary.failures.map((failure) => failure.id)).toEqual(
      Array.from({ length: COUNT }, (_, index) => index)
        .filter((index) => index % 41 === 7)
        .map((index) => `item-${index}`),
    );
    expect(firstDifference(dir, reference)).toBe("");
  }, 60_000);

  it("equals an uninterrupted run after torn writes at seeded write calls, in runs and resumes", async () => {
    const reference = folder();
    await runItems(crashOptions(reference, 120, 3));
    const random = seededRandom(11, "write-crashes");
    // A full run makes about 120 write calls, a resume that retries the failures about 25.
    const plans = [
      [1, 1],
      [2, 3],
      ...Array.from({ length: 3 }, () => [1 + random.int(119), 1 + random.int(25)]),
    ];
    for (const [first = 1, second = 1] of plans) {
      const dir = folder();
      await crashAtWrite(dir, 120, first);
      await crashAtWrite(dir, 120, second);
      await runItems(crashOptions(dir, 120, 3));
      expect(firstDifference(dir, reference), `crashes at writes ${first}, ${second}`).toBe("");
    }
  }, 60_000);

  it("resumes after a crash inside each atomic file write (lock, manifest, stats, journal compaction)", async () => {
    const reference = folder();
    await runItems(crashOptions(reference, 60, 3, false));
    const points = [
      "lock:1",
      "rename:manifest.json:1",
      "rename:stats.json:1",
      "rename:manifest.json:2",
      "rename:journal.jsonl:1",
    ];
    for (const point of points) {
      const dir = folder();
      await crashAtWrite(dir, 60, point, "no-failures");
      const summary = await runItems(crashOptions(dir, 60, 3, false));
      expect(["complete", "already-complete"], point).toContain(summary.status);
      expect(firstDifference(dir, reference), point).toBe("");
      expect(readManifest(dir)?.status, point).toBe("complete");
    }
  }, 60_000);

  it("equals an uninterrupted run when the journal is cut at any point", async () => {
    const reference = folder();
    await runItems(crashOptions(reference, 60));
    const journal = readFileSync(join(reference, ".journal/journal.jsonl"));
    const manifest = JSON.parse(readFileSync(join(reference, "manifest.json"), "utf8")) as object;
    const random = seededRandom(5, "cuts");
    // Cut points: line ends, just before newlines, and random bytes inside lines.
    const cuts = new Set<number>([0, journal.length]);
    for (let at = journal.indexOf(10); at !== -1; at = journal.indexOf(10, at + 1)) {
      if (random.int(6) === 0) cuts.add(at + 1);
      if (random.int(12) === 0) cuts.add(at);
    }
    for (let n = 0; n < 8; n++) cuts.add(random.int(journal.length));
    for (const cut of cuts) {
      // The state a crash could leave: the journal up to `cut`, and ordered files at least as long
      // as the journal's last commit says (here: as long as they got).
      const dir = folder();
      await runItems({ ...crashOptions(dir, 60), items: (async function* () {})() });
      writeFileSync(join(dir, ".journal/journal.jsonl"), journal.subarray(0, cut));
      writeFileSync(join(dir, "manifest.json"), JSON.stringify({ ...manifest, status: "running" }));
      for (const file of ["sft.jsonl", "pairs.jsonl", "trace.jsonl", ".journal/positions.jsonl"])
        writeFileSync(join(dir, file), readFileSync(join(reference, file)));
      await runItems(crashOptions(dir, 60));
      expect(firstDifference(dir, reference), `journal cut at byte ${cut}`).toBe("");
    }
  }, 60_000);

  it("ignores a torn last line in the journal and in the outputs", async () => {
    const reference = folder();
    await runItems(crashOptions(reference, 40));
    const dir = folder();
    const controller = new AbortController();
    await runItems({
      ...crashOptions(dir, 40),
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.done >= 15) controller.abort();
      },
    });
    writeFileSync(join(dir, ".journal/journal.jsonl"), '{"t":"item","i":39,"id":"item-3', {
      flag: "a",
    });
    writeFileSync(join(dir, "sft.jsonl"), '{"id":"torn', { flag: "a" });
    writeFileSync(join(dir, "trace.jsonl"), '{"item":"item-2', { flag: "a" });
    await runItems(crashOptions(dir, 40));
    expect(firstDifference(dir, reference)).toBe("");
  });

  it("refuses a folder whose files are shorter than the journal says", async () => {
    const dir = folder();
    await runItems({
      ...crashOptions(dir, 20),
      process: async () => {
        throw new Error("x");
      },
    });
    const size = statSync(join(dir, ".journal/positions.jsonl")).size;
    truncateSync(join(dir, ".journal/positions.jsonl"), size - 5);
    await expect(runItems(crashOptions(dir, 20))).rejects.toMatchObject({
      code: "run-folder-damaged",
    });
  });
});
