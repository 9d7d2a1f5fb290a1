#!/usr/bin/env node
// The `charter` command: finds the subcommand and hands it the rest of the arguments.

import { pathToFileURL } from "node:url";
import { realpathSync } from "node:fs";
import * as nodeModule from "node:module";
import { CharterError, RunStoppingError, UsageError } from "../errors.js";
import type { CliIO, Command, Writable } from "./command.js";

/** Subcommands, loaded only when used so `charter check` does not load the SDKs. */
interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
  /** It writes a run folder, so an interrupted run is resumed by running it again. */
  readonly resumable?: true;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  check: {
    summary: "check constitutions and report problems",
    load: async () => (await import("./commands/check.js")).default,
  },
  compile: {
    summary: "print the compiled JSON of a constitution",
    load: async () => (await import("./commands/compile.js")).default,
  },
  convert: {
    summary: "convert a constitution between charter, yaml and json",
    load: async () => (await import("./commands/convert.js")).default,
  },
  fmt: {
    summary: "format constitutions canonically",
    load: async () => (await import("./commands/fmt.js")).default,
  },
  import: {
    summary: "import the CAI paper's prompt files, Hugging Face CAI or LangChain principles",
    load: async () => (await import("./commands/import.js")).default,
  },
  revise: {
    summary: "Phase 1: critique and revise, producing SFT data",
    load: async () => (await import("./commands/revise.js")).default,
    resumable: true,
  },
  judge: {
    summary: "Phase 2: judge reply pairs, producing preference labels",
    load: async () => (await import("./commands/judge.js")).default,
    resumable: true,
  },
  score: {
    summary: "score replies against weighted rubrics (SFT filter, rewards, preference pairs)",
    load: async () => (await import("./commands/score.js")).default,
    resumable: true,
  },
  rubrics: {
    summary: "have a model write a rubric per prompt, as rows charter score reads",
    load: async () => (await import("./commands/rubrics.js")).default,
    resumable: true,
  },
  merge: {
    summary: "merge the folders of a sharded run (--shard i/n) into one",
    load: async () => (await import("./commands/merge.js")).default,
  },
  inspect: {
    summary: "measure a dataset: size, diversity, duplicates, bad targets, preference metrics",
    load: async () => (await import("./commands/inspect.js")).default,
  },
  filter: {
    summary: "remove duplicates, bad targets, low scores and evaluation leaks from a dataset",
    load: async () => (await import("./commands/filter.js")).default,
  },
  split: {
    summary: "split a dataset by prompt hash into disjoint parts (e.g. sft and preference)",
    load: async () => (await import("./commands/split.js")).default,
  },
  report: {
    summary: "write a self-contained HTML report of run folders",
    load: async () => (await import("./commands/report.js")).default,
  },
  show: {
    summary: "print a run's overview, or one item's rounds or verdicts, in the terminal",
    load: async () => (await import("./commands/show.js")).default,
  },
  trace: {
    summary: "print one item's model calls as they were sent (messages, settings, reply, usage)",
    load: async () => (await import("./commands/trace.js")).default,
  },
  card: {
    summary: "write a Hugging Face dataset card (README.md) for run folders",
    load: async () => (await import("./commands/card.js")).default,
  },
  lsp: {
    summary: "run the language server for editors (LSP over stdio)",
    load: async () => (await import("./commands/lsp.js")).default,
  },
  cache: {
    summary: "inspect or clear the response cache",
    load: async () => (await import("./commands/cache.js")).default,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`,
  );
  return `usage: charter <command> [options]\n\ncommands:\n${lines.join("\n")}\n\nRun 'charter <command> --help' for a command's options.\n`;
}

/** Runs the CLI with explicit arguments and streams; returns the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  // `charter help revise` is `charter revise --help`.
  const [name, ...rest] = argv[0] === "help" && argv[1] !== undefined ? [argv[1], "--help"] : argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === "--version" || name === "-v") {
    const { versionText } = await import("../version.js");
    io.stdout.write(versionText());
    return 0;
  }
  const entry = COMMANDS[name];
  if (entry === undefined) {
    const { nearMiss } = await import("../did-you-mean.js");
    const near = nearMiss(name.replace(/^-+/, ""), Object.keys(COMMANDS));
    const hint = near === undefined ? "" : ` (did you mean '${near}'?)`;
    io.stderr.write(`charter: unknown command '${name}'${hint}\n\n${usage()}`);
    return 2;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (error) {
    // A model name Charter cannot place is a mistake in the call, as a bad flag is.
    if (
      error instanceof UsageError ||
      (error instanceof CharterError && error.code === "unknown-model")
    ) {
      io.stderr.write(`charter ${name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CharterError) {
      io.stderr.write(`charter ${name}: ${error.message}\n`);
      if (error instanceof RunStoppingError && error.stoppedRun !== undefined) {
        const { dir, done } = error.stoppedRun;
        io.stderr.write(
          `The run stopped with ${done} item${done === 1 ? "" : "s"} written; ${dir} is resumable: once this is fixed, run the same command again.\n`,
        );
      }
      return 1;
    }
    throw error;
  }
}

/** Whether a command writes a run folder that the same command resumes after an interruption. */
function isRunCommand(name: string | undefined): boolean {
  return name !== undefined && Object.hasOwn(COMMANDS, name) && COMMANDS[name]?.resumable === true;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

/**
 * Ctrl-C stops cleanly: the first SIGINT (or SIGTERM) aborts in-flight work so the run folder is
 * left resumable with nothing half-written; a second one exits at once.
 */
function interruptSignal(stderr: Writable, resumable: boolean): AbortSignal {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.exit(130);
    }
    const hint = resumable ? "run the same command again to resume; " : "";
    stderr.write(`\ncharter: ${name} received, stopping (${hint}press Ctrl-C again to quit now)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return controller.signal;
}

if (isEntryPoint()) {
  // Node 22.1+ keeps V8's compiled code of the modules loaded from here on (the command's chunks,
  // the SDKs, chevrotain) on disk for the next start (NODE_DISABLE_COMPILE_CACHE=1 turns it off);
  // Node 20 has no such cache and nothing happens.
  (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();
  // `charter ... | head` closes the pipe early: stop quietly, as other command-line tools do.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    isTTY: Boolean(process.stderr.isTTY),
    signal: interruptSignal(process.stderr, isRunCommand(process.argv[2])),
  });
  process.exitCode = code;
}
