// Regenerates the README's pictures of the report: `npm run demo && npm run demo:judge`, then
// `npx charter report runs/demo runs/judge-demo --out runs/report.html`, then
// `npx tsx scripts/report-screenshots.ts runs/report.html` (needs Chromium: apt-get install chromium).

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const file = resolve(process.argv[2] ?? "runs/report.html");
const browser = await chromium.launch({
  executablePath: process.env.CHARTER_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
  ],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } });
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector("#item-list .row");
  await page.fill("#item-search", "lockpick");
  await page.waitForFunction(
    'document.querySelector("#item-count").textContent.startsWith("1 of")',
  );
  await page.locator("#item-list .row", { hasText: "lockpick" }).click();
  await page.locator("#items").scrollIntoViewIfNeeded();
  // Scroll the detail pane to the first round's critique and word diff.
  await page.evaluate(
    `(() => { const pane = document.querySelector("#item-detail"); const round = pane.querySelector(".round"); pane.scrollTop += round.getBoundingClientRect().top - pane.getBoundingClientRect().top - 8; })()`,
  );
  await page.screenshot({ path: "docs/report-items.png" });
  await page.evaluate('document.querySelector("#plots").scrollIntoView()');
  await page.screenshot({ path: "docs/report-plots.png" });
} finally {
  await browser.close();
}
