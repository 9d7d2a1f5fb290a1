// A run folder remembers its input (path, size, sha256): `charter revise` on a changed prompts file
// is refused, saying what changed, even when the folder had finished; `--extend` runs rows added
// at the end (and only those), refuses edits to earlier rows, and works with shards and merge.
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { runCharter } from "./charter-process.js";
import { captureIO } from "./cli-io.js";
import {
  openaiRunArgs,
  protocolHandler,
  readLines,
  revise,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler, eachTest: "none" });

const row = (i: number) => ({ id: `p${i}`, prompt: `Prompt ${i} about a lock` });
const rows = (count: number) => Array.from({ length: count }, (_, i) => row(i));
const jsonl = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item)).join("\n");
const ids = (path: string) => (readLines(path) as { id: string }[]).map((entry) => entry.id);

function setup(count: number) {
  const dir = tempDir();
  const files = { constitution: writeConstitution(dir), prompts: writePrompts(dir, rows(count)) };
  const args = (out: string, ...more: string[]) =>
    openaiRunArgs(files, server.openaiBaseUrl, join(dir, out), "--max-retries", "0", ...more);
  return { dir, files, args, out: (name: string, file: string) => join(dir, name, file) };
}

describe("charter revise on a changed input (the charter process)", () => {
  it("refuses a finished folder whose input grew, and --extend runs just the new rows", async () => {
    const { files, args, out } = setup(3);
    const first = await runCharter(["revise", ...args("run")]);
    expect(first.code).toBe(0);
    const manifest = JSON.parse(readFileSync(out("run", "manifest.json"), "utf8"));
    const size = readFileSync(files.prompts).length;
    expect(manifest.inputs).toEqual([
      { path: files.prompts, size, sha256: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) },
    ]);

    appendFileSync(files.prompts, `${JSON.stringify(row(3))}\n`);
    const refused = await runCharter(["revise", ...args("run")]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("was run on other input, so it cannot be resumed");
    expect(refused.stderr).toContain(`${files.prompts}: ${size} bytes sha256:`);
    expect(refused.stderr).toContain(`-> ${readFileSync(files.prompts).length} bytes sha256:`);
    expect(refused.stderr).toContain("--extend");
    expect(ids(out("run", "sft.jsonl"))).toEqual(["p0", "p1", "p2"]);

    server.reset();
    const extended = await runCharter(["revise", ...args("run", "--extend")]);
    expect(extended.stderr).toBe("");
    expect(extended.code).toBe(0);
    expect(ids(out("run", "sft.jsonl"))).toEqual(["p0", "p1", "p2", "p3"]);
    // Only the new row was sent to the model.
    const prompts = new Set(
      server.requests.map(
        (request) => (request.body as { messages: { content: string }[] }).messages[0]?.content,
      ),
    );
    expect([...prompts]).toEqual(["Prompt 3 about a lock"]);
    const stats = JSON.parse(readFileSync(out("run", "stats.json"), "utf8"));
    expect(stats).toMatchObject({ items: 4, done: 4, failed: 0 });
    const after = JSON.parse(readFileSync(out("run", "manifest.json"), "utf8"));
    expect(after.status).toBe("complete");
    expect(after.inputs[0].size).toBe(readFileSync(files.prompts).length);
    // Finished again: the same command now leaves it alone.
    const again = await runCharter(["revise", ...args("run")]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already complete");
  }, 60_000);

  it("refuses --extend when earlier rows were edited, not only added", async () => {
    const { files, args } = setup(3);
    expect((await runCharter(["revise", ...args("run")])).code).toBe(0);
    const edited = rows(4).map((entry, i) => (i === 1 ? { ...entry, prompt: "Changed" } : entry));
    writeFileSync(files.prompts, `${jsonl(edited)}\n`);
    const refused = await runCharter(["revise", ...args("run", "--extend")]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("cannot be extended: --extend runs rows added at the end");
  }, 60_000);
});

describe("charter revise --extend with shards and merge", () => {
  it("extended shards merge into the folder an unsharded run of the grown input writes", async () => {
    const { dir, files, args, out } = setup(6);
    for (const shard of ["0/2", "1/2"])
      expect((await revise(args(`s${shard[0]}`, "--shard", shard), dir)).code).toBe(0);
    appendFileSync(files.prompts, `${jsonl([row(6), row(7), row(8)])}\n`);
    expect((await revise(args("whole"), dir)).code).toBe(0);

    expect((await revise(args("s0", "--shard", "0/2", "--extend"), dir)).code).toBe(0);
    // One shard extended, the other not: they read different inputs and do not merge.
    const mixed = captureIO(dir);
    expect(await main(["merge", "--out", "mixed", "s0", "s1"], mixed)).toBe(1);
    expect(mixed.err()).toContain("is not a shard of the same run");
    expect(mixed.err()).toContain(`input ${files.prompts}:`);

    expect((await revise(args("s1", "--shard", "1/2", "--extend"), dir)).code).toBe(0);
    const merged = captureIO(dir);
    expect(await main(["merge", "--out", "merged", "s0", "s1"], merged)).toBe(0);
    for (const file of ["sft.jsonl", "pairs.jsonl"])
      expect(readFileSync(out("merged", file), "utf8")).toBe(
        readFileSync(out("whole", file), "utf8"),
      );
    const manifest = JSON.parse(readFileSync(out("merged", "manifest.json"), "utf8"));
    expect(manifest.inputs).toEqual(
      JSON.parse(readFileSync(out("whole", "manifest.json"), "utf8")).inputs,
    );
  }, 60_000);
});
