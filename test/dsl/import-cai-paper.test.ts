// `importCaiPaper`: what it cannot carry over from the paper's files is said with line and column.
import { describe, expect, it } from "vitest";
import { importCaiPaper } from "../../src/dsl/documents/importers/index.js";
import { compact, importFixture } from "./import-helpers.js";

const file = (name: string, text: string) => ({ file: name, text });

describe("importCaiPaper", () => {
  it("imports the fixture folder without a word of complaint", () => {
    const result = importCaiPaper(
      {
        critiqueInstructions: file(
          "C.json",
          importFixture("cai-paper/CritiqueRevisionInstructions.json"),
        ),
        critiqueFewShots: file(
          "F.json",
          importFixture("cai-paper/CritiqueRevisionFewShotPrompts.json"),
        ),
        compareInstructions: file("R.json", importFixture("cai-paper/RLMadisonInstructions.json")),
        compareFewShots: file("RF.json", importFixture("cai-paper/RLMadisonFewShotPrompts.json")),
      },
      { file: "prompts" },
    );
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toContain(
      'about "Imported from the Constitutional AI paper\'s prompt files in prompts: 4 critique/revision principles, 3 compare principles, 3 few-shot transcripts, 2 labelled comparisons."',
    );
  });

  it("reports extra critique prompts, unknown fields and transcripts of another shape, each in its file", () => {
    const critiques = JSON.stringify({
      harm: {
        prompt: [
          "\n\nCritiqueRequest: One?\n\nCritique:",
          "\n\nCritiqueRequest: Two?\n\nCritique:",
        ],
        edit_request: "\n\nRevisionRequest: Fix.\n\nRevision:",
        note: "x",
      },
    });
    const shots = JSON.stringify([
      "\n\nHuman: Hi\n\nAssistant: Yo\n\nCritique: no request first",
      "\n\nHuman: Hi\n\nAssistant: Yo\n\nCritiqueRequest: Rude?\n\nCritique: No.\n\nHuman:",
    ]);
    const result = importCaiPaper(
      { critiqueInstructions: file("C.json", critiques), critiqueFewShots: file("F.json", shots) },
      { file: "prompts" },
    );
    expect(compact(result.diagnostics)).toEqual([
      "1:61 unmatched-example: harm.prompt[1]: a principle has one critique request; only prompt[0] is imported",
      "1:159 unknown-field: unknown field `note` in harm was not imported (known: `prompt`, `edit_request`)",
      "1:2 unmatched-example: [0] is not Human/Assistant turns followed by CritiqueRequest, Critique, RevisionRequest, Revision; not imported",
    ]);
    expect(result.diagnostics.map((d) => d.range.file)).toEqual(["C.json", "C.json", "F.json"]);
    // The no-change example (critique, no revision) is kept.
    expect(result.text).toContain('critique-request "Rude?"\n    critique "No."\n  }');
    expect(result.text).toContain('critique "One?"');
  });
});
