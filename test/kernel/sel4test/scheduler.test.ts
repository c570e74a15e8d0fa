// sel4test's scheduler tests (apps/sel4test-tests/src/tests/scheduler.c) that the model can run,
// each asserting what the sel4test test asserts. The test thread is "tester"; its helpers are
// separate threads started with seL4_TCB_Resume, as start_helper does.
import { describe, expect, it } from "vitest";
import { sys, type Result } from "../../../src/sim/harness.js";
import { TestSystem } from "../fixtures.js";
import { outcome } from "../cspace-helpers.js";
import { MS } from "../ipc-helpers.js";
import { ops, sleep, sleeper } from "./mcs-helpers.js";

const mcs = ops("mcs");
const US_IN_S = 1_000_000;

describe("sel4test scheduler.c on MCS", () => {
  it("SCHED0016: resume cannot be used to exceed budget", () => {
    // The helper runs 1 s every 10 minutes; each time it runs it counts once and yields.
    const s = new TestSystem("mcs", [
      { name: "tester", priority: 100 },
      { name: "helper", priority: 100, sc: { budgetUs: 1 * US_IN_S, periodUs: 600 * US_IN_S } },
    ]);
    s.give("tester", 3, s.tcb("helper"));
    const state = { n: 0 };
    const seen: number[] = [];
    s.program("helper", function* () {
      for (;;) {
        state.n++;
        yield sys.yield();
      }
    });
    s.program("tester", function* () {
      expect((yield mcs.resume(3)).label).toBe(0n); // start_helper
      yield sys.yield();
      seen.push(state.n);
      for (let i = 0; i < 10; i++) {
        expect(outcome(yield mcs.suspend(3)).error).toBe("seL4_NoError");
        expect(outcome(yield mcs.resume(3)).error).toBe("seL4_NoError");
        yield sys.yield();
        seen.push(state.n);
      }
    });
    s.run(["tester"], 200);
    expect(seen).toEqual(new Array(11).fill(1));
  });

  it("SCHED0017: seL4_SchedContext_YieldTo errors", () => {
    const s = new TestSystem("mcs", [
      { name: "tester", priority: 100, mcp: 254 }, { name: "helper", priority: 100, mcp: 0 },
    ]);
    s.give("tester", 3, s.scs.get("tester")!);
    s.give("tester", 4, s.create("SchedContext", "unbound_sc", 8));
    s.give("tester", 5, s.scs.get("helper")!);
    s.give("tester", 6, s.tcb("helper"));
    s.give("helper", 3, s.scs.get("tester")!);
    const results: string[] = [];
    let consumed = -1n;
    s.program("tester", function* () {
      results.push(outcome(yield sys.call(3, mcs.L("SchedContextYieldTo"))).error); // to itself
      results.push(outcome(yield sys.call(4, mcs.L("SchedContextYieldTo"))).error); // to an unbound SC
      const r: Result = yield sys.call(5, mcs.L("SchedContextYieldTo")); // to a thread that does not run
      results.push(outcome(r).error);
      consumed = r.mrs[0]!;
      expect((yield mcs.resume(6)).label).toBe(0n);
      yield sys.yield(); // wait_for_helper
    });
    s.program("helper", function* () {
      results.push(outcome(yield sys.call(3, mcs.L("SchedContextYieldTo"))).error); // above its mcp of 0
    });
    s.run(["tester"]);
    expect(results).toEqual(["seL4_IllegalOperation", "seL4_IllegalOperation", "seL4_NoError", "seL4_IllegalOperation"]);
    expect(consumed).toBe(0n);
  });

  /** Helpers `to` (spinning) and `from` (yielding to `to`'s SC), both 500 ms round robin at priority 100. */
  function yieldToSystem() {
    const s = new TestSystem("mcs", [
      sleeper("tester", 200, 100),
      { name: "to", priority: 100, sc: { budgetUs: 500_000, periodUs: 500_000 } },
      { name: "from", priority: 100, sc: { budgetUs: 500_000, periodUs: 500_000 } },
    ]);
    s.give("from", 3, s.scs.get("to")!);
    s.give("tester", 3, s.tcb("to"));
    s.give("tester", 4, s.tcb("from"));
    s.giveCNode("tester", 5, "tester");
    const ret: { error?: string; consumed?: bigint } = {};
    s.program("to", function* () {
      for (;;) yield sys.spin(MS);
    });
    s.program("from", function* () {
      const r: Result = yield sys.call(3, mcs.L("SchedContextYieldTo"));
      ret.error = outcome(r).error;
      ret.consumed = r.mrs[0];
    });
    return { s, ret };
  }

  it("SCHED0018: clean up after seL4_SchedContext_YieldTo (suspending the thread yielded to)", () => {
    const { s, ret } = yieldToSystem();
    s.program("tester", function* () {
      // start_helper(to), start_helper(from): each goes to the head of the queue, so 'from' runs first.
      expect((yield mcs.resume(3)).label).toBe(0n);
      expect((yield mcs.resume(4)).label).toBe(0n);
      yield sleep(); // 100 ms: 'to' spins on its own SC meanwhile
      expect((yield mcs.suspend(3)).label).toBe(0n);
      yield sleep(); // wait_for_helper(from)
    });
    s.run(["tester"], 2_000);
    expect(ret.error).toBe("seL4_NoError");
    expect(ret.consumed).toBeGreaterThan(0n);
  });

  it("SCHED0018: clean up after seL4_SchedContext_YieldTo (deleting the thread yielded to)", () => {
    const { s, ret } = yieldToSystem();
    s.program("tester", function* () {
      expect((yield mcs.resume(3)).label).toBe(0n);
      expect((yield mcs.resume(4)).label).toBe(0n);
      yield sleep();
      expect((yield mcs.cnodeDelete(5, 3)).label).toBe(0n); // the last cap to 'to'
      yield sleep();
    });
    s.run(["tester"], 2_000);
    expect(ret.error).toBe("seL4_NoError");
    expect(ret.consumed).toBeGreaterThan(0n);
  });

  it("SCHED0018: clean up after seL4_SchedContext_YieldTo (deleting the yielding thread)", () => {
    const { s, ret } = yieldToSystem();
    s.program("tester", function* () {
      expect((yield mcs.resume(3)).label).toBe(0n);
      expect((yield mcs.resume(4)).label).toBe(0n);
      yield sleep();
      expect((yield mcs.cnodeDelete(5, 4)).label).toBe(0n); // the last cap to 'from'
    });
    s.run(["tester"], 2_000);
    expect(ret).toEqual({}); // 'from' never came back
    expect(s.scs.get("to")!.yieldFrom).toBeNull(); // schedContext_cancelYieldTo in suspend
  });

  it("SCHED0019: seL4_SchedContext_YieldTo returns to the caller with the consumed time", () => {
    const { s, ret } = yieldToSystem();
    s.program("tester", function* () {
      expect((yield mcs.resume(3)).label).toBe(0n);
      expect((yield mcs.resume(4)).label).toBe(0n);
    });
    s.run(["tester"], 2_000);
    expect(ret.error).toBe("seL4_NoError");
    expect(ret.consumed).toBeGreaterThanOrEqual(0n);
  });
});
