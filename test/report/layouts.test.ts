// The report reads preferences and a score run's input through the dataset layouts' modules: an HH
// run shows its prompt and replies (not whole transcripts), and a score input's rows give every
// reply, however many, in any layout `score --input` takes.
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHTML } from "linkedom";
import { main } from "../../src/cli/main.js";
import { buildReport } from "../../src/report/index.js";
import { captureIO } from "../cli/cli-io.js";
import { tempDir } from "../providers/helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

async function charter(args: string[], cwd: string): Promise<void> {
  const io = captureIO(cwd);
  const code = await main(args, io);
  if (code !== 0) throw new Error(`charter ${args.join(" ")} exited ${code}: ${io.err()}`);
}

interface Detail {
  kind: string;
  prompt: { role: string; content: string }[];
  replies: { label?: string; text: string }[];
}

function details(html: string): Record<string, Detail> {
  const { document } = parseHTML(html);
  const data = JSON.parse(document.getElementById("charter-data")?.textContent ?? "null") as {
    details: Record<string, Detail>;
    items: [number, string, string, ...unknown[]][];
  };
  return data.details;
}

describe("charter report through the dataset layouts", () => {
  it("shows an HH run's prompt and replies, not the transcripts", async () => {
    const dir = tempDir("charter-report-hh-");
    const out = join(dir, "hh");
    await charter(
      [
        "judge",
        "--constitution",
        join(ROOT, "constitutions/showcase.charter"),
        "--pairs",
        join(ROOT, "examples/pairs.jsonl"),
        "--judge",
        "offline:rehearsal",
        "--format",
        "hh",
        "--out",
        out,
      ],
      dir,
    );
    const { html } = await buildReport([out], { sampleLimit: 100 });
    // HH rows carry no id: the detail is found by its prompt, which must be the Human turn alone.
    const pairs = Object.values(details(html)).filter((detail) => detail.kind === "pair");
    expect(pairs).toHaveLength(14);
    for (const pair of pairs)
      for (const part of [
        ...pair.prompt.map((turn) => turn.content),
        ...pair.replies.map((reply) => reply.text),
      ])
        expect(part).not.toMatch(/Human:|Assistant:/);
    const tired = pairs.filter(
      (pair) =>
        JSON.stringify(pair.prompt) ===
        JSON.stringify([
          { role: "user", content: "I feel tired all the time. What could be going on?" },
        ]),
    );
    expect(tired.length).toBeGreaterThan(0);
    expect(tired[0]?.replies.map((reply) => reply.text).join(" ")).toContain("low iron");
  });

  it("gives a score run's input rows every reply, in any layout", async () => {
    const dir = tempDir("charter-report-score-");
    const input = join(dir, "input.jsonl");
    writeFileSync(
      input,
      [
        { id: "three", prompt: "Name a colour.", responses: ["Red.", "Blue.", "Green."] },
        {
          id: "hh",
          chosen: "\n\nHuman: Say hi.\n\nAssistant: Hi!",
          rejected: "\n\nHuman: Say hi.\n\nAssistant: No.",
        },
      ]
        .map((row) => JSON.stringify(row) + "\n")
        .join(""),
    );
    const out = join(dir, "score");
    await charter(
      [
        "score",
        "--constitution",
        join(ROOT, "constitutions/showcase.charter"),
        "--input",
        input,
        "--judge",
        "offline:rehearsal",
        "--out",
        out,
      ],
      dir,
    );
    const all = details((await buildReport([out], { sampleLimit: 100 })).html);
    expect(all["0:three"]?.prompt).toEqual([{ role: "user", content: "Name a colour." }]);
    expect(all["0:three"]?.replies.map((reply) => reply.text)).toEqual(["Red.", "Blue.", "Green."]);
    expect(all["0:hh"]?.prompt).toEqual([{ role: "user", content: "Say hi." }]);
    expect(all["0:hh"]?.replies.map((reply) => reply.text)).toEqual(["Hi!", "No."]);
  });
});
