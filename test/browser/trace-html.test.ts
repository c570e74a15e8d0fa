// `sel4tut trace`'s HTML in a real browser (headless Chromium, Debian's `chromium` package, driven
// by puppeteer-core; one browser for the whole file): the fault-handling solution's diagram has a
// lifeline per thread and the kernel and arrows for its messages, a click on the fault message
// shows its MRs, a failed run marks the thread that faulted, 10^5 events stay usable, and nothing
// the program printed can run as script. A screenshot is saved in test-output/ for review.
// Without a browser the file is skipped on a developer's machine and fails in CI (CI=true).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { targetFor } from "../../src/app/context.js";
import { traceExercise } from "../../src/app/trace.js";
import type { TraceRecord } from "../../src/app/pipeline.js";
import { renderTraceHtml, type TracePage } from "../../src/cli/lib/trace-html.js";
import { loadContext } from "../../src/app/context.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { edit, freshExercise, tempDir, type Exercise } from "../reliability/helpers.js";

const OUTPUT_DIR = join(import.meta.dirname, "..", "..", "test-output", "browser");
const BROWSERS = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(
  (p): p is string => p !== undefined && p !== "",
);
const executablePath = BROWSERS.find((p) => existsSync(p));
if (!executablePath && process.env.CI === "true") {
  throw new Error(`no Chromium found (looked at ${BROWSERS.join(", ")}); .ci/run installs Debian's chromium package`);
}

/** The little of the page's globals the tests read (the test code is type-checked without the DOM library). */
interface PageGlobals {
  document: { getElementById(id: string): { textContent: string | null; scrollTop: number } };
  pwned?: number;
}

async function tracePage(ex: Exercise, config: KernelConfig): Promise<TracePage> {
  const ctx = loadContext(ex.dir, () => {});
  const report = await traceExercise(targetFor(ctx, config));
  if (report.kind !== "traced") throw new Error("the exercise did not build");
  return {
    title: `fault-handlers on ${config}`,
    config,
    outcome: report.run.outcome,
    report: report.run.report,
    events: report.events,
    sources: report.sources,
  };
}

