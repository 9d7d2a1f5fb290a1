// `charter report`'s page, checked as HTML (no browser needed): self-contained, every chart drawn,
// every item listed, detail bounded by the seeded sample, any run type and an empty run rendered.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { buildReport } from "../../src/report/index.js";
import { captureIO } from "../cli/cli-io.js";
import { makeRunFixtures, type RunFixtures } from "./run-fixtures.js";

let runs: RunFixtures;
beforeAll(async () => {
  runs = await makeRunFixtures();
});

interface PageData {
  runs: { name: string; kind: string; sample: { size: number; of: number } }[];
  facets: string[];
  items: [number, string, string, string, number[], number][];
  details: Record<string, { kind: string; rounds?: { diff?: [number, string][] }[] }>;
}

function page(html: string) {
  const { document } = parseHTML(html);
  const data = JSON.parse(
    document.getElementById("charter-data")?.textContent ?? "null",
  ) as PageData;
  return { document, data };
}

describe("charter report (HTML structure)", () => {
  it("writes one self-contained file: no external script, style, image or link", async () => {
    const io = captureIO(runs.dir);
    expect(await main(["report", runs.revise, runs.judge, "--out", "r.html"], io)).toBe(0);
    expect(io.out()).toMatch(/report of 2 runs \(26 items, 26 in full\) → r\.html/);
    const html = readFileSync(join(runs.dir, "r.html"), "utf8");
    const { document } = page(html);
    for (const element of document.querySelectorAll("[src]"))
      throw new Error(`external src: ${element.outerHTML.slice(0, 80)}`);
    const hrefs = [...document.querySelectorAll("[href]")].map(
      (element) => element.getAttribute("href") ?? "",
    );
    expect(hrefs.filter((href) => !href.startsWith("#") && !href.startsWith("data:"))).toEqual([]);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/);
    expect(document.querySelectorAll("script:not([type])").length).toBe(1);
  });

  it("draws every chart of a revise and a judge run as non-empty SVG", async () => {
    const { html } = await buildReport([runs.revise, runs.judge]);
    const { document } = page(html);
    const charts = [...document.querySelectorAll("figure.chart")].map((figure) =>
      figure.getAttribute("data-chart"),
    );
    expect(charts).toEqual([
      "principle-usage",
      "round-outcomes",
      "length-change",
      "diversity",
      "diversity",
      "judge-probability",
      "position-consistency",
      "length-bias",
    ]);
    for (const figure of document.querySelectorAll("figure.chart")) {
      const marks = figure.querySelectorAll("svg rect, svg circle, svg path, svg line");
      expect(marks.length, figure.getAttribute("data-chart") ?? "").toBeGreaterThan(3);
    }
  });

  it("plots and tabulates charter inspect's metrics, two runs side by side with their differences", async () => {
    const { html, runs: read } = await buildReport([runs.revise, runs.revise2]);
    const { document } = page(html);
    const usage = document.querySelectorAll('figure[data-chart="principle-usage"]');
    expect([...usage].map((figure) => figure.querySelector(".run-name")?.textContent)).toEqual([
      "revise",
      "revise2",
    ]);
    const table = document.querySelector("#quality table.quality");
    const header = [...(table?.querySelectorAll("th") ?? [])].map((cell) => cell.textContent);
    expect(header).toEqual(["metric", "revise", "revise2", "Δ revise2"]);
    const noChange = [...(table?.querySelectorAll("tr") ?? [])].find((row) =>
      row.textContent?.startsWith("run.noChangeRate"),
    );
    const [first, second] = read.map((run) => run.quality?.run?.noChangeRate ?? NaN);
    expect(noChange?.textContent).toContain((first as number).toFixed(4));
    expect(noChange?.textContent).toContain((second as number).toFixed(4));
    // The no-change chart draws inspect's per-principle shares: one bar per principle and outcome.
    const principles = read[0]?.quality?.run?.principles ?? [];
    expect(principles.length).toBeGreaterThan(3);
    const bars = document
      .querySelector('figure[data-chart="round-outcomes"] svg[class^=chart-]')
      ?.querySelectorAll("g[aria-label=bar] rect");
    expect(bars?.length).toBe(principles.length * 3);
  });

  it("lists every item, with Phase 1 rounds, word diffs and Phase 2 verdicts in the detail", async () => {
    const { html } = await buildReport([runs.revise, runs.judge]);
    const { data } = page(html);
    expect(data.items.filter((item) => item[0] === 0).map((item) => item[1])).toContain("lockpick");
    expect(data.items.filter((item) => item[0] === 1)).toHaveLength(14);
    const lockpick = data.details["0:lockpick"];
    expect(lockpick?.kind).toBe("revise");
    const diff = lockpick?.rounds?.[0]?.diff ?? [];
    expect(diff.some(([op]) => op === 1) && diff.some(([op]) => op === -1)).toBe(true);
    expect(data.details["1:tired:0-1"]).toMatchObject({
      kind: "pair",
      tie: false,
      verdicts: [{ principle: "showcase.kind", consistent: true }],
    });
    const facets = data.facets;
    expect(facets).toContain("principle:harm.general");
    expect(facets).toContain("tag:cooking");
    expect(facets).toContain("tie:yes");
    expect(facets).toContain("rule:pair-prefers=decided");
  });

  it("keeps full detail for a bounded seeded sample only, says so, and gives the same bytes for the same seed", async () => {
    const first = await buildReport([runs.revise], { sampleLimit: 4, sampleSeed: 9 });
    const again = await buildReport([runs.revise], { sampleLimit: 4, sampleSeed: 9 });
    const other = await buildReport([runs.revise], { sampleLimit: 4, sampleSeed: 10 });
    expect(first.html).toBe(again.html);
    const { data, document } = page(first.html);
    expect(Object.keys(data.details)).toHaveLength(4);
    expect(data.items).toHaveLength(12);
    expect(data.items.filter((item) => item[5] === 1)).toHaveLength(4);
    expect(document.querySelector(".run")?.textContent).toMatch(
      /4 of 12 are shown in full, a sample drawn with seed 9/,
    );
    expect(Object.keys(page(other.html).data.details).sort()).not.toEqual(
      Object.keys(data.details).sort(),
    );
  });

  it("shows failures with their reasons, rule rejections, flags and cut replies", async () => {
    const { html } = await buildReport([runs.failed]);
    const { data, document } = page(html);
    const card = document.querySelector(".run")?.textContent ?? "";
    expect(card).toMatch(/Failures \(1\)/);
    expect(card).toMatch(/down\s*provider-unavailable\s*server said 503 five times/);
    expect(card).toMatch(/run status: complete-with-failures/);
    const byId = new Map(data.items.map((item) => [item[1], item]));
    expect(byId.get("down")?.[3]).toBe("failed: provider-unavailable");
    const okFacets = (byId.get("ok")?.[4] ?? []).map((index) => data.facets[index]);
    expect(okFacets).toEqual(
      expect.arrayContaining([
        "rule:no-forbidden=rejected",
        "flag:shouty",
        "finish:length",
        "round:rejected",
      ]),
    );
    // A given response: the first reply comes from the critique request.
    expect(data.details["0:given"]).toMatchObject({
      given: true,
      firstReply: "Hello, how are you today?",
      finalReply: "Hello, how are you doing this fine morning?",
    });
  });

  it("renders a score run's charts and scored replies, and an unknown run type's overview and records", async () => {
    const { html } = await buildReport([runs.score, runs.mystery]);
    const { data, document } = page(html);
    const charts = [...document.querySelectorAll("figure.chart")].map((figure) =>
      figure.getAttribute("data-chart"),
    );
    expect(charts.slice(0, 2)).toEqual(["score-distribution", "criterion-pass-rates"]);
    const passRates =
      document.querySelector('figure[data-chart="criterion-pass-rates"]')?.textContent ?? "";
    expect(passRates).toMatch(/factual-answer#1 States the correct final answer/);
    expect(data.facets).toContain("rubric:factual-answer");
    const egg = data.details["0:boil-egg"] as unknown as {
      kind: string;
      prompt: { role: string; content: string }[];
      replies: { text: string; score: number; criteria: unknown[] }[];
    };
    expect(egg.kind).toBe("score");
    expect(egg.prompt).toEqual([
      { role: "user", content: "How long should I boil an egg for a runny yolk?" },
    ]);
    expect(egg.replies[1]?.text).toBe("Eggs are a good source of protein.");
    expect(egg.replies[0]?.criteria.length).toBe(5);
    expect(data.items.find((item) => item[1] === "boil-egg")?.[2]).toBe(
      "How long should I boil an egg for a runny yolk?",
    );
    const mystery = document.querySelectorAll(".run")[1]?.textContent ?? "";
    expect(mystery).toMatch(/distil/);
    expect(mystery).toMatch(/stats: distil/);
    expect(data.items.filter((item) => item[0] === 1).map((item) => item[1])).toEqual(["m1", "m2"]);
    expect(data.details["1:m1"]).toMatchObject({ kind: "record", file: "distilled.jsonl" });
  });

  it("renders an empty folder and says what is missing", async () => {
    const { html } = await buildReport([runs.empty]);
    const { document, data } = page(html);
    const text = document.querySelector("#overview")?.textContent ?? "";
    expect(text).toMatch(/manifest\.json is missing/);
    expect(text).toMatch(/This run has no items to show/);
    expect(document.querySelector("#plots")?.textContent).toMatch(/No run here has data to plot/);
    expect(data.items).toEqual([]);
  });

  it("cannot be broken out of by item text: markup in data stays text", async () => {
    const { html } = await buildReport([runs.mystery]);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(html).not.toMatch(/<img|<!--/);
    const { data } = page(html);
    expect(data.items[1]?.[2]).toBe("Why? </script><img src=x onerror=alert(1)><!--");
  });
});
