// Phase 1's output is Phase 2's input as it is: `charter revise` on multi-turn conversations,
// then `charter judge` on its pairs.jsonl (and sft.jsonl), through the OpenAI SDK on the local
// server, the conversation unchanged from the prompts file to preferences.jsonl.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type RecordedRequest, type ScriptedReply } from "../fixtures/model-server.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { charterInProcess } from "./charter-in-process.js";

const showcase = resolve(import.meta.dirname, "../../constitutions/showcase.charter");

const server = useModelServer({ handler: judgeOrEcho });
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "charter-revise-judge-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const charter = (...args: string[]) => charterInProcess(dir, args);

const model = ["--base-url", "", "--quiet"];
// The judge below always leans to (A): asked in one order, every pair gets a label, not a tie.
const oneOrder = ["--no-both-orders"];
const readJsonl = (path: string): Record<string, unknown>[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);

interface Body {
  messages: { role: string; content: string }[];
  logprobs?: boolean;
}

/** Judge requests (they ask for logprobs) lean to option (A); every other request is echoed. */
function judgeOrEcho(request: RecordedRequest): ScriptedReply | undefined {
  if ((request.body as Body).logprobs !== true) return undefined;
  const top = [
    { token: "A", logprob: Math.log(0.7) },
    { token: "B", logprob: Math.log(0.25) },
    { token: "I", logprob: Math.log(0.05) },
  ];
  return { text: "A", tokens: [{ token: "A", logprob: Math.log(0.7), top }] };
}

const conversation = [
  { role: "system", content: "You are a careful cooking assistant." },
  { role: "user", content: "How long do I boil an egg?" },
  { role: "assistant", content: "About nine minutes for a hard-boiled egg." },
  { role: "user", content: "And for a soft one?" },
];

async function revise(out: string, ...more: string[]): Promise<void> {
  const prompts = join(dir, "prompts.jsonl");
  writeFileSync(prompts, `${JSON.stringify({ id: "egg", messages: conversation })}\n`);
  model[1] = server.openaiBaseUrl;
  const { code, stderr } = await charter(
    "revise",
    ...["--constitution", showcase, "--prompts", prompts, "--model", "openai:policy"],
    ...["--out", out, ...model, ...more],
  );
  expect(stderr).toBe("");
  expect(code).toBe(0);
}

const judgeRequests = (): Body[] =>
  server.requests.map((request) => request.body as Body).filter((body) => body.logprobs === true);

describe("charter revise, then charter judge on its output", () => {
  it("judges Phase 1's pairs.jsonl as it is, earlier turns shown to the judge and kept in the labels", async () => {
    await revise("runs/x");
    const [pair] = readJsonl(join(dir, "runs/x/pairs.jsonl"));
    expect(pair?.prompt).toEqual(conversation);
    server.reset();
    const { code, stdout } = await charter(
      "judge",
      ...["--constitution", showcase, "--pairs", "runs/x/pairs.jsonl"],
      ...["--judge", "openai:judge", "--out", "runs/labels", ...oneOrder, ...model],
    );
    expect(code, stdout).toBe(0);
    const [question] = judgeRequests();
    const text = question?.messages.map((message) => message.content).join("\n") ?? "";
    expect(text).toContain(
      "Human: How long do I boil an egg?\n\nAssistant: About nine minutes for a hard-boiled egg.\n\nHuman: And for a soft one?",
    );
    const [label] = readJsonl(join(dir, "runs/labels/preferences.jsonl"));
    // The conversation goes through unchanged, system turn included; the replies are Phase 1's.
    expect(label).toMatchObject({
      id: "egg:0-1",
      prompt: conversation,
      chosen: [{ role: "assistant", content: expect.any(String) }],
      rejected: [{ role: "assistant", content: expect.any(String) }],
      decided_by: "judge",
    });
    const replies = [pair?.chosen, pair?.rejected].map((turns) => JSON.stringify(turns));
    expect(replies).toContain(JSON.stringify(label?.chosen));
    expect(replies).toContain(JSON.stringify(label?.rejected));
  });

  it("reads the OpenAI and HF CAI layouts of Phase 1 too, and generates from sft.jsonl conversations", async () => {
    await revise("runs/openai", "--format", "openai");
    await revise("runs/hf", "--format", "hf-cai");
    for (const file of ["runs/openai/pairs.jsonl", "runs/hf/sft.jsonl"]) {
      const out = `runs/judged-${file.split("/")[1]}`;
      const { code, stdout } = await charter(
        "judge",
        ...["--constitution", showcase, "--pairs", file, "--judge", "openai:judge"],
        ...["--out", out, "--format", "trl-chat", ...oneOrder, ...model],
      );
      expect(code, `${file}: ${stdout}`).toBe(0);
      const [label] = readJsonl(join(dir, out, "preferences.jsonl"));
      expect(label?.prompt, file).toEqual(conversation);
    }
    server.reset();
    const { code, stdout } = await charter(
      "judge",
      ...["--constitution", showcase, "--prompts", "runs/hf/sft.jsonl", "--generate", "2"],
      ...["--model", "openai:policy", "--judge", "openai:judge", "--out", "runs/gen", ...model],
    );
    expect(code, stdout).toBe(0);
    const generated = server.requests
      .map((request) => request.body as Body)
      .filter((body) => body.logprobs !== true);
    // Two replies; the first may come from the response cache (Phase 1 asked the same question).
    expect(generated.length).toBeGreaterThan(0);
    // The policy continues the whole conversation (the SFT target turn is dropped).
    for (const body of generated) expect(body.messages).toEqual(conversation);
    const records = [
      ...readJsonl(join(dir, "runs/gen/preferences.jsonl")),
      ...readJsonl(join(dir, "runs/gen/ties.jsonl")),
    ];
    expect(records.map((record) => record.prompt)).toEqual([conversation]);
  });
});
