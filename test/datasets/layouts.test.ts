// One definition per dataset layout: every layout a Charter command writes (revise's sft.jsonl and
// pairs.jsonl, judge's and score's preferences.jsonl, in each --format) is recognised by
// `charter inspect`'s detector as that layout, row by row, and reads back to what was written.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import {
  DATASET_FORMATS,
  LAYOUTS,
  detectLayout,
  parsePairRow,
  rowOfAnyLayout,
  toDatasetRow,
  type DatasetFormat,
  type DatasetRow,
} from "../../src/datasets/index.js";
import { openDataset, readDatasetRows } from "../../src/quality/index.js";
import { captureIO } from "../cli/cli-io.js";
import { tempDir } from "../providers/helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const HARMLESS = join(ROOT, "constitutions/harmless.charter");
const SHOWCASE = join(ROOT, "constitutions/showcase.charter");
const PROMPTS = join(ROOT, "examples/prompts.jsonl");
const PAIRS = join(ROOT, "examples/pairs.jsonl");

type Json = Record<string, unknown>;
type Turn = { role: string; content: string };

async function charter(args: string[]): Promise<void> {
  const io = captureIO(ROOT);
  const code = await main(args, io);
  if (code !== 0) throw new Error(`charter ${args.join(" ")} exited ${code}: ${io.err()}`);
}

const rowsOf = (file: string): Json[] =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Json);

/** The text a prompt is read as: its user and system turns, one per line. */
const promptText = (prompt: unknown): string =>
  typeof prompt === "string"
    ? prompt
    : (prompt as Turn[])
        .filter((turn) => turn.role !== "assistant")
        .map((turn) => turn.content)
        .join("\n");

/** What a written file says, as `inspect` must read it back: through the detector, row by row. */
async function readBack(file: string, layout: DatasetFormat): Promise<DatasetRow[]> {
  for (const row of rowsOf(file)) expect(detectLayout(row), file).toBe(layout);
  const source = await openDataset(file);
  expect(source.format, file).toBe(layout);
  const rows: DatasetRow[] = [];
  for await (const row of readDatasetRows(source, { withTrace: false })) rows.push(row);
  return rows;
}

/** The fields a layout carries, to compare read-backs of the same content across layouts. */
const content = (row: DatasetRow) => ({
  prompt: row.prompt,
  reply: row.reply,
  ...(row.rejected === undefined ? {} : { rejected: row.rejected }),
});

let dir: string;
beforeAll(async () => {
  dir = tempDir("charter-layouts-");
  const runs: Promise<void>[] = [];
  for (const format of ["trl", "openai", "hf-cai"]) {
    for (const emit of ["final", "all-rounds"]) {
      runs.push(
        charter([
          "revise",
          "--constitution",
          HARMLESS,
          "--prompts",
          PROMPTS,
          "--model",
          "offline:rehearsal",
          "--format",
          format,
          "--emit",
          emit,
          "--out",
          join(dir, `revise-${format}-${emit}`),
        ]),
      );
    }
  }
  await Promise.all(runs);
  const judged: Promise<void>[] = [];
  for (const format of ["trl", "trl-chat", "openai-dpo", "hh"]) {
    for (const [name, pairs] of [
      ["text", PAIRS],
      // Phase 1's pairs: prompts as message lists.
      ["messages", join(dir, "revise-trl-final/pairs.jsonl")],
    ] as const) {
      judged.push(
        charter([
          "judge",
          "--constitution",
          SHOWCASE,
          "--pairs",
          pairs,
          "--judge",
          "offline:rehearsal",
          "--format",
          format,
          "--out",
          join(dir, `judge-${name}-${format}`),
        ]),
      );
    }
    judged.push(
      charter([
        "score",
        "--constitution",
        SHOWCASE,
        "--input",
        PAIRS,
        "--judge",
        "offline:rehearsal",
        "--pairs-from",
        "best-worst",
        "--threshold",
        "0.5",
        "--format",
        format,
        "--out",
        join(dir, `score-${format}`),
      ]),
    );
  }
  await Promise.all(judged);
  // Charter's own preferences, in each layout, judged again as they are (relabelling).
  await Promise.all(
    ["trl", "trl-chat", "openai-dpo", "hh"].map((format) =>
      charter([
        "judge",
        "--constitution",
        SHOWCASE,
        "--pairs",
        join(dir, `judge-text-${format}`, "preferences.jsonl"),
        "--judge",
        "offline:rehearsal",
        "--out",
        join(dir, `rejudge-${format}`),
      ]),
    ),
  );
}, 180_000);

