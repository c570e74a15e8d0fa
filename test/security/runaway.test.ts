// Programs that would take the computer down or hang without end: allocating off-heap memory in a
// loop, or a thread stuck inside one built-in call that reaches no preemption point (a regular
// expression that backtracks). sel4tut stops each with a report naming the thread, keeps every
// byte the program printed before, and leaves no process behind.
import { describe, expect, it } from "vitest";
import { atStartOfMain, freshExercise, noProcessLeft, runCase } from "./helpers.js";

describe("runaway programs", () => {
  it("off-heap memory allocated in a loop: stopped at the memory ceiling, exit 1, earlier output kept", async () => {
    const ex = freshExercise();
    atStartOfMain(
      ex,
      "faulter.ts",
      [
        '  printf("before the allocations\\n");',
        "  const kept: Uint8Array[] = [];",
        "  for (let i = 0; i < 64; i++) kept.push(new Uint8Array(64 << 20).fill(1));",
        '  printf("never printed %d\\n", kept.length);',
      ].join("\n"),
    );
    const r = await runCase(ex, ["run"], 1, { env: { SEL4TUT_MAX_RSS_MB: "400" } });
    expect(r.stdout).toContain("before the allocations\n");
    expect(r.stdout).not.toContain("never printed");
    expect(r.stderr).toMatch(
      /memory limit reached while thread "tcb_faulter" was running: the run used \d+ MiB of the computer's memory, and a run may use 400 MiB/,
    );
    expect(r.stderr).toContain("the run went over what sel4tut lets one run use");
    noProcessLeft(ex.root);
  });

  it("a regular expression that backtracks for ever: the watchdog stops the thread, naming it, earlier output kept", async () => {
    const ex = freshExercise();
    atStartOfMain(
      ex,
      "faulter.ts",
      ['  printf("before the regex\\n");', '  printf("%d\\n", /(a+)+c/.test("a".repeat(64) + "b") ? 1 : 0);'].join(
        "\n",
      ),
    );
    // A watchdog of 2 s instead of 15 (SEL4TUT_TURN_WATCHDOG_S): the regex never ends, so it fires all the same.
    const r = await runCase(ex, ["check"], 1, { env: { SEL4TUT_TURN_WATCHDOG_S: "2" } });
    expect(r.stdout).toContain("before the regex\n");
    expect(r.all).toMatch(
      /thread "tcb_faulter" ran for 2 s of real time without reaching a preemption point or a system call, so it was stopped/,
    );
    noProcessLeft(ex.root);
  }, 120_000);
});
