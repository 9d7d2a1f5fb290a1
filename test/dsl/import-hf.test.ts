// `importHuggingFace`: the Hugging Face CAI constitution.json with llm-swarm's semantics.
import { describe, expect, it } from "vitest";
import { compileSource, type CompiledConstitution } from "../../src/dsl/index.js";
import { importHuggingFace } from "../../src/dsl/documents/importers/index.js";
import {
  buildCritiqueRequest,
  buildReplyRequest,
  buildRevisionRequest,
  resolveTemplates,
} from "../../src/phase1-revise/prompts.js";
import { isRevisable } from "../../src/phase1-revise/sampling.js";
import { compact, importFixture } from "./import-helpers.js";

interface Message {
  readonly role: string;
  readonly content: string;
}
interface HfFile {
  readonly constitutions: readonly { critic?: string | undefined; revision?: string | undefined }[];
  readonly system_chat: readonly (readonly Message[])[];
}

const fixture = importFixture("hf-constitution.json");
const original = JSON.parse(fixture) as HfFile;
const result = importHuggingFace(fixture, { file: "hf-constitution.json" });

function compiled(): CompiledConstitution {
  const out = compileSource(result.text, { filename: "hf.charter", root: "." });
  expect(out.diagnostics).toEqual([]);
  return out.constitution as CompiledConstitution;
}

/** The compiled constitution written back in llm-swarm's shape. */
function backToHf(constitution: CompiledConstitution): HfFile {
  return {
    constitutions: constitution.principles.map((p) => ({ critic: p.critique, revision: p.revise })),
    system_chat: (constitution.fewShots ?? []).flatMap((set) =>
      set.examples.map((example) => {
        const messages: Message[] = example.turns.map((turn) => ({ ...turn }));
        if (example.kind === "transcript") {
          for (const [role, content] of [
            ["user", example.critiqueRequest],
            ["assistant", example.critique],
            ["user", example.revisionRequest],
            ["assistant", example.revision],
          ] as const) {
            if (content !== undefined) messages.push({ role, content });
          }
        }
        return messages;
      }),
    ),
  };
}

describe("importHuggingFace", () => {
  it("round-trips: what Charter can carry comes back as the file wrote it", () => {
    const back = backToHf(compiled());
    // Entries with both texts, and every conversation but the one with a system turn.
    expect(back.constitutions).toEqual(
      original.constitutions
        .filter((entry) => entry.critic && entry.revision)
        .map(({ critic, revision }) => ({ critic, revision })),
    );
    expect(back.system_chat).toEqual(
      original.system_chat
        .filter((chat) => chat.every((message) => message.role !== "system"))
        .map((chat) => chat.map(({ role, content }) => ({ role, content }))),
    );
    expect(back.system_chat.map((chat) => chat.length)).toEqual([6, 6, 8]);
  });

  it("sends every system_chat turn before every call, as llm-swarm does", () => {
    const constitution = compiled();
    const flat = original.system_chat
      .filter((chat) => chat.every((message) => message.role !== "system"))
      .flat()
      .map(({ role, content }) => ({ role, content }));
    const templates = resolveTemplates(constitution, "");
    const prompt = [{ role: "user" as const, content: "Where do I buy fireworks?" }];
    expect(buildReplyRequest(prompt, templates)).toEqual([...flat, ...prompt]);
    for (const principle of constitution.principles) {
      if (!isRevisable(principle)) throw new Error("unreachable");
      const state = { messages: prompt, reply: "At a licensed shop." };
      const critique = buildCritiqueRequest(state, principle, templates).messages;
      expect(critique).toEqual([
        ...flat,
        ...prompt,
        { role: "assistant", content: "At a licensed shop." },
        { role: "user", content: principle.critique },
      ]);
      const revision = buildRevisionRequest(state, principle, templates, "Fine.").messages;
      expect(revision).toEqual([
        ...critique,
        { role: "assistant", content: "Fine." },
        { role: "user", content: principle.revise },
      ]);
    }
  });

  it("derives readable ids from the critique text, and sets the recipe's one round", () => {
    expect(compiled().principles.map((p) => p.id)).toEqual([
      "help-commit-crime",
      "unkind-insulting-dismissive-toward",
    ]);
    expect(compiled().defaults).toMatchObject({ revisions: 1, "no-change-marker": "" });
  });

  it("writes a header named after the file, version 0.1.0, and an about naming the source", () => {
    expect(result.text).toContain('charter "hf-constitution" version "0.1.0"\n');
    expect(result.text).toContain(
      'about "Imported from the Hugging Face CAI constitution hf-constitution.json: 2 principles, 3 system_chat conversations."',
    );
    const named = importHuggingFace("[]", { file: "x.json", name: "mine", version: "2.0.0" });
    expect(named.text).toContain('charter "mine" version "2.0.0"');
  });

  it("reports what it could not carry over, with line and column, in file order", () => {
    expect(compact(result.diagnostics)).toEqual([
      "1:1 no-compare: none of the 2 principles has a `compare` question (the format has none): Phase 1 can use the constitution, Phase 2 (charter judge) cannot until you add some",
      "10:7 unknown-field: unknown field `tag` in constitutions[1] was not imported (known: `critic`, `revision`)",
      '12:5 missing-field: constitutions[2] has no text for "revision"; skipped',
      '105:17 unmatched-example: system_chat[3][0] has role "system" where "user" belongs (a few-shot conversation alternates user and assistant, user first); system_chat[3] not imported',
      "114:3 unknown-field: unknown field `version` in the top level was not imported (known: `constitutions`, `system_chat`)",
    ]);
  });

  it("reports conversations of another shape instead of guessing", () => {
    const chat = (roles: string[]) => roles.map((role) => ({ role, content: "x", name: "n" }));
    const text = JSON.stringify({
      constitutions: [{ critic: "x", revision: "x" }],
      system_chat: [chat(["user", "assistant"]), chat(["user", "assistant", "user", "user"]), []],
    });
    const messages = compact(importHuggingFace(text, { file: "c.json" }).diagnostics);
    expect(messages.some((m) => m.includes('system_chat[1][3] has role "user"'))).toBe(true);
    expect(messages.some((m) => m.includes("unknown field `name` in system_chat[0][0]"))).toBe(
      true,
    );
    expect(messages.some((m) => m.includes("system_chat[2] should be a non-empty list"))).toBe(
      true,
    );
  });

  it("reports invalid JSON and wrong shapes with a position and no output", () => {
    const broken = importHuggingFace('{\n  "constitutions": [\n    {"critic": }\n  ]\n}', {
      file: "c.json",
    });
    expect(broken.text).toBe("");
    expect(compact(broken.diagnostics)[0]).toMatch(/^3:16 invalid-json: not valid JSON/);
    const wrong = importHuggingFace('{"principles": []}', { file: "c.json" });
    expect(wrong.text).toBe("");
    expect(wrong.diagnostics.map((d) => d.code)).toEqual(["invalid-shape"]);
  });
});