describe("the layout registry", () => {
  it("detection tries every layout exactly once", () => {
    expect([...DATASET_FORMATS].sort()).toEqual(Object.keys(LAYOUTS).sort());
    for (const [name, layout] of Object.entries(LAYOUTS)) expect(layout.name).toBe(name);
  });

  it("names the row a layout cannot read, and reads a row in the layout it names", () => {
    expect(() => toDatasetRow([], "sft-trl", 1)).toThrow("row is not a JSON object");
    expect(
      toDatasetRow({ prompt: "Hi", chosen: "Hello", rejected: "Go away" }, "preference-trl", 3),
    ).toEqual({
      line: 3,
      id: "line:3",
      prompt: "Hi",
      turns: 2,
      reply: "Hello",
      rejected: "Go away",
    });
  });
});

describe("every layout Charter writes reads back through inspect's detector", () => {
  it("revise: sft.jsonl in trl, openai and hf-cai is sft-trl, sft-openai, sft-hf-cai, with the same replies", async () => {
    for (const emit of ["final", "all-rounds"]) {
      const folder = (format: string) => join(dir, `revise-${format}-${emit}`, "sft.jsonl");
      const written = rowsOf(folder("trl"));
      expect(written.length).toBeGreaterThan(5);
      // What was written: the conversation, its last turn the reply taught.
      const expected = written.map((row) => {
        const messages = row.messages as Turn[];
        return {
          prompt: promptText(messages.slice(0, -1)),
          reply: (messages.at(-1) as Turn).content,
        };
      });
      const trl = await readBack(folder("trl"), "sft-trl");
      expect(trl.map(content)).toEqual(expected);
      expect(trl.map((row) => row.id)).toEqual(written.map((row) => row.id));
      expect((await readBack(folder("openai"), "sft-openai")).map(content)).toEqual(expected);
      const hfCai = await readBack(folder("hf-cai"), "sft-hf-cai");
      // The recipe's lists are stripped (its layout); the replies here have no outer spaces.
      expect(hfCai.map(content)).toEqual(expected);
      expect(hfCai.map((row) => row.firstReply)).toEqual(
        rowsOf(folder("hf-cai")).map((row) => row.init_response),
      );
    }
  });

  it("revise: pairs.jsonl in trl, openai and hf-cai is preference-trl-chat, preference-openai-dpo, sft-hf-cai", async () => {
    const pairs = (format: string) => join(dir, `revise-${format}-final`, "pairs.jsonl");
    const written = rowsOf(pairs("trl"));
    expect(written.length).toBeGreaterThan(3);
    const expected = written.map((row) => ({
      prompt: promptText(row.prompt),
      reply: (row.chosen as Turn[])[0]?.content,
      rejected: (row.rejected as Turn[])[0]?.content,
    }));
    expect((await readBack(pairs("trl"), "preference-trl-chat")).map(content)).toEqual(expected);
    expect((await readBack(pairs("openai"), "preference-openai-dpo")).map(content)).toEqual(
      expected,
    );
    const hfCai = await readBack(pairs("hf-cai"), "sft-hf-cai");
    expect(
      hfCai.map((row) => ({ prompt: row.prompt, reply: row.reply, rejected: row.firstReply })),
    ).toEqual(expected);
  });

  for (const [run, name] of [
    ["judge-text", "judge with string prompts"],
    ["judge-messages", "judge with message-list prompts"],
    ["score", "score --pairs-from best-worst"],
  ] as const) {
    it(`${name}: trl, trl-chat, openai-dpo and hh read back to the same pairs`, async () => {
      const file = (format: string) => join(dir, `${run}-${format}`, "preferences.jsonl");
      const trlRows = rowsOf(file("trl"));
      expect(trlRows.length).toBeGreaterThan(2);
      const textPrompts = typeof trlRows[0]?.prompt === "string";
      // `trl` keeps the prompt's shape: strings are TRL's standard layout, lists its chat layout.
      const trl = await readBack(
        file("trl"),
        textPrompts ? "preference-trl" : "preference-trl-chat",
      );
      const reply = (value: unknown): unknown =>
        typeof value === "string" ? value : (value as Turn[])[0]?.content;
      const expected = trlRows.map((row) => ({
        prompt: promptText(row.prompt),
        reply: reply(row.chosen),
        rejected: reply(row.rejected),
      }));
      expect(trl.map(content)).toEqual(expected);
      expect(trl.map((row) => row.id)).toEqual(trlRows.map((row) => row.id));
      expect(trl.map((row) => row.probability)).toEqual(trlRows.map((row) => row.probability));
      const chat = await readBack(file("trl-chat"), "preference-trl-chat");
      expect(chat.map(content)).toEqual(expected);
      expect(chat.map((row) => row.verdicts?.length)).toEqual(
        trlRows.map((row) => (Array.isArray(row.verdicts) ? row.verdicts.length : undefined)),
      );
      expect((await readBack(file("openai-dpo"), "preference-openai-dpo")).map(content)).toEqual(
        expected,
      );
      // HH's transcript has no system turn (the layout leaves it out) and trims the turns it
      // splits (these texts have no outer spaces).
      const withoutSystem = trlRows.map((row, index) => ({
        ...expected[index],
        prompt: promptText(
          typeof row.prompt === "string"
            ? row.prompt
            : (row.prompt as Turn[]).filter((turn) => turn.role !== "system"),
        ),
      }));
      expect((await readBack(file("hh"), "preference-hh")).map(content)).toEqual(withoutSystem);
    });
  }

  it("judge --pairs reads back every preference layout Charter writes: the same pairs, relabelled", async () => {
    const pairOf = (row: DatasetRow) => ({
      prompt: row.prompt,
      replies: [row.reply, row.rejected].sort(),
    });
    const original = await readBack(
      join(dir, "judge-text-trl", "preferences.jsonl"),
      "preference-trl",
    );
    const originalPairs = original.map(pairOf);
    for (const format of ["trl", "trl-chat", "openai-dpo", "hh"]) {
      const folder = join(dir, `rejudge-${format}`);
      // A conversation read from message lists or transcripts stays one (TRL's chat layout).
      const layout = format === "trl" ? "preference-trl" : "preference-trl-chat";
      const rejudged = (await readBack(join(folder, "preferences.jsonl"), layout)).map(pairOf);
      // Every pair comes back, labelled again or left as a tie.
      expect(rejudged.length + rowsOf(join(folder, "ties.jsonl")).length, format).toBe(
        originalPairs.length,
      );
      // (Which pairs tie may differ: rows without ids get derived ones, so other samples.)
      for (const pair of rejudged) expect(originalPairs, format).toContainEqual(pair);
      expect(rejudged.length, format).toBeGreaterThan(originalPairs.length / 2);
    }
  });
});

