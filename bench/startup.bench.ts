// Start-up: whole `charter` processes, as a user at a shell waits for them (node + dist/cli/main.js),
// against `node -e 0` measured in the same run, interleaved. For a revise against a local model
// server it also times when the first request arrives: the point where start-up is over.

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startModelServer } from "../test/fixtures/model-server.js";
import { median } from "./stats.js";

export const description =
  "whole charter processes (--help, check, compile, revise of one item) vs node -e 0";

const root = fileURLToPath(new URL("..", import.meta.url));
const MAIN = join(root, "dist/cli/main.js");
const ROUNDS = Number(process.env.BENCH_REPEATS ?? 9);
/** Another build measured in the same rounds, its rows marked (B): before against after. */
const COMPARE = process.env.BENCH_COMPARE;
/** The bar of issue 15: a command that compiles a constitution sends its first request by then. */
const READY_BAR_MS = 200;

/**
 * Preloaded into every measured process alike (the floor too): reports the process's own CPU time
 * on fd 3 as it exits, which a parent cannot otherwise read from Node, and the CPU time it had
 * spent when its first HTTP request was created (fetch's and node:http's diagnostics channels):
 * start-up in CPU, which the load of a shared machine does not move as it moves wall times.
 */
const CPU_REPORTER = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; import dc from 'node:diagnostics_channel';" +
    "const ms = (u) => (u.user + u.system) / 1000; let first;" +
    "const mark = () => { first ??= ms(process.cpuUsage()); };" +
    "dc.subscribe('undici:request:create', mark); dc.subscribe('http.client.request.start', mark);" +
    "process.on('exit', () => { try { writeSync(3, `${ms(process.cpuUsage())} ${first ?? ''}`); } catch {} });",
)}`;

interface Scenario {
  readonly name: string;
  /** Arguments after `node`; `out` is a fresh folder for this run. */
  readonly args: (out: string) => string[];
  /** Whether the first request at the model server is timed. */
  readonly timesFirstRequest?: boolean;
}

interface Sample {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** When the model server saw the first request, from the spawn. */
  readonly firstRequestMs?: number;
  /** The process's CPU time when it created its first request. */
  readonly firstRequestCpuMs?: number;
}

/** The newest modification time under a folder (to tell a stale dist/ from a fresh one). */
function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

/** Runs one process to its end; `firstRequest` resolves with the arrival time of a request. */
function runProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  firstRequestAt: () => number | undefined,
): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ["--import", CPU_REPORTER, ...args], {
      cwd: root,
      env,
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    let stderr = "";
    let cpu = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdio[3]?.on("data", (chunk: Buffer) => (cpu += chunk.toString("utf8")));
    child.once("error", reject);
    child.once("close", (code) => {
      const wallMs = performance.now() - start;
      if (code !== 0) {
        reject(new Error(`node ${args.join(" ")} exited ${code}:\n${stderr}`));
        return;
      }
      const arrived = firstRequestAt();
      const [total = "", atFirst = ""] = cpu.split(" ");
      resolve({
        wallMs,
        cpuMs: Number(total),
        ...(arrived !== undefined ? { firstRequestMs: arrived - start } : {}),
        ...(atFirst !== "" ? { firstRequestCpuMs: Number(atFirst) } : {}),
      });
    });
  });
}

export async function run(): Promise<void> {
  const built = statSync(MAIN, { throwIfNoEntry: false });
  if (built === undefined) {
    console.error("dist/cli/main.js is missing: run `npm run build` first");
    process.exitCode = 1;
    return;
  }
  if (newest(join(root, "src")) > built.mtimeMs)
    console.log("note: src/ changed after the last build; run `npm run build` to measure it\n");

  let firstRequest: number | undefined;
  const server = await startModelServer({
    handler: () => {
      firstRequest ??= performance.now();
      return undefined;
    },
  });
  const dir = mkdtempSync(join(tmpdir(), "charter-bench-startup-"));
  const prompts = join(dir, "one.jsonl");
  writeFileSync(
    prompts,
    `${JSON.stringify({ id: "one", prompt: "How do I keep a sourdough starter alive?" })}\n`,
  );
  const harmless = join(root, "constitutions/harmless.charter");
  const charterScenarios = (main: string, suffix: string): Scenario[] => {
    const revise = (out: string, model: string): string[] => [
      main,
      "revise",
      "--constitution",
      harmless,
      "--prompts",
      prompts,
      "--model",
      model,
      "--revisions",
      "1",
      "--out",
      out,
      "--no-cache",
      "--quiet",
    ];
    return [
      { name: `charter --help${suffix}`, args: () => [main, "--help"] },
      { name: `charter check harmless${suffix}`, args: () => [main, "check", harmless] },
      {
        name: `charter compile showcase${suffix}`,
        args: () => [main, "compile", join(root, "constitutions/showcase.charter")],
      },
      { name: `revise 1 item, offline${suffix}`, args: (out) => revise(out, "offline:rehearsal") },
      {
        name: `revise 1 item, openai${suffix}`,
        args: (out) => revise(out, `openai:bench@${server.openaiBaseUrl}`),
        timesFirstRequest: true,
      },
    ];
  };
  const scenarios: Scenario[] = [
    { name: "node -e 0", args: () => ["-e", "0"] },
    ...charterScenarios(MAIN, ""),
    ...(COMPARE === undefined ? [] : charterScenarios(COMPARE, " (B)")),
  ];
  const env = { ...process.env, OPENAI_API_KEY: "bench", ANTHROPIC_API_KEY: "" };
  const samples = new Map<string, Sample[]>(scenarios.map((scenario) => [scenario.name, []]));
  try {
    // One warm-up round (disk cache, compile cache of node itself), then interleaved rounds.
    for (let round = -1; round < ROUNDS; round++) {
      for (const scenario of scenarios) {
        firstRequest = undefined;
        const out = join(dir, `run-${round + 1}-${scenarios.indexOf(scenario)}`);
        const sample = await runProcess(scenario.args(out), env, () =>
          scenario.timesFirstRequest === true ? firstRequest : undefined,
        );
        rmSync(out, { recursive: true, force: true });
        if (round >= 0) samples.get(scenario.name)?.push(sample);
      }
    }
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const floor = samples.get("node -e 0") ?? [];
  const floorWall = median(floor.map((sample) => sample.wallMs));
  const floorCpu = median(floor.map((sample) => sample.cpuMs));
  // Wall times move with the machine's load; CPU times much less. Say what the load was.
  const [load1, load5] = loadavg();
  console.log(
    `${ROUNDS} interleaved rounds after one warm-up; medians (min) per process; ` +
      `load average ${load1?.toFixed(1)} (5 min: ${load5?.toFixed(1)}) on ${availableParallelism()} cores\n`,
  );
  console.log(
    "| process                      |   wall ms (min) | × node -e 0 |  cpu ms | cpu × floor |",
  );
  console.log(
    "| ---------------------------- | --------------- | ----------- | ------- | ----------- |",
  );
  for (const scenario of scenarios) {
    const measured = samples.get(scenario.name) ?? [];
    const wall = median(measured.map((sample) => sample.wallMs));
    const low = Math.min(...measured.map((sample) => sample.wallMs));
    const cpu = median(measured.map((sample) => sample.cpuMs));
    console.log(
      `| ${scenario.name.padEnd(28)} | ${wall.toFixed(0).padStart(6)} (${low.toFixed(0).padStart(5)}) | ${(wall / floorWall).toFixed(2).padStart(11)} | ${cpu.toFixed(0).padStart(7)} | ${(cpu / floorCpu).toFixed(2).padStart(11)} |`,
    );
  }
  console.log("");
  for (const timed of scenarios.filter((scenario) => scenario.timesFirstRequest === true)) {
    const firsts = (samples.get(timed.name) ?? []).flatMap((sample) =>
      sample.firstRequestMs === undefined ? [] : [sample.firstRequestMs],
    );
    if (firsts.length !== ROUNDS) {
      console.error(
        `${timed.name}: the model server saw a first request in ${firsts.length} of ${ROUNDS} runs`,
      );
      process.exitCode = 1;
      continue;
    }
    const ready = median(firsts);
    const readyCpu = median(
      (samples.get(timed.name) ?? []).map((sample) => sample.firstRequestCpuMs ?? Number.NaN),
    );
    console.log(
      `${timed.name}: first request at the server after ${ready.toFixed(0)} ms (median; min ${Math.min(...firsts).toFixed(0)}), ` +
        `${(ready - floorWall).toFixed(0)} ms above node -e 0: ${ready <= READY_BAR_MS ? "ok" : "NOT"} within ${READY_BAR_MS} ms; ` +
        `${readyCpu.toFixed(0)} ms of CPU by then (node -e 0 uses ${floorCpu.toFixed(0)} in all)`,
    );
  }
}
