// The report in a real browser: headless Chromium (Debian's `chromium`, or CHARTER_CHROMIUM)
// driven by playwright-core, no browser download. Skipped with a one-line notice where there is
// no Chromium; report-html.test.ts checks the page's structure either way.
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { main } from "../../src/cli/main.js";
import { captureIO } from "../cli/cli-io.js";
import { makeRunFixtures, type RunFixtures } from "./run-fixtures.js";

const CHROMIUM = process.env.CHARTER_CHROMIUM ?? "/usr/bin/chromium";
const HAVE_CHROMIUM = existsSync(CHROMIUM);
/** Screenshots land here (kept after the run, ignored by git). */
export const OUTPUT = resolve(import.meta.dirname, "../../test-output/report");

if (!HAVE_CHROMIUM)
  console.log(
    `report browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHARTER_CHROMIUM)`,
  );

const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!HAVE_CHROMIUM)("charter report in Chromium", () => {
  let runs: RunFixtures;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    runs = await makeRunFixtures();
    const io = captureIO(runs.dir);
    expect(await main(["report", runs.revise, runs.judge, "--out", "report.html"], io)).toBe(0);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on("request", (request) => requests.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        problems.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(pathToFileURL(join(runs.dir, "report.html")).href);
    await page.waitForSelector("#item-list .row");
  }, 60_000);

  /** Waits until the list's count reads `text` (the search is debounced). */
  const countIs = (text: string) =>
    page.waitForFunction(
      `document.querySelector("#item-count").textContent === ${JSON.stringify(text)}`,
    );

  afterAll(async () => {
    await browser?.close();
  });

  it("loads from file:// with no network request and no console error", () => {
    expect(requests.filter((url) => !url.startsWith("file://"))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("renders every plot non-empty", async () => {
    const sizes = await page.$$eval("figure.chart svg[class^=chart-]", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return {
          width: box.width,
          height: box.height,
          marks: svg.querySelectorAll("rect, circle, path, line").length,
        };
      }),
    );
    expect(sizes).toHaveLength(8);
    for (const size of sizes) {
      expect(size.width).toBeGreaterThan(100);
      expect(size.height).toBeGreaterThan(50);
      expect(size.marks).toBeGreaterThan(3);
    }
  });

  it("narrows the item list as the search is typed, and filters by facet", async () => {
    expect(await page.textContent("#item-count")).toBe("26 of 26 items");
    await page.fill("#item-search", "sourdough");
    await countIs("1 of 26 items");
    expect(await page.locator("#item-list .row").count()).toBe(1);
    await page.fill("#item-search", "");
    await countIs("26 of 26 items");
    await page.selectOption("select[aria-label=tie]", { label: "yes" });
    expect(await page.textContent("#item-count")).toBe("5 of 26 items");
    await page.selectOption("select[aria-label=tie]", "");
  });

  it("shows a word diff for a revised item and the verdicts of a pair", async () => {
    await page.fill("#item-search", "lockpick");
    await countIs("1 of 26 items");
    await page.locator("#item-list .row").first().click();
    expect(await page.locator("#item-detail .diff ins").count()).toBeGreaterThan(0);
    expect(await page.locator("#item-detail .diff del").count()).toBeGreaterThan(0);
    expect(await page.locator("#item-detail .round").count()).toBe(3);
    mkdirSync(OUTPUT, { recursive: true });
    await page.locator("#items").scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(OUTPUT, "items.png") });
    await page.fill("#item-search", "tired");
    // The count was already "1 of 26": wait for the row itself.
    await page.locator("#item-list .row", { hasText: "tired:0-1" }).click();
    expect(await page.locator("#item-detail .pair .reply").count()).toBe(2);
    expect(await page.textContent("#item-detail table")).toMatch(/showcase\.kind/);
  });

  it("writes a screenshot of the whole page", async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, "report.png");
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });
});
