// A prompt that is a conversation (user, assistant, user...) is shown whole by `charter report` and
// `charter show`: every turn in order with its role, for revise, judge (preferences, ties, any
// output format) and score runs, not only its user turns.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHTML } from "linkedom";
import { main } from "../../src/cli/main.js";
import { buildReport } from "../../src/report/index.js";
import { captureIO } from "../cli/cli-io.js";
import { tempDir } from "../providers/helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHARTER_CHROMIUM ?? "/usr/bin/chromium";

type Turn = { role: string; content: string };

async function charter(args: string[], cwd: string): Promise<string> {
  const io = captureIO(cwd);
  const code = await main(args, io);
  if (code !== 0) throw new Error(`charter ${args.join(" ")} exited ${code}: ${io.err()}`);
  return io.out();
}

function writeJsonl(file: string, rows: readonly unknown[]): string {
  writeFileSync(file, rows.map((row) => JSON.stringify(row) + "\n").join(""));
  return file;
}

/** Each sampled item's prompt as the page's data holds it, by `run:id`. */
async function promptsOf(run: string): Promise<Record<string, unknown>> {
  const { html } = await buildReport([run], { sampleLimit: 100 });
  const { document } = parseHTML(html);
  const data = JSON.parse(document.getElementById("charter-data")?.textContent ?? "null") as {
    details: Record<string, { prompt?: unknown }>;
  };
  return Object.fromEntries(
    Object.entries(data.details).map(([key, detail]) => [key, detail.prompt]),
  );
}

const FRUIT: Turn[] = [
  { role: "system", content: "Answer in one word." },
  { role: "user", content: "Pick a fruit." },
  { role: "assistant", content: "Apple." },
  { role: "user", content: "Another one?" },
];
const BYE: Turn[] = [
  { role: "user", content: "Hi." },
  { role: "assistant", content: "Hello." },
  { role: "user", content: "Say bye." },
];

/** `charter show`'s lines for a conversation: each role, then its text indented. */
const shown = (turns: readonly Turn[]): string =>
  turns.map((turn) => `${turn.role}:\n    ${turn.content}`).join("\n");

