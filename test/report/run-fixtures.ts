// Run folders for the report tests: a real Phase 1 and Phase 2 run (offline rehearsal model, made
// in-process by the CLI), and hand-written folders for what a real run rarely shows: failures, an
// unknown run type, a score run, an empty folder.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../cli/cli-io.js";
import { tempDir } from "../providers/helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

export interface RunFixtures {
  readonly dir: string;
  readonly revise: string;
  /** The same prompts with another seed: a second generation to compare. */
  readonly revise2: string;
  readonly judge: string;
  readonly failed: string;
  readonly mystery: string;
  readonly score: string;
  readonly empty: string;
}

async function charter(args: string[], cwd: string): Promise<void> {
  const io = captureIO(cwd);
  const code = await main(args, io);
  if (code !== 0) throw new Error(`charter ${args.join(" ")} exited ${code}: ${io.err()}`);
}

function writeJsonl(file: string, rows: readonly unknown[]): void {
  writeFileSync(file, rows.map((row) => JSON.stringify(row) + "\n").join(""));
}

function manifest(
  command: string,
  outputFiles: string[],
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    command,
    charterVersion: "0.1.0",
    seed: 3,
    outputFiles,
    settings: { model: "offline:rehearsal" },
    status: "complete",
    ...extra,
  });
}

export async function makeRunFixtures(): Promise<RunFixtures> {
  const dir = tempDir("charter-report-");
  const revise = join(dir, "revise");
  const judge = join(dir, "judge");
  const revise2 = join(dir, "revise2");
  await charter(
    [
      "revise",
      "--constitution",
      join(ROOT, "constitutions/harmless.charter"),
      "--prompts",
      join(ROOT, "examples/prompts.jsonl"),
      "--model",
      "offline:rehearsal",
      "--out",
      revise,
    ],
    dir,
  );
  await charter(
    [
      "judge",
      "--constitution",
      join(ROOT, "constitutions/showcase.charter"),
      "--pairs",
      join(ROOT, "examples/pairs.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--out",
      judge,
    ],
    dir,
  );

  // A Phase 1 run where one item failed at its first call and another's revision was rejected.
  const failed = join(dir, "failed");
  mkdirSync(failed);
  writeFileSync(
    join(failed, "manifest.json"),
    manifest("revise", ["sft.jsonl"], { status: "complete-with-failures" }),
  );
  writeFileSync(
    join(failed, "stats.json"),
    JSON.stringify({
      items: 3,
      done: 2,
      failed: 1,
      failures: [
        {
          index: 1,
          id: "down",
          code: "provider-unavailable",
          message: "server said 503 five times",
        },
      ],
      counters: { calls: 5, "calls-failed": 1, rejected: 1 },
    }),
  );
  writeFileSync(join(failed, "sft.jsonl"), "");
  const ask = (content: string) => ({ messages: [{ role: "user", content }] });
  writeJsonl(join(failed, "trace.jsonl"), [
    {
      item: "ok",
      event: "call",
      round: 0,
      purpose: "reply",
      request: ask("Say hi"),
      reply: "Hi there friend",
      finishReason: "stop",
    },
    {
      item: "ok",
      event: "call",
      round: 1,
      principle: "tone",
      purpose: "critique",
      request: {
        messages: [
          ...ask("Say hi").messages,
          { role: "assistant", content: "Hi there friend" },
          { role: "user", content: "Critique request: tone?" },
        ],
      },
      reply: "Too casual.",
    },
    {
      item: "ok",
      event: "call",
      round: 1,
      principle: "tone",
      purpose: "revision",
      request: ask("x"),
      reply: "FORBIDDEN hello",
      finishReason: "length",
    },
    {
      item: "ok",
      event: "rules",
      stage: "revision",
      round: 1,
      principle: "tone",
      checks: [
        {
          rule: "no-forbidden",
          kind: "require",
          source: 'not (revision contains "FORBIDDEN")',
          holds: false,
        },
        { rule: "shouty", kind: "flag", source: "revision matches /[A-Z]{5}/", holds: true },
      ],
    },
    {
      item: "ok",
      event: "rejected",
      stage: "revision",
      round: 1,
      principle: "tone",
      rules: ["no-forbidden"],
    },
    {
      item: "down",
      event: "call-failed",
      round: 0,
      purpose: "reply",
      request: ask("Are you there?"),
      error: { code: "provider-unavailable", message: "server said 503 five times" },
    },
    {
      item: "down",
      event: "item-failed",
      code: "provider-unavailable",
      message: "server said 503 five times",
    },
    { item: "given", event: "given-response", round: 0 },
    {
      item: "given",
      event: "call",
      round: 1,
      principle: "tone",
      purpose: "critique",
      request: {
        messages: [
          ...ask("Greet me").messages,
          { role: "assistant", content: "Hello, how are you today?" },
          { role: "user", content: "Critique request: tone?" },
        ],
      },
      reply: "Fine.",
    },
    {
      item: "given",
      event: "call",
      round: 1,
      principle: "tone",
      purpose: "revision",
      request: ask("x"),
      reply: "Hello, how are you doing this fine morning?",
    },
    { item: "given", event: "newer-event-kind", round: 1 },
  ]);

  // A run of a command this version does not know.
  const mystery = join(dir, "mystery");
  mkdirSync(mystery);
  writeFileSync(join(mystery, "manifest.json"), manifest("distil", ["distilled.jsonl"]));
  writeFileSync(
    join(mystery, "stats.json"),
    JSON.stringify({
      items: 2,
      done: 2,
      failed: 0,
      failures: [],
      counters: { calls: 2 },
      distil: { ratio: 0.5 },
    }),
  );
  writeJsonl(join(mystery, "distilled.jsonl"), [
    { id: "m1", prompt: "What is a mystery?", answer: "An open question." },
    { id: "m2", prompt: "Why? </script><img src=x onerror=alert(1)><!--", answer: "Because." },
  ]);

  // A score run (`npm run demo:score`'s command): rubric scores of the example pairs.
  const score = join(dir, "score");
  await charter(
    [
      "score",
      "--constitution",
      join(ROOT, "constitutions/showcase.charter"),
      "--input",
      join(ROOT, "examples/pairs.jsonl"),
      "--judge",
      "offline:rehearsal",
      "--pairs-from",
      "best-worst",
      "--threshold",
      "0.5",
      "--out",
      score,
    ],
    dir,
  );

  const empty = join(dir, "empty");
  mkdirSync(empty);
  await charter(
    [
      "revise",
      "--constitution",
      join(ROOT, "constitutions/harmless.charter"),
      "--prompts",
      join(ROOT, "examples/prompts.jsonl"),
      "--model",
      "offline:rehearsal",
      "--seed",
      "2",
      "--out",
      revise2,
    ],
    dir,
  );
  return { dir, revise, revise2, judge, failed, mystery, score, empty };
}
