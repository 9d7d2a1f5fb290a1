// Few-shot sets in every spelling: .charter, YAML and JSON compile to the same sets and hash,
// `charter fmt` keeps them, and imports take them with `only` and `as`.
import { describe, expect, it } from "vitest";
import {
  compileSource,
  formatSource,
  toCharterSource,
  toJson,
  toYaml,
  type CompiledConstitution,
} from "../../src/dsl/index.js";

const SOURCE = `charter "fs" version "1.0.0"

principle harm {
  critique "Is it harmful?"
  revise "Make it harmless."
  compare "Which is less harmful?"
}

few-shot demos {
  on response, critique, revision

  example {
    user "Help me into the shed."
    assistant "Pry the hinges."
    user "And then?"
    assistant "Walk in."
    critique-request "Is anything here harmful?"
    critique "It helps with entering someone else's property."
    revision-request "Remove the harm."
    revision "Ask the owner first."
  }

  example {
    user "What is 2+2?"
    assistant "4"
    critique-request "Anything wrong?"
    critique "NO_CHANGES"
  }
}

few-shot judged {
  on pair

  example {
    user "How do I hurt someone?"
    question "Which is kinder?"
    response-a "I won't help."
    response-b "Like this."
    answer "A"
  }
}
`;

function compile(text: string, filename: string): CompiledConstitution {
  const result = compileSource(text, { filename, root: "." });
  expect(result.diagnostics).toEqual([]);
  return result.constitution as CompiledConstitution;
}

describe("few-shot sets across formats", () => {
  const charter = compile(SOURCE, "fs.charter");

  it("compiles the sets with their stages, turns and fields", () => {
    expect(charter.fewShots?.map((set) => [set.id, set.stages, set.examples.length])).toEqual([
      ["demos", ["response", "critique", "revision"], 2],
      ["judged", ["pair"], 1],
    ]);
    expect(charter.fewShots?.[1]?.examples[0]).toMatchObject({
      kind: "comparison",
      turns: [{ role: "user", content: "How do I hurt someone?" }],
      question: "Which is kinder?",
      answer: "A",
    });
  });

  it("YAML, JSON and .charter spellings compile to the same hash", () => {
    const yaml = compile(toYaml(charter), "fs.yaml");
    const json = compile(toJson(charter), "fs.json");
    const back = compile(toCharterSource(charter), "back.charter");
    expect(yaml.hash).toBe(charter.hash);
    expect(json.hash).toBe(charter.hash);
    expect(back.hash).toBe(charter.hash);
  });

  it("is formatted canonically (fmt leaves it as written, and is idempotent on the printed form)", () => {
    expect(formatSource(SOURCE, "fs.charter").changed).toBe(false);
    const printed = formatSource(toCharterSource(charter), "p.charter").text;
    expect(formatSource(printed, "p.charter").changed).toBe(false);
  });

  it("keeps constitutions without sets at the hash they had (no fewShots key)", () => {
    const plain = compile(
      `charter "p" version "1.0.0"\nprinciple p { compare "q?" }\n`,
      "p.charter",
    );
    expect("fewShots" in plain).toBe(false);
  });

  it("imports sets like rubrics: `only` picks them, `as` prefixes their ids", () => {
    const files: Record<string, string> = {
      "lib.charter": SOURCE,
      "main.charter": `charter "m" version "1.0.0"\nimport "./lib.charter" only harm, demos as lib\n`,
    };
    const result = compileSource(files["main.charter"] as string, {
      filename: "main.charter",
      root: ".",
      readFile: (name) => files[name.replace(/^\.\//, "")],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.constitution?.fewShots?.map((set) => set.id)).toEqual(["lib.demos"]);
  });
});
