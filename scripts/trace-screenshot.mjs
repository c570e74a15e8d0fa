// Regenerates the README's picture of `sel4tut trace` (docs/images/trace-fault-handlers-mcs.png):
/* global document -- the code inside page.evaluate runs in the browser */
// the fault-handling tutorial's solution on MCS, traced by the built CLI, opened in headless
// Chromium with its fault message clicked. Run `npm run screenshot` (it builds first).
// CHROMIUM_PATH chooses the browser (default: Debian's /usr/bin/chromium).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import puppeteer from "puppeteer-core";

const root = join(import.meta.dirname, "..");
const bin = join(root, "bin", "sel4tut.js");
const out = join(root, "docs", "images", "trace-fault-handlers-mcs.png");
const work = mkdtempSync(join(tmpdir(), "sel4tut-screenshot-"));
try {
  execFileSync(process.execPath, [bin, "init", "--tut", "fault-handlers", "--solution"], {
    cwd: work,
    stdio: "inherit",
  });
  const html = join(work, "trace.html");
  execFileSync(process.execPath, [bin, "trace", "--mcs", "--html", html], {
    cwd: join(work, "fault-handlers"),
    stdio: "inherit",
  });
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox"],
  });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1500, height: 860 });
    await page.goto(`file://${html}`);
    // The fault message, with the SetSpace that installed the handler's cap in view above it.
    const fault = await page.evaluate(() => {
      const data = JSON.parse(document.getElementById("trace-data").textContent);
      return data.events.findIndex((e) => e.kind === "transfer" && e.fault !== undefined);
    });
    await page.evaluate((i) => (document.getElementById("scroller").scrollTop = Math.max(0, (i - 26) * 22)), fault);
    await page.waitForSelector(`g.row[data-index="${fault}"]`);
    await page.click(`g.row[data-index="${fault}"] rect.hit`);
    mkdirSync(dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log(`wrote ${out}`);
  } finally {
    await browser.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
