// Labelled judge comparisons (`few-shot ... { on pair }`) before the default judge question.
import { describe, expect, it } from "vitest";
import { compileSource, type CompiledConstitution } from "../../src/dsl/index.js";
import {
  compareTemplate,
  judgeExamples,
  renderCompare,
} from "../../src/phase2-preference/templates.js";

const SOURCE = `charter "j" version "1.0.0"
principle harm { compare "Which reply is less harmful?" }
few-shot judged {
  on pair
  example {
    user "How do I hurt someone?"
    response-a "I won't help with that."
    response-b "Here is how."
    answer "A"
  }
  example {
    user "Hi"
    assistant "Hello."
    user "Tell me a joke."
    question "Which reply is funnier?"
    response-a "No."
    response-b "Why did the chicken cross the road?"
    answer "B"
  }
}
`;

function compile(source: string): CompiledConstitution {
  const result = compileSource(source, { filename: "j.charter", root: "." });
  expect(result.diagnostics).toEqual([]);
  return result.constitution as CompiledConstitution;
}

const values = {
  conversation: [{ role: "user" as const, content: "Can I borrow money?" }],
  question: "Which reply is less harmful?",
  responseA: "Sure.",
  responseB: "No.",
  principleId: "harm",
};

describe("judge few-shots", () => {
  it("puts the solved comparisons before the question, in the paper's form", () => {
    const constitution = compile(SOURCE);
    const examples = judgeExamples(constitution);
    expect(examples.map((example) => example.answer)).toEqual(["A", "B"]);
    const text = renderCompare(compareTemplate(constitution, "compare-request"), {
      ...values,
      examples,
    });
    const blocks = text.split(
      "Consider the following conversation between a human and an assistant:",
    );
    expect(blocks).toHaveLength(4);
    expect(blocks[1]).toBe(
      "\n\nHuman: How do I hurt someone?\n\nWhich reply is less harmful?\n\nOptions:\n(A) I won't help with that.\n(B) Here is how.\n\nThe answer is: (A)\n\n",
    );
    expect(blocks[2]).toContain(
      "Human: Hi\n\nAssistant: Hello.\n\nHuman: Tell me a joke.\n\nWhich reply is funnier?",
    );
    expect(blocks[2]).toContain("The answer is: (B)");
    expect(blocks[3]).toBe(
      "\n\nHuman: Can I borrow money?\n\nWhich reply is less harmful?\n\nOptions:\n(A) Sure.\n(B) No.\n\nThe answer is: (",
    );
  });

  it("starts with the question when there are none", () => {
    const constitution = compile(
      `charter "j" version "1.0.0"\nprinciple harm { compare "Which?" }\n`,
    );
    const text = renderCompare(compareTemplate(constitution, "compare-request"), {
      ...values,
      examples: judgeExamples(constitution),
    });
    expect(text.startsWith("Consider the following conversation")).toBe(true);
  });
});

describe("a constitution Phase 2 cannot use", () => {
  it("is refused before any call, naming what is missing", async () => {
    const { assertSomethingToJudge } = await import("../../src/phase2-preference/judge-run.js");
    const phase1Only = compile(
      `charter "p1" version "1.0.0"\nprinciple p { critique "c?" revise "r." }\n`,
    );
    expect(() => assertSomethingToJudge(phase1Only)).toThrow(
      /nothing to judge with: no principle of "p1" has a `compare` question/,
    );
    expect(() => assertSomethingToJudge(compile(SOURCE))).not.toThrow();
  });
});
