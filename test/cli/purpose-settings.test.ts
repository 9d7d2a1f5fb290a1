// Each purpose (reply, critique, revision, judge, generate) has its own temperature, max tokens and
// system message, from constitution defaults, the config file and flags; nothing leaks between
// purposes, and the manifest records what was sent. Real OpenAI SDK against the local server.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { compileSource } from "../../src/dsl/index.js";
import { type RecordedRequest } from "../fixtures/model-server.js";
import { useModelServer } from "../fixtures/model-server-hooks.js";
import { constitution as judgeConstitution } from "../phase2-preference/helpers.js";
import {
  openaiRunArgs,
  protocolHandler,
  revise,
  tempDir,
  testConstitution,
  writeConstitution,
  writePrompts,
} from "./revise-fixture.js";

const server = useModelServer({ handler: protocolHandler });

interface WireBody {
  temperature?: number;
  max_tokens?: number;
  messages: { role: string; content: string }[];
}
const body = (request: RecordedRequest) => request.body as WireBody;
const lastUser = (request: RecordedRequest) =>
  body(request)
    .messages.filter((message) => message.role === "user")
    .at(-1)?.content ?? "";
const kindOf = (request: RecordedRequest): string => {
  const text = lastUser(request);
  if (text.startsWith("Critique request:")) return "critique";
  if (/(^|\n)Revision request:/.test(text)) return "revision";
  if (text.includes("(A)")) return "judge";
  return "reply";
};
/** purpose → [temperature, max_tokens, system message] as sent. */
function sent(): Record<string, [unknown, unknown, unknown]> {
  const seen: Record<string, [unknown, unknown, unknown]> = {};
  for (const request of server.requests) {
    const { temperature, max_tokens, messages } = body(request);
    const system = messages[0]?.role === "system" ? messages[0].content : undefined;
    seen[kindOf(request)] = [temperature, max_tokens, system];
  }
  return seen;
}

describe("per-purpose sampling settings", () => {
  it("sends each Phase 1 purpose its own settings, from defaults, config and flags", async () => {
    const dir = tempDir();
    const files = {
      constitution: writeConstitution(
        dir,
        testConstitution({
          defaults: { revisions: 1, "reply-temperature": 0.5, "critique-max-tokens": 300 },
        }),
      ),
      prompts: writePrompts(dir, [{ id: "a", prompt: "How do I sharpen a knife?" }]),
    };
    const config = join(dir, "charter.config.json");
    writeFileSync(config, JSON.stringify({ revise: { "revision-system": "Write plainly." } }));
    const run = await revise(
      openaiRunArgs(
        files,
        server.openaiBaseUrl,
        join(dir, "run"),
        ...[
          "--temperature",
          "0.9",
          "--critique-temperature",
          "0",
          "--critique-system",
          "Be terse.",
        ],
      ),
      dir,
    );
    expect(run.code).toBe(0);
    expect(sent()).toEqual({
      reply: [0.5, undefined, undefined],
      critique: [0, 300, "Be terse."],
      revision: [0.9, undefined, "Write plainly."],
    });
    const manifest = JSON.parse(readFileSync(join(dir, "run", "manifest.json"), "utf8"));
    expect(manifest.settings.calls).toEqual({
      reply: { params: { temperature: 0.5 } },
      critique: { params: { temperature: 0, maxTokens: 300 }, system: "Be terse." },
      revision: { params: { temperature: 0.9 }, system: "Write plainly." },
    });
  });

  it("keeps Phase 1's temperature out of vote sampling and --generate", async () => {
    server.handle((request) =>
      kindOf(request) === "judge" ? { text: "A)" } : { text: "A reply." },
    );
    const dir = tempDir();
    const constitution = writeConstitution(
      dir,
      judgeConstitution({ defaults: { temperature: 0.2, "max-tokens": 30 } }),
    );
    writeFileSync(join(dir, "charter.config.json"), JSON.stringify({ temperature: 0.3 }));
    const prompts = writePrompts(dir, [{ id: "q", prompt: "Name a colour." }], "prompts.jsonl");
    const judge = (out: string, ...more: string[]) =>
      main(
        [
          "judge",
          ...["--constitution", constitution, "--prompts", prompts, "--generate", "2"],
          ...[
            "--model",
            "openai:policy",
            "--judge",
            "openai:judge",
            "--base-url",
            server.openaiBaseUrl,
          ],
          ...[
            "--method",
            "vote",
            "--samples",
            "1",
            "--no-both-orders",
            "--out",
            join(dir, out),
            "--quiet",
          ],
          ...more,
        ],
        {
          stdout: { write: () => true },
          stderr: { write: () => true },
          cwd: dir,
          env: {},
          isTTY: false,
        },
      );
    expect(await judge("defaults")).toBe(0);
    expect(sent()).toEqual({ reply: [1, 512, undefined], judge: [1, 8, undefined] });

    server.reset();
    const flags = [
      ...["--judge-temperature", "0.4", "--judge-system", "Judge fairly."],
      ...["--generate-temperature", "0.9", "--generate-max-tokens", "64"],
    ];
    expect(await judge("own", ...flags)).toBe(0);
    expect(sent()).toEqual({ reply: [0.9, 64, undefined], judge: [0.4, 8, "Judge fairly."] });
    const manifest = JSON.parse(readFileSync(join(dir, "own", "manifest.json"), "utf8"));
    expect(manifest.settings.judges[0].sent).toEqual({ temperature: 0.4, maxTokens: 8 });
    expect(manifest.settings.generate).toMatchObject({ temperature: 0.9, maxTokens: 64 });

    expect(await judge("flag", "--temperature", "0.5")).toBe(2);
  });

  it("are constitution defaults the compiler knows, with a did-you-mean for a typo", () => {
    const source = (defaults: string) =>
      `charter "t" version "1.0.0"\ndefaults {\n${defaults}\n}\nprinciple p {\n  compare "Which?"\n}\n`;
    const good = compileSource(
      source(`  judge-temperature 0.4\n  critique-system "Be terse."\n  generate-max-tokens 64`),
      { filename: "t.charter" },
    );
    expect(good.diagnostics).toEqual([]);
    expect(good.constitution?.defaults).toEqual({
      "judge-temperature": 0.4,
      "critique-system": "Be terse.",
      "generate-max-tokens": 64,
    });
    const typo = compileSource(source("  judge-temprature 0.4"), { filename: "t.charter" });
    expect(typo.diagnostics[0]?.code).toBe("unknown-default");
    expect(typo.diagnostics[0]).toMatchObject({ suggestion: "judge-temperature" });
  });
});
