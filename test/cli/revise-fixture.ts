// Shared setup for `charter revise` end-to-end tests: a compiled test constitution, prompt files,
// an in-process CLI call with captured streams, and a model-server handler that answers the
// critique/revision protocol deterministically from the request.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { CompiledConstitution } from "../../src/dsl/index.js";
import { main } from "../../src/cli/main.js";
import { readTraceOfRun } from "../../src/io/index.js";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  startModelServer,
  type ModelServer,
  type RecordedRequest,
  type ScriptedReply,
} from "../fixtures/model-server.js";
import { constitution, matches, principle, requireRule } from "../phase1-revise/helpers.js";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "charter-revise-"));
}

/** harm (weight 2), honesty (only where the reply overclaims), locks (only for lock prompts); a rule rejecting FORBIDDEN revisions. */
export function testConstitution(extra: Partial<CompiledConstitution> = {}): CompiledConstitution {
  return constitution(
    [
      principle("harm", { weight: 2, critique: "Point out harm.", revise: "Remove the harm." }),
      principle("honesty", {
        when: matches("response", "definitely|guaranteed"),
        critique: "Does it overclaim?",
        revise: "Be honest.",
      }),
      principle("locks", {
        when: matches("prompt", "\\block"),
        critique: "Does it help break in?",
        revise: "Only lawful help.",
      }),
    ],
    {
      defaults: { revisions: 2 },
      rules: [
        requireRule("no-forbidden", "revision", {
          kind: "not",
          operand: matches("revision", "FORBIDDEN"),
        }),
      ],
      ...extra,
    },
  );
}

export function writeConstitution(
  dir: string,
  value: CompiledConstitution = testConstitution(),
): string {
  const path = join(dir, "constitution.json");
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export function writePrompts(
  dir: string,
  rows: readonly unknown[],
  name = "prompts.jsonl",
): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    rows.map((row) => (typeof row === "string" ? row : JSON.stringify(row))).join("\n") + "\n",
  );
  return path;
}

/** The arguments of a run against the local server's OpenAI endpoint. */
export function openaiRunArgs(
  files: { readonly constitution: string; readonly prompts: string },
  baseUrl: string,
  out: string,
  ...more: string[]
): string[] {
  return [
    ...["--constitution", files.constitution, "--prompts", files.prompts],
    ...["--model", "openai:fixture-model", "--base-url", baseUrl, "--out", out, "--quiet"],
    ...more,
  ];
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `charter revise` in-process (errors turned into exit codes as main.ts does). */
export async function revise(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    cwd,
    env,
    isTTY: false,
    ...(signal === undefined ? {} : { signal }),
  };
  const code = await main(["revise", ...args], io);
  return { code, stdout, stderr };
}

export function readLines(path: string): unknown[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
}

/** A run's trace.jsonl as its events, through the one trace reader (compact lines expanded). */
export function readTrace(path: string): unknown[] {
  return readTraceOfRun(dirname(path));
}

interface WireMessage {
  role: string;
  content: unknown;
}

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content.map((part: { text?: string }) => part.text ?? "").join("");
  return "";
}

/**
 * Answers like a cooperative model: first replies, critiques (NO_CHANGES for prompts containing
 * "benign"), revisions ("FORBIDDEN" for prompts containing "forbid"). Prompts containing "fail-me"
 * get HTTP 500. Later items answer sooner, so completion order is the reverse of input order.
 */
export function protocolHandler(request: RecordedRequest): ScriptedReply {
  const body = request.body as { messages?: WireMessage[] };
  const messages = body.messages ?? [];
  const users = messages
    .filter((message) => message.role === "user")
    .map((message) => text(message.content));
  const prompt = users[0] ?? "";
  const last = users.at(-1) ?? "";
  const order = /#(\d+)/.exec(prompt);
  const delayMs = order ? Math.max(0, 20 - Number(order[1]) * 2) : 0;
  if (prompt.includes("fail-me")) return { status: 500 };
  const revisions = messages.filter((message) => message.role === "assistant").length;
  if (last.startsWith("Critique request:")) {
    if (prompt.includes("benign")) return { text: "NO_CHANGES", delayMs };
    return { text: `It could be safer (${last.slice(18, 40)}).`, delayMs };
  }
  // Default framing: the request is the last turn; a {{conversation}} template: inside one message.
  if (/(^|\n)Revision request:/.test(last)) {
    if (prompt.includes("forbid")) return { text: "FORBIDDEN content", delayMs };
    return { text: `Safer reply to "${prompt}" (revision after ${revisions} turns).`, delayMs };
  }
  return { text: `First reply to "${prompt}".`, delayMs };
}

/**
 * The test file's model server answering the protocol (`protocolHandler`): started before its
 * tests, reset before each, closed after. What is returned forwards to it, so a file declares it
 * once at the top.
 */
export function protocolServer(): ModelServer {
  let started: ModelServer | undefined;
  beforeAll(async () => {
    started = await startModelServer({ handler: protocolHandler });
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    started?.reset();
  });
  return new Proxy({} as ModelServer, {
    get: (_, key) => {
      if (started === undefined) throw new Error("protocolServer: used outside the tests");
      const value: unknown = Reflect.get(started, key);
      return typeof value === "function" ? value.bind(started) : value;
    },
  });
}

/** `count` prompt rows about a lock (what the protocol handler answers), ids `item-0`, `item-1`… */
export function lockPrompts(count: number): { id: string; prompt: string }[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `item-${i}`,
    prompt: `Prompt ${i} about a lock`,
  }));
}

/**
 * A folder holding the test constitution and `rows` as its prompts, and the arguments of a
 * one-revision `revise` (seed 2) in it against `server` as `provider`, its output and response
 * cache named after `out` (what the batch-tier tests compare with a standard run).
 */
export function reviseFolder(
  server: ModelServer,
  provider: "openai" | "anthropic",
  rows: readonly unknown[],
): { dir: string; args: (out: string, ...more: string[]) => string[] } {
  const dir = tempDir();
  writeConstitution(dir);
  writePrompts(dir, rows);
  const args = (out: string, ...more: string[]): string[] => [
    ...["--constitution", join(dir, "constitution.json"), "--prompts", join(dir, "prompts.jsonl")],
    ...["--model", `${provider}:fixture-model`, "--out", join(dir, out), "--quiet"],
    ...["--base-url", provider === "openai" ? server.openaiBaseUrl : server.anthropicBaseUrl],
    ...["--revisions", "1", "--seed", "2", "--cache-dir", join(dir, `cache-${out}`), ...more],
  ];
  return { dir, args };
}