describe.skipIf(!executablePath)("the trace's HTML in headless Chromium", () => {
  let browser: Browser;
  const dir = tempDir("sel4tut-trace-html-");
  const errors: string[] = [];

  async function open(html: string, name: string): Promise<Page> {
    const file = join(dir, `${name}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(`${name}: ${m.text()}`);
    });
    page.on("pageerror", (e) => errors.push(`${name}: ${String(e)}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file:")) errors.push(`${name}: a request for ${r.url()}`);
    });
    await page.setViewport({ width: 1500, height: 900 });
    await page.goto(`file://${file}`);
    return page;
  }

  beforeAll(async () => {
    browser = await puppeteer.launch({ executablePath: executablePath!, headless: true, args: ["--no-sandbox"] });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("the fault-handling solution: lifelines, arrows, and a click on the fault message shows its MRs", async () => {
    const page = await open(renderTraceHtml(await tracePage(freshExercise(), "mcs")), "fault-handlers-mcs");
    const lifelines = await page.$$eval(".lifeline", (ls) => ls.map((l) => l.firstChild?.textContent));
    expect(lifelines).toEqual(["kernel", "tcb_handler", "tcb_faulter"]);
    expect((await page.$$("line.arrow")).length).toBeGreaterThan(5);
    expect((await page.$$("rect.blocked")).length).toBeGreaterThan(0);
    const fault = await page.evaluate(() => {
      const data = JSON.parse(
        (globalThis as unknown as PageGlobals).document.getElementById("trace-data")!.textContent!,
      ) as { events: TraceRecord[] };
      return data.events.findIndex((e) => e.kind === "transfer" && e.fault !== undefined);
    });
    await page.evaluate(
      (i) =>
        ((globalThis as unknown as PageGlobals).document.getElementById("scroller")!.scrollTop = Math.max(
          0,
          (i - 12) * 22,
        )),
      fault,
    );
    await page.waitForSelector(`g.row[data-index="${fault}"]`);
    expect((await page.$$("line.arrow.fault")).length).toBeGreaterThan(0);
    await page.click(`g.row[data-index="${fault}"] rect.hit`);
    const fields = await page.$$eval("#details table.fields tr", (rows) =>
      rows.map((r) => [...r.children].map((c) => c.textContent)),
    );
    expect(fields).toEqual(
      expect.arrayContaining([
        ["fault", "seL4_Fault_CapFault"],
        ["badge", "0xbeef"],
        ["MR1", "0x3"],
        ["MR2", "0x1"],
        ["MR3", "0x2"],
        ["MR4", "0x0"],
        ["replyObject", "handler_reply"],
      ]),
    );
    // The learner's line, with the code around it.
    expect(await page.$eval("#details pre .here", (s) => s.textContent)).toMatch(/seL4_NBWait\(faulter_empty_cap\)/);
    mkdirSync(OUTPUT_DIR, { recursive: true });
    await page.screenshot({ path: join(OUTPUT_DIR, "fault-handlers-mcs.png") });
    expect(errors).toEqual([]);
  });

  it("a failed run: the thread whose fault reached no handler is marked, and the page opens at its fault", async () => {
    const ex = freshExercise();
    edit(ex, "handler.ts", /faulter_tcb_cap, foreign_badged_faulter_empty_slot_cap,/, "faulter_tcb_cap, 0,");
    const page = await open(renderTraceHtml(await tracePage(ex, "master")), "double-fault");
    expect(await page.$eval('.lifeline[data-thread="tcb_faulter"]', (l) => [l.className, l.textContent])).toEqual([
      "lifeline faulted",
      "tcb_faulterfaulted: no handler",
    ]);
    expect(await page.$eval("#details h2", (h) => h.textContent)).toMatch(/^fault · /);
    expect(await page.$eval("#summary", (s) => s.className)).toBe("bad");
    expect(errors).toEqual([]);
  });

  it("10^5 events: only the rows in view are drawn, and scrolling to the middle shows the middle", async () => {
    const events: TraceRecord[] = [];
    for (let i = 0; i < 100_000; i++) {
      events.push(
        i % 2 === 0
          ? {
              kind: "syscall",
              time: i * 1000,
              thread: "client",
              syscall: "seL4_Call",
              cptr: "0x1",
              label: "0x0",
              length: 1,
              extraCaps: 0,
            }
          : {
              kind: "transfer",
              time: i * 1000,
              thread: "client",
              to: "server",
              endpoint: "ep",
              badge: "0x0",
              label: "0x0",
              length: 1,
              mrs: [`0x${i.toString(16)}`],
              caps: [],
            },
      );
    }
    const page = await open(
      renderTraceHtml({ title: "big", config: "master", outcome: "finished", report: "", events, sources: {} }),
      "large",
    );
    expect((await page.$$("g.row")).length).toBeLessThan(100);
    await page.evaluate(
      () => ((globalThis as unknown as PageGlobals).document.getElementById("scroller")!.scrollTop = 50_001 * 22),
    );
    await page.waitForSelector('g.row[data-index="50001"]');
    await page.click('g.row[data-index="50001"] rect.hit');
    expect(await page.$$eval("#details table.fields tr", (rows) => rows.map((r) => r.textContent))).toContain(
      "MR00xc351",
    );
    expect((await page.$$("g.row")).length).toBeLessThan(100);
    expect(errors).toEqual([]);
  });

  it("what the program printed and names from a tutorial are shown as text, never run", async () => {
    const evil = '</script><script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">';
    const events: TraceRecord[] = [
      { kind: "output", time: 0, thread: evil, text: evil },
      { kind: "state", time: 1, thread: evil, state: "ThreadState_BlockedOnReceive", on: evil },
    ];
    const page = await open(
      renderTraceHtml({ title: evil, config: "master", outcome: "deadlock", report: evil, events, sources: {} }),
      "injection",
    );
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).pwned)).toBeUndefined();
    expect(await page.$eval("#title", (h) => h.textContent)).toBe(evil);
    expect(await page.$$eval("img", (imgs) => imgs.length)).toBe(0);
    expect(errors).toEqual([]);
  });
});
