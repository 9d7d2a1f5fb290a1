import { describe, expect, it } from "vitest";
import { renderConversation, renderTemplate, templateVariables } from "../../src/dsl/index.js";

describe("renderTemplate", () => {
  it("fills dotted and spaced variables and leaves unknown ones visible", () => {
    const text = "{{conversation}}\n\nCritique request: {{ principle.critique }} {{missing}}";
    expect(renderTemplate(text, { conversation: "Human: hi", "principle.critique": "Kind?" })).toBe(
      "Human: hi\n\nCritique request: Kind? {{missing}}",
    );
  });

  it("lists variables once each, in order", () => {
    expect(templateVariables("{{b}} {{a}} {{ b }}")).toEqual(["b", "a"]);
  });
});

describe("renderConversation", () => {
  it("renders Human/Assistant turns and skips system turns", () => {
    expect(
      renderConversation([
        { role: "system", content: "be nice" },
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ]),
    ).toBe("Human: Hi\n\nAssistant: Hello");
  });
});