describe("a multi-turn prompt in the report and in charter show", () => {
  let dir: string;
  const runs = { revise: "", judge: "", hh: "", score: "" };

  beforeAll(async () => {
    dir = tempDir("charter-report-turns-");
    const prompts = writeJsonl(join(dir, "prompts.jsonl"), [{ id: "name", messages: FRUIT }]);
    // q1 is labelled by the rehearsal judge, t1 and q2 are ties; q2 is an HH row whose transcripts
    // hold the whole conversation.
    const pairs = writeJsonl(join(dir, "pairs.jsonl"), [
      {
        id: "q1",
        prompt: FRUIT,
        responses: ["Pear, a sweet and juicy fruit that grows on trees.", "No."],
      },
      { id: "t1", prompt: FRUIT, responses: ["Pear.", "No."] },
      {
        id: "q2",
        chosen: "\n\nHuman: Hi.\n\nAssistant: Hello.\n\nHuman: Say bye.\n\nAssistant: Bye!",
        rejected: "\n\nHuman: Hi.\n\nAssistant: Hello.\n\nHuman: Say bye.\n\nAssistant: No.",
      },
    ]);
    const constitution = (name: string) => join(ROOT, "constitutions", name);
    runs.revise = join(dir, "revise");
    await charter(
      [
        "revise",
        "--constitution",
        constitution("harmless.charter"),
        "--prompts",
        prompts,
        "--model",
        "offline:rehearsal",
        "--out",
        runs.revise,
      ],
      dir,
    );
    for (const [run, format] of [
      ["judge", "trl-chat"],
      ["hh", "hh"],
    ] as const) {
      runs[run] = join(dir, run);
      await charter(
        [
          "judge",
          "--constitution",
          constitution("showcase.charter"),
          "--pairs",
          pairs,
          "--judge",
          "offline:rehearsal",
          "--format",
          format,
          "--out",
          runs[run],
        ],
        dir,
      );
    }
    runs.score = join(dir, "score");
    await charter(
      [
        "score",
        "--constitution",
        constitution("showcase.charter"),
        "--input",
        pairs,
        "--judge",
        "offline:rehearsal",
        "--out",
        runs.score,
      ],
      dir,
    );
  }, 60_000);

  it("keeps every turn of a Phase 1 item's prompt, in order, with its role", async () => {
    expect((await promptsOf(runs.revise))["0:name"]).toEqual(FRUIT);
    expect(await charter(["show", runs.revise, "name"], dir)).toContain(shown(FRUIT));
  });

  it("shows the item's own conversation, not the constitution's few-shot turns sent before it", async () => {
    // The few-shot set opens every reply and critique request: in the trace its turns stand just
    // where the item's earlier turns would. A given reply (`given`) is the reply, not the prompt.
    const constitution = join(dir, "few-shot.charter");
    writeFileSync(
      constitution,
      'charter "few" version "1.0.0"\nprinciple honesty {\n  critique "Is the reply honest?"\n  revise "Make it honest."\n}\n' +
        'few-shot greet {\n  on response, critique\n  example {\n    user "Hi"\n    assistant "Hello."\n  }\n}\n',
    );
    const prompts = writeJsonl(join(dir, "few-shot-prompts.jsonl"), [
      { id: "name", messages: FRUIT },
      { id: "given", messages: [...BYE, { role: "assistant", content: "Bye, then." }] },
    ]);
    const run = join(dir, "few-shot");
    await charter(
      [
        "revise",
        "--constitution",
        constitution,
        "--prompts",
        prompts,
        "--model",
        "offline:rehearsal",
        "--out",
        run,
      ],
      dir,
    );
    const shownPrompts = await promptsOf(run);
    expect(shownPrompts["0:name"]).toEqual(FRUIT);
    expect(shownPrompts["0:given"]).toEqual(BYE);
    const named = await charter(["show", run, "name"], dir);
    expect(named).toContain(shown(FRUIT));
    expect(named).not.toContain("Hello.");
  });

  it("keeps every turn of a pair's prompt, labelled and tied, in TRL chat and HH files", async () => {
    // Both of the judge's files are read: q1 is labelled, t1 and q2 are ties.
    const ids = (file: string) =>
      readFileSync(join(runs.judge, file), "utf8")
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: string }).id);
    expect([ids("preferences.jsonl"), ids("ties.jsonl")]).toEqual([
      ["q1:0-1"],
      ["t1:0-1", "q2:0-1"],
    ]);
    const judge = await promptsOf(runs.judge);
    expect(judge["0:q1:0-1"]).toEqual(FRUIT);
    expect(judge["0:t1:0-1"]).toEqual(FRUIT);
    expect(judge["0:q2:0-1"]).toEqual(BYE);
    // An HH file has no ids and no system turn: the transcript's turns, in order.
    const hh = Object.values(await promptsOf(runs.hh));
    expect(hh).toContainEqual(FRUIT.slice(1));
    expect(hh).toContainEqual(BYE);
    const labelled = await charter(["show", runs.judge, "q1:0-1"], dir);
    expect(labelled).toContain(shown(FRUIT));
    expect(await charter(["show", runs.judge, "t1:0-1"], dir)).toContain(shown(FRUIT));
    expect(await charter(["show", runs.judge, "q2:0-1"], dir)).toContain(shown(BYE));
  });

  it("keeps every turn of a scored row's prompt", async () => {
    const score = await promptsOf(runs.score);
    expect(score["0:q1"]).toEqual(FRUIT);
    expect(score["0:q2"]).toEqual(BYE);
    expect(await charter(["show", runs.score, "q1"], dir)).toContain(shown(FRUIT));
  });

  describe.skipIf(!existsSync(CHROMIUM))("in Chromium", () => {
    let close: (() => Promise<void>) | undefined;
    afterAll(async () => close?.());

    it("draws each turn of the prompt as a message with its role", async () => {
      await charter(["report", runs.judge, runs.score, "--out", "turns.html"], dir);
      const { chromium } = await import("playwright-core");
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
      });
      close = () => browser.close();
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(dir, "turns.html")).href);
      const roles = async (id: string): Promise<string[][]> => {
        await page.fill("#item-search", id);
        await page.locator("#item-list .row", { hasText: id }).first().click();
        return page.$$eval("#item-detail .msg", (boxes) =>
          boxes.map((box) => [
            box.querySelector(".who")?.textContent ?? "",
            box.querySelector("pre")?.textContent ?? "",
          ]),
        );
      };
      const expected = FRUIT.map((turn) => [turn.role, turn.content]);
      expect(await roles("q1:0-1")).toEqual(expected);
      expect(await roles("t1:0-1")).toEqual(expected);
    }, 60_000);
  });
});
