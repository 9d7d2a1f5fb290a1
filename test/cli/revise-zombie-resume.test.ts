// `charter revise` killed with SIGKILL under a parent that never reaps it (as in a container whose
// first process does not): the killed run stays a zombie holding the folder's lock, and running
// the same command again must resume, not refuse the folder as busy.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterCommand, REPO_ROOT, runCharter } from "./charter-process.js";
import {
  openaiRunArgs,
  protocolHandler,
  readLines,
  tempDir,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler, latencyMs: 20, eachTest: "none" });

const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`;

function procState(pid: number): string | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    return text.slice(text.lastIndexOf(")") + 2).split(" ")[0];
  } catch {
    return undefined;
  }
}

it.runIf(procState(process.pid) !== undefined)(
  "resumes right after kill -9 while the killed run is still an unreaped zombie",
  async () => {
    const dir = tempDir();
    const rows = Array.from({ length: 30 }, (_, i) => ({ id: `z${i}`, prompt: `Prompt ${i}` }));
    const files = { constitution: writeConstitution(dir), prompts: writePrompts(dir, rows) };
    const out = join(dir, "run");
    const args = [
      "revise",
      ...openaiRunArgs(files, server.openaiBaseUrl, out, "--concurrency", "2", "--no-cache"),
    ];
    // The shell starts charter in the background, prints its pid, then becomes `sleep`, which
    // never waits for children: once killed, charter stays a zombie as long as the sleep runs.
    const script = `${charterCommand(args).map(quote).join(" ")} >/dev/null 2>&1 & echo $!; exec sleep 120`;
    const parent = spawn("sh", ["-c", script], {
      cwd: REPO_ROOT,
      stdio: ["ignore", "pipe", "ignore"],
      env: { ...process.env, OPENAI_API_KEY: "" },
    });
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      while (server.requests.length < 40) {
        expect(procState(pid), "charter ended before it could be killed").not.toBe("Z");
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      process.kill(pid, "SIGKILL");
      for (let i = 0; i < 500 && procState(pid) !== "Z"; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      expect(procState(pid)).toBe("Z");
      expect(readFileSync(join(out, ".journal/lock"), "utf8")).toMatch(new RegExp(`^${pid}\\b`));

      const resumed = await runCharter(args);
      expect(resumed.stderr).toBe("");
      expect(resumed.code).toBe(0);
      expect(procState(pid)).toBe("Z"); // still unreaped: the resume did not wait for that
      expect(readLines(join(out, "sft.jsonl"))).toHaveLength(30);
      expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8")).resumed).toBeGreaterThan(0);
    } finally {
      parent.kill("SIGKILL");
    }
  },
  60_000,
);
