import { describe, expect, it } from "vitest";
import { pairsOf, parsePairRow } from "../../src/datasets/pair-rows.js";

const user = (content: string) => [{ role: "user", content }];

describe("parsePairRow", () => {
  it("accepts responses rows with and without ids", () => {
    expect(parsePairRow({ id: 7, prompt: "p", responses: ["a", "b", "c"] })).toEqual({
      ok: true,
      group: { id: "7", conversation: user("p"), shape: "text", responses: ["a", "b", "c"] },
    });
    expect(parsePairRow({ prompt: "p", responses: ["a", "b"] })).toEqual({
      ok: true,
      group: { conversation: user("p"), shape: "text", responses: ["a", "b"] },
    });
  });

  it("reads chosen/rejected rows as a pair whose first reply is the given choice", () => {
    expect(parsePairRow({ prompt: "p", chosen: "good", rejected: "bad" })).toEqual({
      ok: true,
      group: { conversation: user("p"), shape: "text", responses: ["good", "bad"], givenChosen: 0 },
    });
  });

  it("reads a multi-turn conversation from the prompt, the replies, or OpenAI's input", () => {
    const turns = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello." },
      { role: "user", content: "Tea or coffee?" },
    ];
    const group = { conversation: turns, shape: "messages", responses: ["Tea.", "Coffee."] };
    const reply = (content: string) => [{ role: "assistant", content }];
    // TRL's conversational layout (Phase 1's pairs.jsonl).
    expect(
      parsePairRow({ id: "t", prompt: turns, chosen: reply("Tea."), rejected: reply("Coffee.") }),
    ).toEqual({ ok: true, group: { id: "t", ...group, givenChosen: 0 } });
    // The HF CAI layout: replies carry the whole conversation, `prompt` is its last user turn.
    expect(
      parsePairRow({
        prompt: "Tea or coffee?",
        chosen: [...turns, ...reply("Tea.")],
        rejected: [...turns, ...reply("Coffee.")],
      }),
    ).toEqual({ ok: true, group: { ...group, givenChosen: 0 } });
    // OpenAI's preference layout.
    expect(
      parsePairRow({
        input: { messages: turns },
        preferred_output: reply("Tea."),
        non_preferred_output: reply("Coffee."),
      }),
    ).toEqual({ ok: true, group: { ...group, givenChosen: 0 } });
    expect(parsePairRow({ prompt: turns, responses: ["Tea.", "Coffee."] })).toEqual({
      ok: true,
      group,
    });
  });

  // Anthropic HH-RLHF rows (and `charter judge --format hh`'s): transcripts, no prompt. The pair
  // reader refused them ("expected `prompt`") before the HH layout's module said how to read them.
  it("reads HH-RLHF rows: both transcripts carry the conversation, the last Assistant turn is the reply", () => {
    const conversation = "\n\nHuman: Hi\n\nAssistant: Hello.\n\nHuman: Tea or coffee?";
    expect(
      parsePairRow({
        chosen: `${conversation}\n\nAssistant: Tea.`,
        rejected: `${conversation}\n\nAssistant: Coffee, always,\n\nfor sure.`,
      }),
    ).toEqual({
      ok: true,
      group: {
        conversation: [
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello." },
          { role: "user", content: "Tea or coffee?" },
        ],
        shape: "messages",
        responses: ["Tea.", "Coffee, always,\n\nfor sure."],
        givenChosen: 0,
      },
    });
    expect(
      parsePairRow({
        chosen: "\n\nHuman: A\n\nAssistant: x",
        rejected: "\n\nHuman: B\n\nAssistant: y",
      }),
    ).toEqual({
      ok: false,
      message: "`rejected` continues a different conversation than `chosen`",
    });
    expect(
      parsePairRow({ chosen: "\n\nHuman: A\n\nAssistant: x", rejected: "\n\nHuman: A" }),
    ).toEqual({ ok: false, message: "`rejected` must end with an assistant turn" });
    // With a prompt, strings are replies (TRL's layout), whatever they hold.
    expect(parsePairRow({ prompt: "p", chosen: "\n\nHuman: x", rejected: "y" })).toMatchObject({
      ok: true,
      group: { responses: ["\n\nHuman: x", "y"] },
    });
  });

  it("refuses conversations that do not fit together", () => {
    const message = (row: unknown) => {
      const result = parsePairRow(row);
      return result.ok ? "ok" : result.message;
    };
    const turns = [{ role: "user", content: "Hi" }];
    const answer = (content: string) => [...turns, { role: "assistant", content }];
    expect(message({ prompt: [...answer("x")], responses: ["a", "b"] })).toBe(
      "`prompt` must end with a user turn",
    );
    expect(
      message({
        prompt: "Hi",
        chosen: answer("a"),
        rejected: [
          { role: "user", content: "Yo" },
          { role: "assistant", content: "b" },
        ],
      }),
    ).toBe("`rejected` continues a different conversation than `chosen`");
    expect(message({ prompt: "Bye", chosen: answer("a"), rejected: answer("b") })).toBe(
      "`prompt` is not the conversation `chosen` continues",
    );
    expect(message({ prompt: "Hi", chosen: turns, rejected: answer("b") })).toBe(
      "`chosen` must end with an assistant turn",
    );
    expect(message({ prompt: [{ role: "robot", content: "x" }], responses: ["a", "b"] })).toBe(
      "prompt[0].role must be one of system, user, assistant",
    );
  });

  it("explains what is wrong with a bad row", () => {
    const message = (row: unknown) => {
      const result = parsePairRow(row);
      return result.ok ? "ok" : result.message;
    };
    expect(message([1])).toBe("expected a JSON object");
    expect(message({ responses: ["a", "b"] })).toBe(
      "expected `prompt` (a string or a list of messages)",
    );
    expect(message({ prompt: "p", responses: ["a"] })).toMatch(/at least two/);
    expect(message({ prompt: "p", responses: ["a", 2] })).toBe(
      "expected `responses[1]` to be a string or a list of messages",
    );
    expect(message({ prompt: "p", chosen: "a" })).toMatch(/both `chosen` and `rejected`/);
    expect(message({ prompt: "p", responses: ["a", "b"], chosen: "a" })).toMatch(/not both/);
    expect(message({ prompt: "p" })).toMatch(/expected `responses`/);
    expect(message({ id: {}, prompt: "p", responses: ["a", "b"] })).toMatch(/`id`/);
  });
});

describe("pairsOf", () => {
  it("lists all pairs in a fixed order with stable ids", () => {
    expect(pairsOf("g", 3, "all").map((pair) => pair.id)).toEqual(["g:0-1", "g:0-2", "g:1-2"]);
  });

  it("compares each reply with the first under reference pairing", () => {
    expect(pairsOf("g", 4, "reference").map((pair) => [pair.first, pair.second])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
    ]);
  });
});
