// Shared benchmark code for the phases: a model server in a child process with a fixed latency
// per call, wall and CPU measurement of the bench process, the bare-SDK floor (the `openai` SDK
// making the same number of calls at the same concurrency), and the ratio table both phases print.

import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import OpenAI from "openai";
import { main } from "../src/cli/main.js";
import type { CompiledConstitution, CompiledPrinciple, CompiledRule } from "../src/dsl/index.js";

const root = fileURLToPath(new URL("..", import.meta.url));

export interface BenchServer {
  readonly openaiBaseUrl: string;
  readonly anthropicBaseUrl: string;
  readonly latencyMs: number;
  close(): Promise<void>;
}

/**
 * Starts test/fixtures/model-server.ts in a child process (its CPU is not ours to count): an echo
 * server, or with `judge` one that answers judge questions with A/B log-probabilities, or with
 * `score` one that answers rubric criteria with Yes/No log-probabilities.
 */
export async function startBenchServer(
  latencyMs: number,
  mode: "echo" | "judge" | "score" = "echo",
): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(new URL("model-server-process.ts", import.meta.url)),
      String(latencyMs),
      mode,
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`model server exited (${code})`)));
  });
  const urls = JSON.parse(first) as { openai: string; anthropic: string };
  return {
    openaiBaseUrl: urls.openai,
    anthropicBaseUrl: urls.anthropic,
    latencyMs,
    close: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface Measurement {
  readonly wallMs: number;
  /** User + system CPU of this process. */
  readonly cpuMs: number;
}

/** Wall time and process CPU of one async run. */
export async function measure(run: () => Promise<void>): Promise<Measurement> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run();
  const wallMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * The floor: the bare `openai` SDK sending `calls` chat completions, `concurrency` at a time,
 * each with `messages(i)`. Nothing else: no retries, no cache, no files.
 */
export async function bareSdkFloor(options: {
  readonly baseUrl: string;
  readonly calls: number;
  readonly concurrency: number;
  readonly model: string;
  readonly messages: (call: number) => { role: "system" | "user" | "assistant"; content: string }[];
  /** Ask for the top log-probabilities of a 3-token answer, as a logprobs judge does. */
  readonly logprobs?: boolean;
}): Promise<void> {
  const client = new OpenAI({ baseURL: options.baseUrl, apiKey: "bench", maxRetries: 0 });
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.calls) {
      const call = next++;
      await client.chat.completions.create({
        model: options.model,
        messages: options.messages(call),
        ...(options.logprobs === true
          ? { temperature: 0, max_tokens: 3, logprobs: true, top_logprobs: 20 }
          : {}),
      });
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
}

/** Runs `charter ARGV` in this process, its output captured; returns its exit code and output. */
export async function charterInProcess(
  argv: readonly string[],
  cwd = process.cwd(),
): Promise<{ readonly code: number; readonly output: string }> {
  let output = "";
  const sink = { write: (text: string) => (output += text) };
  const code = await main(argv, { stdout: sink, stderr: sink, cwd, env: {}, isTTY: false });
  return { code, output };
}

/** As `charterInProcess`, throwing with the output when the command does not exit 0. */
export async function charterOk(argv: readonly string[], cwd = process.cwd()): Promise<void> {
  const { code, output } = await charterInProcess(argv, cwd);
  if (code !== 0) throw new Error(`charter ${argv.join(" ")} exited ${code}:\n${output}`);
}

/**
 * Runs `charter ARGV` in this process (quiet, output discarded) writing the run folder `out`, and
 * checks it made exactly `calls` model calls: the comparison with the floor is only fair then.
 */
export async function runCharter(
  argv: readonly string[],
  options: { readonly cwd: string; readonly out: string; readonly calls: number },
): Promise<void> {
  await charterOk([...argv, "--out", options.out, "--no-cache", "--quiet"], options.cwd);
  const stats = JSON.parse(readFileSync(join(options.out, "stats.json"), "utf8")) as {
    counters: Record<string, number>;
  };
  if (stats.counters.calls !== options.calls)
    throw new Error(`expected ${options.calls} calls, the run made ${stats.counters.calls}`);
}

/**
 * Warms both paths (module loading, JIT, sockets), then measures the engine and the floor
 * `repeats` times, interleaved so machine noise hits both alike, and prints the best of each.
 */
export async function compareWithFloor(options: {
  readonly label: string;
  readonly calls: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly repeats: number;
  /** One engine run; `name` is a fresh run-folder name each time. */
  readonly engine: (name: string) => Promise<void>;
  readonly floor: () => Promise<void>;
}): Promise<void> {
  await options.engine("warmup");
  await options.floor();
  const floors: Measurement[] = [];
  const engines: Measurement[] = [];
  for (let i = 0; i < options.repeats; i++) {
    floors.push(await measure(options.floor));
    engines.push(await measure(() => options.engine(`run-${i}`)));
    if (process.env.BENCH_VERBOSE)
      console.log(`repeat ${i}: floor`, floors.at(-1), "engine", engines.at(-1));
  }
  printComparison({ ...options, engine: best(engines), floor: best(floors) });
}

/** Keeps the best (lowest wall time) of several measurements. */
export function best(measurements: readonly Measurement[]): Measurement {
  return measurements.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
}

/** Prints the engine against the floor and the ideal (calls × latency ÷ concurrency). */
export function printComparison(options: {
  readonly label: string;
  readonly calls: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly engine: Measurement;
  readonly floor: Measurement;
}): void {
  const { engine, floor } = options;
  const ideal = (options.calls * options.latencyMs) / options.concurrency;
  const row = (name: string, m: Measurement): string =>
    `| ${name.padEnd(16)} | ${m.wallMs.toFixed(0).padStart(8)} | ${m.cpuMs.toFixed(0).padStart(8)} | ${(m.wallMs / ideal).toFixed(3).padStart(10)} |`;
  console.log(
    `${options.calls} calls at concurrency ${options.concurrency}, ${options.latencyMs} ms per call (ideal ${ideal.toFixed(0)} ms)\n` +
      `| run              |  wall ms |   cpu ms | wall/ideal |\n|------------------|----------|----------|------------|\n` +
      `${row("bare openai SDK", floor)}\n${row(options.label, engine)}\n` +
      `${options.label} / floor: wall ${(engine.wallMs / floor.wallMs).toFixed(3)}×, cpu ${(engine.cpuMs / floor.cpuMs).toFixed(3)}×`,
  );
}

/** A hand-built compiled constitution for benchmarks: principles by id and weight, plus rules. */
export function benchConstitution(
  principles: readonly (Pick<CompiledPrinciple, "id" | "weight"> &
    Partial<Pick<CompiledPrinciple, "critique" | "revise" | "compare">>)[],
  rules: readonly Omit<CompiledRule, "location">[] = [],
): CompiledConstitution {
  const location = { file: "bench", line: 1, column: 1 };
  return {
    schema: "charter/1",
    name: "bench",
    version: "1",
    hash: "sha256:bench",
    file: "bench",
    imports: [],
    defaults: {},
    principles: principles.map((principle) => ({
      tags: [],
      compare: [],
      examples: [],
      location,
      ...principle,
    })),
    rules: rules.map((rule) => ({ ...rule, location })),
    rubrics: [],
    templates: {},
  };
}