describe("the pair reader and the layouts agree", () => {
  // One row per layout `judge --pairs` takes: what the pair reader accepts, inspect reads with the
  // same prompt text and the same two replies.
  const rows: Record<string, Json> = {
    "judge-input": { prompt: "Q?", responses: ["A.", "B."] },
    "preference-trl": { prompt: "Q?", chosen: "A.", rejected: "B." },
    "preference-trl-chat": {
      prompt: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Q?" },
      ],
      chosen: [{ role: "assistant", content: "A." }],
      rejected: [{ role: "assistant", content: "B." }],
    },
    "preference-trl-chat (implicit prompt)": {
      chosen: [
        { role: "user", content: "Q?" },
        { role: "assistant", content: "A." },
      ],
      rejected: [
        { role: "user", content: "Q?" },
        { role: "assistant", content: "B." },
      ],
    },
    "preference-openai-dpo": {
      input: { messages: [{ role: "user", content: "Q?" }] },
      preferred_output: [{ role: "assistant", content: "A." }],
      non_preferred_output: [{ role: "assistant", content: "B." }],
    },
    "preference-hh": {
      chosen: "\n\nHuman: Q?\n\nAssistant: A.",
      rejected: "\n\nHuman: Q?\n\nAssistant: B.",
    },
  };
  for (const [name, row] of Object.entries(rows))
    it(`${name}: the same prompt and replies`, () => {
      const parsed = parsePairRow(row);
      if (!parsed.ok) throw new Error(parsed.message);
      const format = detectLayout(row);
      expect(format).toBe(name.split(" ")[0]);
      const read = toDatasetRow(row, format!, 1);
      const prompt = parsed.group.conversation.map((turn) => turn.content).join("\n");
      expect([read.prompt, read.reply, read.rejected]).toEqual([prompt, ...parsed.group.responses]);
    });
});

