// Nothing of the host reaches a thread: its locale and time zone, its clock (through
// performance's marks and measures too), or memory the worker used before (Buffer.allocUnsafe).
// The same program prints the same bytes under LANG=C/TZ=UTC and under LANG=de_DE.UTF-8/TZ=Asia/Tokyo.
import { describe, expect, it } from "vitest";
import { atStartOfMain, beforeMain, freshExercise, runCase } from "./helpers.js";

const PERFORMANCE =
  "type Entry = { startTime: number; duration: number };\n" +
  "declare const performance: { mark(n: string): Entry; measure(n: string, s: string): Entry; timeOrigin: number; now(): number };";

describe("a thread sees no host detail", () => {
  it("locale-sensitive formatting, Date's zone name and performance marks print the same bytes on every host", async () => {
    const ex = freshExercise();
    beforeMain(ex, "faulter.ts", PERFORMANCE);
    atStartOfMain(
      ex,
      "faulter.ts",
      [
        "  for (let i = 0; i < 20000; i++); // 2 ms of simulated time",
        "  const d = new Date();",
        '  printf("date %s | %s\\n", d.toString(), Date());',
        '  printf("locale %s | %s | %s | %s\\n", (1234.5).toLocaleString(), d.toLocaleString(), [1.5, 2000].toLocaleString(), 12345n.toLocaleString());',
        '  printf("intl %s | %s | %s\\n", new Intl.NumberFormat().format(9876.5), new Intl.DateTimeFormat().resolvedOptions().locale, new Intl.DateTimeFormat().resolvedOptions().timeZone);',
        '  printf("compare %d %s\\n", "a".localeCompare("B"), ["b", "a", "C"].sort(new Intl.Collator().compare).join(""));',
        '  const m = performance.mark("start");',
        "  for (let i = 0; i < 1000; i++);",
        '  printf("perf %s %s %s %s\\n", String(m.startTime), String(performance.timeOrigin), String(performance.measure("loop", "start").duration > 0), String(performance.now() >= m.startTime));',
      ].join("\n"),
    );
    const here = await runCase(ex, ["run"], 0, { env: { LANG: "C", LC_ALL: "C", TZ: "UTC" } });
    const elsewhere = await runCase(ex, ["run"], 0, {
      env: { LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8", TZ: "Asia/Tokyo" },
    });
    expect(elsewhere.stdout).toBe(here.stdout);
    expect(here.stdout).toContain(
      "date Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time) | Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)\n",
    );
    expect(here.stdout).toContain("locale 1,234.5 | 1/1/1970, 12:00:00 AM | 1.5,2,000 | 12,345\n");
    expect(here.stdout).toContain("intl 9,876.5 | en-US | UTC\n");
    // The mark comes after the handler's first two lines, the 2 ms loop and the faulter's four
    // lines (86.8 µs a character on the serial console): 29.8 ms of simulated time.
    expect(here.stdout).toMatch(/perf 29\.\d+ 0 true true\n/);
  });
});
