// `charter import cai-paper DIR` on fixture files in the paper's four-file shape (texts written for
// this project), then `charter revise` and `charter judge` with the result against the local server.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { compileFile, type CompiledConstitution } from "../../src/dsl/index.js";
import { startModelServer, type ModelServer } from "../fixtures/model-server.js";
import { captureIO } from "./cli-io.js";

const fixtures = new URL("../dsl/fixtures/import/cai-paper/", import.meta.url).pathname;
const json = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), "utf8"));

let server: ModelServer;
let dir: string;
let constitution: CompiledConstitution;

beforeAll(async () => {
  server = await startModelServer();
  dir = mkdtempSync(join(tmpdir(), "charter-cai-paper-"));
  cpSync(fixtures, join(dir, "prompts"), { recursive: true });
  writeFileSync(join(dir, "package.json"), "{}");
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Messages of a request the server recorded. */
const messagesOf = (body: unknown): { role: string; content: string }[] =>
  (body as { messages: { role: string; content: string }[] }).messages;

describe("charter import cai-paper", () => {
  it("imports the four files into a constitution that compiles clean", async () => {
    const io = captureIO(dir);
    expect(await main(["import", "cai-paper", "prompts", "-o", "paper.charter"], io)).toBe(0);
    expect(io.err()).toBe("charter import: wrote paper.charter\n");
    const result = await compileFile("paper.charter", { cwd: dir });
    expect(result.diagnostics).toEqual([]);
    constitution = result.constitution as CompiledConstitution;
    const critiques = json("CritiqueRevisionInstructions.json") as Record<string, unknown>;
    const questions = json("RLMadisonInstructions.json") as string[];
    const revisable = constitution.principles.filter((p) => p.critique && p.revise);
    const comparing = constitution.principles.filter((p) => p.compare.length > 0);
    expect(revisable.map((p) => p.id)).toEqual(Object.keys(critiques));
    expect(revisable[0]?.critique).toBe(
      "Point out anything in the assistant's last reply that could hurt the person asking or someone else.",
    );
    expect(comparing).toHaveLength(questions.length);
    expect(comparing.map((p) => p.compare[0])).toEqual(
      questions.map((question) => question.trim().replace(/ Options:$/, "")),
    );
    // Readable ids, not p01.
    expect(comparing.map((p) => p.id)).toEqual([
      "kinder-respectful",
      "honest-about-not-know",
      "careful-friendly-librarian-likely",
    ]);
    expect(constitution.defaults).toMatchObject({ revisions: 4, "no-change-marker": "" });
    const [transcripts, comparisons] = constitution.fewShots ?? [];
    expect(transcripts?.stages).toEqual(["critique", "revision"]);
    expect(transcripts?.examples).toHaveLength(3);
    expect(transcripts?.examples[0]).toMatchObject({
      kind: "transcript",
      turns: [
        { role: "user", content: expect.stringContaining("cousin left his bike") },
        { role: "assistant", content: "Sure, he will never notice." },
        { role: "user", content: "What if he does notice?" },
        { role: "assistant", content: "Just say you found it somewhere." },
      ],
      // Each example keeps its own request texts.
      critiqueRequest: expect.stringContaining("taking or lying about things"),
      revisionRequest: "Rewrite the assistant's last reply to remove the encouragement to deceive.",
    });
    // A no-change example: its revision repeats the reply.
    const same = transcripts?.examples[1];
    expect(same?.kind === "transcript" && same.revision).toBe(same?.turns.at(-1)?.content);
    expect(comparisons?.stages).toEqual(["pair"]);
    expect(
      comparisons?.examples.map((example) => example.kind === "comparison" && example.answer),
    ).toEqual(["A", "B"]);
  });

  it("sends critique requests with the few-shot transcripts first, in the file's order", async () => {
    writeFileSync(
      join(dir, "prompts.jsonl"),
      `${JSON.stringify({ id: "p1", prompt: "Can I paint my fence purple?" })}\n`,
    );
    server.reset();
    const io = captureIO(dir);
    const code = await main(
      [
        "revise",
        ...["--constitution", "paper.charter", "--prompts", "prompts.jsonl"],
        ...["--model", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
        ...["--out", "run", "--quiet", "--no-cache", "--revisions", "2"],
      ],
      io,
    );
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const transcripts = json("CritiqueRevisionFewShotPrompts.json") as string[];
    const critiqueCalls = server.requests
      .map((request) => messagesOf(request.body))
      .filter((messages) => messages.at(-1)?.content.startsWith("CritiqueRequest: ") === true);
    expect(critiqueCalls).toHaveLength(2);
    for (const messages of critiqueCalls) {
      // The fixture transcripts, rebuilt from what was sent, in order, before the conversation.
      const conversationStart = messages.findIndex(
        (m) => m.content === "Can I paint my fence purple?",
      );
      const prefix = messages.slice(0, conversationStart);
      // Each part of each fixture transcript, in order: turns and answers as they are, requests
      // in the imported template's framing.
      const asText = prefix.map((m) => m.content);
      let at = 0;
      for (const transcript of transcripts) {
        for (const part of transcript.split(/\n\n(?=[A-Za-z]+:)/).filter(Boolean)) {
          const colon = part.indexOf(":");
          const label = part.slice(0, colon);
          const content = part.slice(colon + 1).trim();
          if (content === "") continue;
          const expected = label.endsWith("Request") ? `${label}: ${content}` : content;
          expect(asText[at], `transcript part ${label}`).toBe(expected);
          at++;
        }
      }
      expect(at).toBe(prefix.length);
      expect(messages.slice(conversationStart, conversationStart + 1)).toEqual([
        { role: "user", content: "Can I paint my fence purple?" },
      ]);
    }
  });

  it("judges with the paper's questions, after its labelled comparisons", async () => {
    writeFileSync(
      join(dir, "pairs.jsonl"),
      `${JSON.stringify({ id: "q1", prompt: "Is it rude to skip a party?", responses: ["No, just say so kindly.", "Yes, you are awful."] })}\n`,
    );
    server.reset();
    server.handle(() => ({
      text: "A",
      tokens: [
        {
          token: "A",
          logprob: -0.1,
          top: [
            { token: "A", logprob: -0.1 },
            { token: "B", logprob: -2.4 },
          ],
        },
      ],
    }));
    const io = captureIO(dir);
    const code = await main(
      [
        "judge",
        ...["--constitution", "paper.charter", "--pairs", "pairs.jsonl"],
        ...["--judge", "openai:fixture-model", "--base-url", server.openaiBaseUrl],
        ...["--out", "labels", "--quiet", "--no-cache", "--principles", "1"],
      ],
      io,
    );
    server.handle(undefined);
    expect(io.err()).toBe("");
    expect(code).toBe(0);
    const questions = (json("RLMadisonInstructions.json") as string[]).map((q) =>
      q.trim().replace(/ Options:$/, ""),
    );
    expect(server.requests.length).toBeGreaterThan(0);
    for (const request of server.requests) {
      const text = messagesOf(request.body)
        .map((m) => m.content)
        .join("\n");
      const asked = text.slice(text.lastIndexOf("Consider the following conversation"));
      expect(questions.some((question) => asked.includes(question))).toBe(true);
      expect(asked).toContain("Human: Is it rude to skip a party?");
      // The labelled comparisons come first, answered.
      expect(text.indexOf("Human: Can you tell me how to get back at my noisy neighbour?")).toBe(
        text.indexOf("Consider the following conversation") +
          "Consider the following conversation between a human and an assistant:\n\n".length,
      );
      expect(text).toContain("The answer is: (A)");
      expect(text).toContain("The answer is: (B)");
    }
  });
});
