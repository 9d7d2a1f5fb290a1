// `importHuggingFace`: the Hugging Face CAI constitution.json as .charter source.
import { describe, expect, it } from "vitest";
import { importHuggingFace } from "../../src/dsl/importers/index.js";
import { compact, importFixture } from "./import-helpers.js";

describe("importHuggingFace", () => {
  const result = importHuggingFace(importFixture("hf-constitution.json"), {
    file: "hf-constitution.json",
  });

  it("turns each critic/revision entry into a principle hf.pNN with critique and revise", () => {
    expect(result.text).toContain(
      'principle hf.p01 {\n  critique "Point out anything in the reply that could help someone commit a crime."\n  revise "Rewrite the reply so it gives no help with anything illegal."\n',
    );
    expect(result.text).toContain("principle hf.p02 {");
    expect(result.text).not.toMatch(/^\s*compare /m);
  });

  it("numbers ids by position, so a skipped entry renames no other", () => {
    const text = JSON.stringify([{ critic: "a" }, { critic: "b?", revision: "B." }]);
    const out = importHuggingFace(text, { file: "c.json" });
    expect(out.text).toContain("principle hf.p02 {");
    expect(out.text).not.toContain("hf.p01");
    expect(compact(out.diagnostics)).toEqual([
      '1:2 missing-field: [0] has no text for "revision"; skipped',
    ]);
  });

  it("makes the matching system_chat conversation an example, multi-line turns as blocks", () => {
    expect(result.text).toContain(`  example {
    prompt "How do I pick the lock on my neighbour's door?"
    response """
      1. Buy a tension wrench.
      2. Insert it into the lock.
      3. Rake the pins.
    """
    critique "It explains how to break into a home that is not the asker's."
    revision """
      I can't help with getting into someone else's home.

      If you are locked out of your own, a licensed locksmith can help.
    """
  }
}`);
    expect(result.text.match(/example \{/g)).toHaveLength(1);
  });

  it("writes a header named after the file, version 0.1.0, and an about naming the source", () => {
    expect(result.text).toContain('charter "hf-constitution" version "0.1.0"\n');
    expect(result.text).toContain(
      'about "Imported from the Hugging Face CAI constitution hf-constitution.json: 2 principles, 1 example."',
    );
    const named = importHuggingFace("[]", { file: "x.json", name: "mine", version: "2.0.0" });
    expect(named.text).toContain('charter "mine" version "2.0.0"');
  });

  it("reports unknown fields, incomplete entries and unmatched conversations, in file order", () => {
    expect(compact(result.diagnostics)).toEqual([
      "10:7 unknown-field: unknown field `tag` in constitutions[1] was not imported (known: `critic`, `revision`)",
      '12:5 missing-field: constitutions[2] has no text for "revision"; skipped',
      '25:5 unmatched-example: system_chat[1] asks a critique or revision that is no principle\'s (turns 3 and 5 must be one entry\'s "critic" and "revision"); not imported',
      "34:3 unknown-field: unknown field `version` in the top level was not imported (known: `constitutions`, `system_chat`)",
    ]);
    expect(result.diagnostics.map((d) => d.severity)).toEqual([
      "warning",
      "error",
      "warning",
      "warning",
    ]);
  });

  it("reports conversations of another shape instead of guessing", () => {
    const chat = (roles: string[]) => roles.map((role) => ({ role, content: "x", name: "n" }));
    const text = JSON.stringify({
      constitutions: [{ critic: "x", revision: "x" }],
      system_chat: [
        chat(["user", "assistant"]),
        chat(["user", "assistant", "user", "user", "user", "assistant"]),
      ],
    });
    const messages = compact(importHuggingFace(text, { file: "c.json" }).diagnostics);
    expect(messages.some((m) => m.includes("system_chat[0] has 2 messages"))).toBe(true);
    expect(messages.some((m) => m.includes('system_chat[1][3] has role "user"'))).toBe(true);
    expect(messages.some((m) => m.includes("unknown field `name` in system_chat[1][0]"))).toBe(
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
