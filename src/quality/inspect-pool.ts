// The worker threads `inspect` shares a file's rows among: started on first use and kept (unref'd,
// so they never hold the process open) for the next dataset, since starting one costs tens of
// milliseconds; replaced after any failure.

import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { Batch } from "./inspect-batch.js";
import type { RowPassPartial, RowPassSettings } from "./inspect-rows.js";

export type WorkerRequest =
  | {
      readonly type: "start";
      readonly settings: RowPassSettings;
      readonly skipInvalid: boolean;
      readonly file: string;
    }
  | {
      readonly type: "block";
      readonly buffer: ArrayBuffer;
      readonly length: number;
      readonly firstLine: number;
    }
  | { readonly type: "recycle"; readonly buffers: readonly ArrayBuffer[] }
  | { readonly type: "finish" };

export type WorkerReply =
  | { readonly type: "batch"; readonly batch: Batch; readonly buffer: ArrayBuffer }
  | { readonly type: "partial"; readonly partial: RowPassPartial };

/** The most workers `inspect` starts by default (past this, the main thread's share dominates). */
const MAX_WORKERS = 3;

/** What the default number of workers is decided from. */
export interface MachineLoad {
  readonly cores: number;
  /** The 1-minute load average. */
  readonly load: number;
  /** This process's own part of that average (see `ownLoad`). */
  readonly own: number;
  /**
   * Threads running or ready to run right now, this one included (Linux's /proc/loadavg), when
   * known: the load average lags by a minute behind work that has just ended.
   */
  readonly runnable?: number;
}

/**
 * Workers for a machine's load: one per core beside the main thread's that the other processes
 * leave free (a core they use half of or less counts as free), up to MAX_WORKERS. The other
 * processes' load is the smaller of the 1-minute average (less this process's part) and the
 * threads runnable now (less this one): either saying a core is free is enough, since the main
 * thread measures blocks itself whenever the workers fall behind. A worker on a
 * busy core only adds its start and its share of contention: on the shared 2-core machine at load
 * 7–12, every file size ran slower with one (src/quality/README.md).
 */
export function workersFor({ cores, load, own, runnable }: MachineLoad): number {
  const averaged = load - own;
  const others = Math.max(0, runnable === undefined ? averaged : Math.min(averaged, runnable - 1));
  const free = Math.floor(cores - 1 - others + 0.5);
  return Math.max(0, Math.min(cores - 1, free, MAX_WORKERS));
}

/**
 * This process's part of the 1-minute load average, estimated: the cores it has used on average
 * since it started, weighted by how far the average has caught up with it (the load average moves
 * towards a new level with a time constant of a minute). A command just started counts for almost
 * nothing; a long-lived process that has kept a core busy (a server, a benchmark) counts for one,
 * which the load average would otherwise make look like another process's.
 */
export function ownLoad(): number {
  const uptime = process.uptime();
  if (uptime <= 0) return 0;
  const { user, system } = process.cpuUsage();
  const cores = (user + system) / 1e6 / uptime;
  return cores * (1 - Math.exp(-uptime / 60));
}

/** Threads running or ready now, from /proc/loadavg's fourth field ("2/345"), where there is one. */
function runnableNow(): number | undefined {
  try {
    const running = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[3]?.split("/")[0]);
    return Number.isInteger(running) && running > 0 ? running : undefined;
  } catch {
    return undefined;
  }
}

/** Workers by default, for this machine now. */
export function defaultWorkers(): number {
  const runnable = runnableNow();
  return workersFor({
    cores: availableParallelism(),
    load: loadavg()[0]!,
    own: ownLoad(),
    ...(runnable === undefined ? {} : { runnable }),
  });
}

/**
 * The worker's Node options: the process's, as Node passes them on by default (leaving out those a
 * thread cannot take), except under `node --input-type=... -e`, whose flag would apply to the
 * worker's own module; a list given explicitly must hold only per-thread options, so then none.
 */
function workerOptions(): { execArgv?: string[] } {
  return process.execArgv.some((arg) => arg.startsWith("--input-type")) ? { execArgv: [] } : {};
}

/** Set by scripts/bundle-cli.ts in the bundled command: the worker's file in dist/cli/. */
declare const CHARTER_INSPECT_WORKER: string | undefined;