describe("every layout gives the whole conversation before the reply", () => {
  // A conversation of four turns (system, user, assistant, user) in each layout; HH has no system
  // turn. `conversation` keeps every turn with its role, `prompt` is its user and system text.
  const FOUR: Turn[] = [
    { role: "system", content: "Be brief." },
    { role: "user", content: "Name a fruit." },
    { role: "assistant", content: "Apple." },
    { role: "user", content: "Another?" },
  ];
  const reply = (content: string): Turn => ({ role: "assistant", content });
  const rows: Record<DatasetFormat, Json> = {
    "sft-trl": { id: "a", messages: [...FOUR, reply("Pear.")] },
    "sft-openai": { messages: [...FOUR, reply("Pear.")] },
    "sft-hf-cai": {
      init_response: "Plum.",
      revision_response: "Pear.",
      messages: [...FOUR, reply("Pear.")],
      chosen: [...FOUR, reply("Pear.")],
    },
    "preference-trl": { prompt: FOUR, chosen: "Pear.", rejected: "No." },
    "preference-trl-chat": { chosen: [...FOUR, reply("Pear.")], rejected: [...FOUR, reply("No.")] },
    "preference-openai-dpo": {
      input: { messages: FOUR },
      preferred_output: [reply("Pear.")],
      non_preferred_output: [reply("No.")],
    },
    "preference-hh": {
      chosen:
        "\n\nHuman: Name a fruit.\n\nAssistant: Apple.\n\nHuman: Another?\n\nAssistant: Pear.",
      rejected:
        "\n\nHuman: Name a fruit.\n\nAssistant: Apple.\n\nHuman: Another?\n\nAssistant: No.",
    },
    "judge-input": { prompt: FOUR, responses: ["Pear.", "No."] },
    prompts: { messages: FOUR },
  };
  for (const format of DATASET_FORMATS)
    it(format, () => {
      const row = rows[format];
      const expected = format === "preference-hh" ? FOUR.slice(1) : FOUR;
      expect(LAYOUTS[format].conversation(row)).toEqual(expected);
      expect(toDatasetRow(row, format, 1).prompt).toBe(promptText(expected));
      // A prompts row of messages is detected as OpenAI's SFT layout: `--format prompts` reads it.
      if (format === "prompts") return;
      expect(detectLayout(row)).toBe(format);
      // The report reads rows through rowOfAnyLayout: the same conversation.
      expect(rowOfAnyLayout(row, 1)?.conversation).toEqual(expected);
      expect(rowOfAnyLayout(row, 1)?.reply).toBe("Pear.");
    });
});
