// `openai-completions:MODEL` through the real OpenAI SDK against the local server's
// /v1/completions: the transcript prompt, the stop sequence, log-probabilities, and both phases.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { createModel } from "../../src/providers/index.js";
import { renderTranscriptPrompt } from "../../src/providers/openai-completions-model.js";
import { captureIO } from "../cli/cli-io.js";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";

let server: ModelServer;
let dir: string;
beforeAll(async () => {
  server = await startModelServer();
  dir = mkdtempSync(join(tmpdir(), "charter-completions-"));
  writeFileSync(join(dir, "package.json"), "{}");
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.reset();
  server.handle(undefined);
});

const bodyOf = (index: number) => server.requests[index]?.body as Record<string, unknown>;
const letter = (answer: "A" | "B") => ({
  text: answer,
  tokens: [
    {
      token: answer,
      logprob: -0.2,
      top: [
        { token: answer, logprob: -0.2 },
        { token: answer === "A" ? "B" : "A", logprob: -1.9 },
        { token: " (", logprob: -4 },
      ],
    },
  ],
});

describe("the transcript prompt", () => {
  it("writes system text, then Human/Assistant turns, cueing the assistant", () => {
    expect(
      renderTranscriptPrompt([
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello." },
        { role: "user", content: "Bye" },
      ]),
    ).toBe("Be brief.\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Bye\n\nAssistant:");
  });

  it("continues a last assistant turn (prefill) instead of opening a new one", () => {
    expect(
      renderTranscriptPrompt([
        { role: "user", content: "Which? (A) x (B) y" },
        { role: "assistant", content: "The answer is: (" },
      ]),
    ).toBe("\n\nHuman: Which? (A) x (B) y\n\nAssistant: The answer is: (");
  });
});

describe("openai-completions:MODEL", () => {
  it("posts the transcript to /v1/completions with the paper's stop, and reads the text", async () => {
    server.script({ text: " Sure thing." });
    const model = createModel("openai-completions:base", {
      baseUrl: server.openaiBaseUrl,
      env: {},
      noCache: true,
    });
    const reply = await model.complete({
      messages: [{ role: "user", content: "Hi" }],
      params: { maxTokens: 40, temperature: 0.5, stop: ["###"] },
    });
    expect(reply.text).toBe("Sure thing.");
    expect(server.requests[0]?.path).toBe("/v1/completions");
    expect(bodyOf(0)).toMatchObject({
      model: "base",
      prompt: "\n\nHuman: Hi\n\nAssistant:",
      stop: ["\n\nHuman:", "###"],
      max_tokens: 40,
      temperature: 0.5,
    });
  });

  it("reads log-probabilities from the legacy parallel lists, best alternative first", async () => {
    server.script(letter("B"));
    const model = createModel("openai-completions:base", {
      baseUrl: server.openaiBaseUrl,
      env: {},
      noCache: true,
    });
    const reply = await model.complete({
      messages: [{ role: "user", content: "Pick" }],
      params: { logprobs: true, topLogprobs: 3, maxTokens: 1 },
    });
    expect(bodyOf(0)).toMatchObject({ logprobs: 3 });
    expect(reply.logprobs).toEqual([
      {
        token: "B",
        logprob: -0.2,
        top: [
          { token: "B", logprob: -0.2 },
          { token: "A", logprob: -1.9 },
          { token: " (", logprob: -4 },
        ],
      },
    ]);
  });

  it("runs Phase 1 (charter revise) end to end", async () => {
    writeFileSync(
      join(dir, "c.charter"),
      `charter "c" version "1.0.0"
principle kind {
  critique "Is the reply unkind?"
  revise "Make it kind."
}
few-shot demo {
  example {
    user "Rate my poem."
    assistant "It is bad."
    critique-request "Is the reply unkind?"
    critique "It is blunt."
    revision-request "Make it kind."
    revision "It has a strong start; the rhythm could be smoother."
  }
}
`,
    );
    writeFileSync(
      join(dir, "p.jsonl"),
      `${JSON.stringify({ id: "x", prompt: "Rate my song." })}\n`,
    );
    // Answers by the last human turn: the first reply, the critique, the revision.
    server.handle((request) => {
      const prompt = String((request.body as { prompt: string }).prompt);
      const last = prompt.slice(prompt.lastIndexOf("\n\nHuman: "));
      if (last.startsWith("\n\nHuman: Critique request:"))
        return { text: " It dismisses the song." };
      if (last.startsWith("\n\nHuman: Revision request:"))
        return { text: " Your song has energy; the chorus could land harder." };
      return { text: " Your song is noise." };
    });
    const io = captureIO(dir);
    const code = await main(
      [
        "revise",
        ...["--constitution", "c.charter", "--prompts", "p.jsonl"],
        ...["--model", "openai-completions:base", "--base-url", server.openaiBaseUrl],
        ...["--out", "run", "--quiet", "--no-cache", "--revisions", "1"],
      ],
      io,
    );
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(server.requests.map((request) => request.path)).toEqual([
      "/v1/completions",
      "/v1/completions",
      "/v1/completions",
    ]);
    const critique = String(bodyOf(1).prompt);
    // The few-shot transcript first, then the conversation, then the request and the cue.
    expect(
      critique.startsWith(
        "\n\nHuman: Rate my poem.\n\nAssistant: It is bad.\n\nHuman: Critique request: Is the reply unkind?",
      ),
    ).toBe(true);
    expect(critique.indexOf("Rate my poem.")).toBeLessThan(critique.indexOf("Rate my song."));
    expect(critique.endsWith("\n\nAssistant:")).toBe(true);
    const sft = JSON.parse(readFileSync(join(dir, "run", "sft.jsonl"), "utf8").trim()) as {
      messages: { content: string }[];
    };
    expect(sft.messages.at(-1)?.content).toBe(
      "Your song has energy; the chorus could land harder.",
    );
  });

  it("runs Phase 2 (charter judge): the answer cue ends the prompt, the letter is read from logprobs", async () => {
    writeFileSync(
      join(dir, "j.charter"),
      `charter "j" version "1.0.0"\nprinciple kind { compare "Which reply is kinder?" }\n`,
    );
    writeFileSync(
      join(dir, "pairs.jsonl"),
      `${JSON.stringify({ id: "q", prompt: "Rate my song.", responses: ["It has energy.", "It is noise."] })}\n`,
    );
    // The kinder reply is "It has energy.", whichever letter it is shown under.
    server.handle((request) => {
      const prompt = String((request.body as { prompt: string }).prompt);
      return letter(prompt.includes("(A) It has energy.") ? "A" : "B");
    });
    const io = captureIO(dir);
    const code = await main(
      [
        "judge",
        ...["--constitution", "j.charter", "--pairs", "pairs.jsonl"],
        ...["--judge", "openai-completions:base", "--base-url", server.openaiBaseUrl],
        ...["--out", "labels", "--quiet", "--no-cache"],
      ],
      io,
    );
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    expect(server.requests).toHaveLength(2);
    for (const [index] of server.requests.entries()) {
      const body = bodyOf(index);
      expect(body.prompt).toMatch(/\n\nAssistant: The answer is: \($/);
      expect(body.prompt).toContain("Which reply is kinder?");
      expect(body.logprobs).toBeGreaterThan(0);
    }
    const label = JSON.parse(
      readFileSync(join(dir, "labels", "preferences.jsonl"), "utf8").trim(),
    ) as {
      chosen: unknown;
      probability: number;
    };
    expect(label.chosen).toBe("It has energy.");
    expect(label.probability).toBeGreaterThan(0.7);
  });
});