/** The worker's module: beside this one, or in the bundled command's dist/cli/. */
function workerUrl(here: string): URL {
  if (typeof CHARTER_INSPECT_WORKER !== "string") return new URL("./inspect-worker.js", here);
  // This code is in dist/cli/main.js or in one of the chunks in dist/cli/chunks/.
  return new URL(CHARTER_INSPECT_WORKER, new URL(here.includes("/chunks/") ? "../" : "./", here));
}

function startWorker(): Worker {
  const here = import.meta.url;
  // Run from TypeScript sources (tests, benchmarks): the worker registers the same loader first.
  if (here.endsWith(".ts")) {
    // (tsx's ES module entry: its CommonJS one registers a path that does not resolve.)
    const loader = pathToFileURL(
      createRequire(here)
        .resolve("tsx/esm/api")
        .replace(/\.cjs$/, ".mjs"),
    ).href;
    const entry = new URL("./inspect-worker.ts", here).href;
    return new Worker(
      `import(${JSON.stringify(loader)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`,
      { eval: true, ...workerOptions() },
    );
  }
  return new Worker(workerUrl(here), workerOptions());
}

/** One worker and the replies it owes, answered in the order asked (a worker works in order). */
export class PoolWorker {
  private readonly waiting: {
    resolve: (reply: WorkerReply) => void;
    reject: (error: Error) => void;
  }[] = [];
  readonly worker = startWorker();
  failure: Error | undefined;

  constructor(onFailure: () => void) {
    this.worker.on("message", (reply: WorkerReply) => this.waiting.shift()?.resolve(reply));
    const fail = (error: Error): void => {
      this.failure ??= error;
      for (const waiter of this.waiting.splice(0)) waiter.reject(error);
      onFailure();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => fail(new Error(`inspect worker exited (${code})`)));
    this.worker.unref();
  }

  get pending(): number {
    return this.waiting.length;
  }

  send(request: WorkerRequest, transfer: ArrayBuffer[] = []): void {
    if (this.failure !== undefined) throw this.failure;
    this.worker.postMessage(request, transfer);
  }

  /** Sends a request that gets a reply. */
  ask(request: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const reply = new Promise<WorkerReply>((resolve, reject) =>
      this.waiting.push({ resolve, reject }),
    );
    this.worker.postMessage(request, transfer);
    return reply;
  }
}

export class InspectPool {
  readonly workers: PoolWorker[];
  private broken = false;
  /** A pass holds the pool (a worker measures one pass's blocks at a time). */
  private busy = false;

  private constructor(count: number) {
    this.workers = Array.from({ length: count }, () => new PoolWorker(() => (this.broken = true)));
  }

  private static shared: InspectPool | undefined;

  /**
   * A pool of `count` workers for one pass, held until `release`: the shared one (started now if
   * there is none of that size), or, while another pass holds it (two inspects at once in one
   * process), a pool of the pass's own, ended on release.
   */
  static acquire(count: number): InspectPool {
    let pool = InspectPool.shared;
    if (pool?.busy === true) pool = new InspectPool(count);
    else if (pool === undefined || pool.broken || pool.workers.length !== count) {
      pool?.close();
      pool = InspectPool.shared = new InspectPool(count);
    }
    pool.busy = true;
    // Keeps the process alive while the pass waits on the workers.
    for (const { worker } of pool.workers) worker.ref();
    return pool;
  }

  /** Workers of the shared pool already started (0 if there is none): they cost nothing more. */
  static get running(): number {
    const held = InspectPool.shared;
    return held === undefined || held.broken ? 0 : held.workers.length;
  }

  /** Ends the pass's hold: the workers are kept (unref'd) for the next pass, or ended after a
   * failed pass (they may still hold its blocks) and for a pass's own pool. */
  release(failed: boolean): void {
    this.busy = false;
    for (const { worker } of this.workers) worker.unref();
    if (failed || InspectPool.shared !== this) this.close();
  }

  private close(): void {
    this.broken = true;
    if (InspectPool.shared === this) InspectPool.shared = undefined;
    for (const { worker } of this.workers) void worker.terminate();
  }
}
