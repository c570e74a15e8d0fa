// Learner code reaching for the host (process, timers, the real clock) through the real command
// line: a learner-facing report and the normal exit code, never sel4tut's internal error (70).
import { describe, expect, it } from "vitest";
import { atStartOfMain, beforeMain, freshExercise, runCase } from "./helpers.js";

describe("learner code reaching for the host", () => {
  it("process.exit(3): the learner's exception at their line, a user exception fault, and exit code 0", async () => {
    const ex = freshExercise();
    beforeMain(ex, "faulter.ts", "declare const process: { exit(code: number): void };");
    atStartOfMain(ex, "faulter.ts", "  process.exit(3);");
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_faulter": Error: process\.exit is not available in a seL4 thread: a thread cannot end sel4tut or its worker\. A thread ends by returning from its function \(main\); to stop with an error, throw one\n {4}at main \(faulter\.ts:13:11\)\n/,
    );
    expect(r.stdout).toContain("user exception 0xd code 0");
    expect(r.stderr).toContain("the system deadlocked");
  });

  it("new Date() reads the simulated clock: two runs print the same bytes", async () => {
    const ex = freshExercise();
    atStartOfMain(
      ex,
      "faulter.ts",
      [
        "  for (let i = 0; i < 30000; i++); // 3 ms of simulated time",
        '  printf("clock %s %s\\n", String(new Date().getTime()), new Date().toISOString());',
      ].join("\n"),
    );
    const first = await runCase(ex, ["run"], 0);
    const again = await runCase(ex, ["run"], 0);
    expect(again.stdout).toBe(first.stdout);
    expect(again.stderr).toBe(first.stderr);
    // The handler's first two lines (85 characters at 86.8 µs) come before the faulter's 3 ms loop.
    expect(first.stdout).toContain("clock 10 1970-01-01T00:00:00.010Z\n");
    // The same clock the report reads: the run ends after the loop and the two threads' lines.
    expect(first.stderr).toContain("every thread finished (after 92.3 ms of simulated time)");
  });

  it("a Date prints in UTC whatever the host's time zone, so a run prints the same bytes everywhere", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", '  printf("local %s %d\\n", new Date().toString(), new Date().getHours());');
    for (const TZ of ["America/New_York", "Asia/Kolkata"]) {
      const r = await runCase(ex, ["run"], 0, { env: { TZ } });
      expect(r.stdout).toContain("local Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time) 0\n");
    }
  });

  it("setTimeout: refused at the learner's line, since its callback could never run", async () => {
    const ex = freshExercise();
    beforeMain(ex, "handler.ts", "declare function setTimeout(f: () => void, ms: number): unknown;");
    atStartOfMain(ex, "handler.ts", '  setTimeout(() => printf("later\\n"), 10);');
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_handler": Error: setTimeout\(\) is not available in a seL4 thread: a seL4 thread runs synchronously and never returns to an event loop, so the callback would never run\. To wait, block in the kernel \(seL4_Recv or seL4_Wait\); to let other threads run, call seL4_Yield\(\)\n {4}at main \(handler\.ts:\d+:\d+\)\n/,
    );
    expect(r.stdout).not.toContain("later");
  });
});
