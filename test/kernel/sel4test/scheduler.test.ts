// sel4test's scheduler tests (apps/sel4test-tests/src/tests/scheduler.c) that the model can run,
// each asserting what the sel4test test asserts. The test thread is "tester"; its helpers are
// separate threads started with seL4_TCB_Resume, as start_helper does.
import { describe, expect, it } from "vitest";
import { sys, type Result } from "../../support/in-process.js";
import { TestSystem } from "../fixtures.js";
import { CONFIGS, kernelOps, outcome } from "../cspace-helpers.js";
import { ipc, MS, nowUs, setPriority } from "../ipc-helpers.js";
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
      { name: "tester", priority: 100, mcp: 254 },
      { name: "helper", priority: 100, mcp: 0 },
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
    expect(results).toEqual([
      "seL4_IllegalOperation",
      "seL4_IllegalOperation",
      "seL4_NoError",
      "seL4_IllegalOperation",
    ]);
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
    s.run(["tester"], 500);
    expect(ret.error).toBe("seL4_NoError");
    expect(ret.consumed).toBeGreaterThanOrEqual(0n);
  });
});

describe.each(CONFIGS)("sel4test scheduler.c on %s", (config) => {
  const L = kernelOps(config).label;
  const resume = (tcb: number) => sys.call(tcb, L("TCBResume"));
  const errorOf = (r: Result) => outcome(r).error;

  it("SCHED0002: resuming ourselves", () => {
    const s = new TestSystem(config, [{ name: "tester", priority: 100 }]);
    s.give("tester", 1, s.tcb("tester"));
    let error = "";
    s.program("tester", function* () {
      error = errorOf(yield resume(1));
    });
    s.run(["tester"]);
    expect(error).toBe("seL4_NoError");
  });

  it("SCHED0004: threads at all priorities run in priority order", () => {
    const MAX_PRIO = 253; // OUR_PRIO - 1, the tester at 254
    const prios = Array.from({ length: MAX_PRIO + 1 }, (_, p) => p);
    const s = new TestSystem(config, [
      { name: "tester", priority: MAX_PRIO + 1, radix: 9 },
      ...prios.map((p) => ({ name: `p${p}`, priority: p, radix: 1 })),
    ]);
    const ep = s.create("Endpoint", "ep");
    s.give("tester", 1, ep);
    let last = MAX_PRIO + 1;
    const wrongOrder: number[] = [];
    for (const p of prios) {
      s.give("tester", 2 + p, s.tcb(`p${p}`));
      s.give(`p${p}`, 1, ep);
      s.program(`p${p}`, function* () {
        // prio_test_func
        if (last - 1 !== p) wrongOrder.push(p);
        last = p;
        if (p === 0) yield sys.send(1, 0);
      });
    }
    s.program("tester", function* () {
      for (const p of prios) yield resume(2 + p);
      yield ipc(config).wait(1);
      expect(last).toBe(0);
    });
    s.run(["tester"], 5_000);
    expect(wrongOrder).toEqual([]);
    expect(last).toBe(0);
  });

  it("SCHED0005: setting the priority of a runnable thread", () => {
    const H = 253; // SCHED0005_HIGHEST_PRIO
    const s = new TestSystem(config, [
      { name: "tester", priority: 254 },
      { name: "t1", priority: H, mcp: H },
      { name: "t2", priority: H - 1, mcp: H - 2 },
    ]);
    for (const t of ["tester", "t1", "t2"]) {
      s.give(t, 1, s.tcb("t1"));
      s.give(t, 2, s.tcb("t2"));
    }
    let step = 0;
    const checks: string[] = [];
    const check = (what: string, ok: boolean) => {
      if (!ok) checks.push(what);
    };
    s.program("t1", function* () {
      // set_priority_helper_1
      check("t1 starts first", step === 0);
      step = 1;
      check("t1 lowers itself", errorOf(yield setPriority(config, 1, 1, H - 4)) === "seL4_NoError");
      check("t2 ran meanwhile", step === 2);
      step = 3;
      check("back up", errorOf(yield setPriority(config, 1, 1, H)) === "seL4_NoError");
      check("mcp down", errorOf(yield sys.call(1, L("TCBSetMCPriority"), [H - 4], [1])) === "seL4_NoError");
      check("above mcp", errorOf(yield setPriority(config, 1, 1, H - 3)) === "seL4_RangeError");
      check("mcp back up", errorOf(yield sys.call(1, L("TCBSetMCPriority"), [H], [1])) === "seL4_RangeError");
    });
    s.program("t2", function* () {
      // set_priority_helper_2
      check("t2 second", step === 1);
      check("t1 to ours", errorOf(yield setPriority(config, 1, 2, H - 1 + 1)) === "seL4_RangeError");
      check("t1 below us", errorOf(yield setPriority(config, 1, 2, H - 2)) === "seL4_NoError");
      step = 2;
      check("ours below t1", errorOf(yield setPriority(config, 2, 2, H - 3)) === "seL4_NoError");
      check("t1 finished first", step === 3);
      step = 4;
    });
    s.program("tester", function* () {
      yield resume(1);
      yield resume(2);
    });
    s.run(["tester"]);
    expect(checks).toEqual([]);
    expect(step).toBe(4);
  });

  it("SCHED0003: TCB suspend/resume", () => {
    const s = new TestSystem(config, [
      { name: "tester", priority: 200 },
      { name: "t1", priority: 0 },
      { name: "t2a", priority: 1 },
      { name: "t2b", priority: 2 },
    ]);
    const T1 = 1,
      T2A = 2,
      T2B = 3;
    for (const t of ["tester", "t1", "t2a", "t2b"]) {
      s.give(t, T1, s.tcb("t1"));
      s.give(t, T2A, s.tcb("t2a"));
      s.give(t, T2B, s.tcb("t2b"));
    }
    s.give("tester", 4, s.tcb("tester"));
    let step = 0;
    const wrong: string[] = [];
    const checkStep = (who: string, x: number) => {
      if (step !== x) wrong.push(`${who}: step ${step}, expected ${x}`);
      step = x + 1;
    };
    s.program("t2a", function* () {
      // suspend_test_helper_2a, at the higher priority
      checkStep("2a", 0);
      while (step === 1) yield sys.spin(MS / 10); // until a timer tick lets 2b run
      if (errorOf(yield sys.call(T2B, L("TCBSuspend"))) !== "seL4_NoError") wrong.push("2a: suspend 2b");
      checkStep("2a", 2);
      yield sys.call(T2A, L("TCBSuspend")); // control passes to the low-priority thread 1
    });
    s.program("t2b", function* () {
      if (step !== 0 && step !== 1) wrong.push(`2b: starts at step ${step}`);
      while (step === 0) yield sys.yield();
      checkStep("2b", 1); // a timer tick brought us here
      while (step === 2) yield sys.yield();
      checkStep("2b", 4);
    });
    s.program("t1", function* () {
      checkStep("1", 3);
      if (errorOf(yield sys.call(T2B, L("TCBResume"))) !== "seL4_NoError") wrong.push("1: resume 2b");
      checkStep("1", 5); // 2b ran at once
    });
    s.program("tester", function* () {
      yield resume(T1);
      yield resume(T2A);
      yield resume(T2B);
      for (const [tcb, prio] of [
        [T1, 100],
        [T2A, 101],
        [T2B, 101],
      ] as const)
        yield setPriority(config, tcb, 4, prio);
    });
    s.run(["tester"], 20_000);
    expect(wrong).toEqual([]);
    expect(step).toBe(6);
  });

  it("SCHED0020: raising a thread's priority above ours runs it", () => {
    const s = new TestSystem(config, [
      { name: "tester", priority: 100 },
      { name: "helper", priority: 99 },
    ]);
    s.give("tester", 1, s.tcb("tester"));
    s.give("tester", 2, s.tcb("helper"));
    let state = 0;
    const seen: number[] = [];
    s.program("helper", function* () {
      yield sys.yield();
      state = 2;
    });
    s.program("tester", function* () {
      expect(errorOf(yield setPriority(config, 1, 1, 99))).toBe("seL4_NoError");
      yield resume(2);
      seen.push(state);
      expect(errorOf(yield setPriority(config, 2, 1, 100))).toBe("seL4_NoError");
      seen.push(state);
    });
    s.run(["tester"]);
    expect(seen).toEqual([0, 2]);
  });
});

describe("sel4test scheduler.c on MCS: periodic threads", () => {
  it("SCHED0011: scheduler accuracy (a 100 ms timeslice at our priority lasts 100 ms)", () => {
    const s = new TestSystem("mcs", [
      { name: "tester", priority: 100 },
      { name: "helper", priority: 100, sc: { budgetUs: 100_000, periodUs: 100_000 } },
    ]);
    s.give("tester", 1, s.tcb("helper"));
    s.program("helper", function* () {
      for (;;) yield sys.spin(MS);
    });
    const diffs: number[] = [];
    s.program("tester", function* () {
      yield mcs.resume(1);
      yield sys.yield();
      for (let i = 0; i < 11; i++) {
        const start = nowUs(s);
        yield sys.yield();
        if (i > 0) diffs.push(nowUs(s) - start);
      }
    });
    s.run(["tester"], 5_000);
    expect(diffs).toHaveLength(10);
    for (const d of diffs) expect(Math.abs(d - 100_000)).toBeLessThanOrEqual(2_000);
  });

  /**
   * periodic_thread: count, and yield the rest of the budget, forever; `limit` is the most it may
   * count while the test runs (`test.running`).
   */
  function periodic(
    s: TestSystem,
    name: string,
    counters: Record<string, number>,
    limit: number,
    over: string[],
    test: { running: boolean },
  ) {
    s.program(name, function* () {
      counters[name] = 0;
      for (;;) {
        counters[name]!++;
        if (test.running && counters[name]! > limit) over.push(name);
        yield sys.yield();
      }
    });
  }

  it("SCHED0007: IPC is delivered in priority order", () => {
    const PRIO = (x: number) => 255 - 1 - 5 + x;
    const clients = [0, 1, 2, 3, 4];
    const s = new TestSystem("mcs", [
      { name: "tester", priority: 255 },
      { name: "server", priority: 254 },
      ...clients.map((i) => ({ name: `c${i}`, priority: PRIO(i) })),
    ]);
    const ep = s.create("Endpoint", "endpoint");
    s.give("server", 1, ep);
    s.give("server", 2, s.create("Reply", "reply"));
    s.give("tester", 10, s.tcb("server"));
    clients.forEach((i) => {
      s.give(`c${i}`, 1, ep);
      s.give("tester", 1 + i, s.tcb(`c${i}`));
      s.program(`c${i}`, function* () {
        yield sys.call(1, 0, [PRIO(i)]);
      });
    });
    const received: bigint[] = [];
    const api = ipc("mcs");
    s.program("server", function* () {
      let r: Result = yield api.recv(1);
      for (let i = 4; i >= 0; i--) {
        received.push(r.mrs[0]!);
        if (i > 0) r = yield api.replyRecv(1, 0);
      }
    });
    s.program("tester", function* () {
      for (const i of [2, 0, 4, 1, 3]) yield mcs.resume(1 + i); // out of order
      yield mcs.resume(10);
    });
    s.run(["tester"]);
    expect(received).toEqual([4, 3, 2, 1, 0].map((i) => BigInt(PRIO(i))));
  });

  it("SCHED0009: ordered IPC on the ReplyRecv fastpath", () => {
    const SERVERS = [0, 1, 2, 3, 4];
    const s = new TestSystem("mcs", [
      sleeper("tester", 254, 100),
      ...SERVERS.map((i) => ({ name: `s${i}`, priority: 255 - 1 - 5 + i })),
    ]);
    const ep = s.create("Endpoint", "endpoint");
    s.give("tester", 1, ep);
    const api = ipc("mcs");
    SERVERS.forEach((i) => {
      s.give(`s${i}`, 1, ep);
      s.give(`s${i}`, 2, s.create("Reply", `reply${i}`));
      s.give("tester", 2 + i, s.tcb(`s${i}`));
      s.program(`s${i}`, function* () {
        yield api.recv(1);
        for (;;) yield api.replyRecv(1, 0, [i]);
      });
    });
    const answers: bigint[] = [];
    s.program("tester", function* () {
      yield mcs.resume(2);
      answers.push((yield sys.call(1, 0)).mrs[0]!);
      for (const i of SERVERS.slice(1)) {
        yield mcs.resume(2 + i);
        yield sleep();
        answers.push((yield sys.call(1, 0)).mrs[0]!);
      }
      for (const _ of SERVERS) answers.push((yield sys.call(1, 0)).mrs[0]!); // the highest answers each time
      for (const i of [...SERVERS].reverse()) {
        yield mcs.suspend(2 + i);
        if (i > 0) answers.push((yield sys.call(1, 0)).mrs[0]!);
      }
    });
    s.run(["tester"], 5_000);
    expect(answers).toEqual([0n, 1n, 2n, 3n, 4n, 4n, 4n, 4n, 4n, 4n, 3n, 2n, 1n, 0n]);
  });

  it("SCHED0010: resuming a thread with an empty or missing scheduling context", () => {
    const s = new TestSystem("mcs", [sleeper("tester", 254, 10), { name: "thread", priority: 253 }]);
    s.giveCNode("tester", 1, "tester");
    s.give("tester", 2, s.tcb("thread"));
    s.give("tester", 3, s.scs.get("thread")!);
    let state = 0;
    s.program("thread", function* () {
      state++;
    });
    const seen: number[] = [];
    s.program("tester", function* () {
      expect((yield sys.call(3, mcs.L("SchedContextUnbind"))).label).toBe(0n);
      expect((yield mcs.resume(2)).label).toBe(0n);
      yield sleep();
      seen.push(state);
      expect((yield mcs.cnodeDelete(1, 3)).label).toBe(0n);
      expect((yield mcs.resume(2)).label).toBe(0n);
      yield sleep();
      seen.push(state);
    });
    s.run(["tester"], 1_000);
    expect(seen).toEqual([0, 0]);
  });

  it("SCHED0012: one periodic thread", () => {
    const s = new TestSystem("mcs", [
      sleeper("tester", 99, 1_000),
      { name: "helper", priority: 100, sc: { budgetUs: 200_000, periodUs: 1_000_000 } },
    ]);
    s.give("tester", 1, s.tcb("helper"));
    const counters: Record<string, number> = {},
      over: string[] = [];
    const test = { running: true };
    periodic(s, "helper", counters, 10, over, test);
    let sleeps = 0;
    s.program("tester", function* () {
      yield mcs.resume(1);
      while ((counters.helper ?? 0) < 5) {
        yield sleep();
        if (++sleeps > 20) break;
      }
      test.running = false;
    });
    s.run(["tester"], 5_000);
    expect(counters.helper).toBeGreaterThanOrEqual(5);
    expect(sleeps).toBeLessThanOrEqual(20);
    expect(over).toEqual([]);
  });

  it("SCHED0013: two periodic threads (the shorter period counts more)", () => {
    const s = new TestSystem("mcs", [
      sleeper("tester", 99, 50),
      { name: "h0", priority: 100, sc: { budgetUs: 99_000, periodUs: 100_000 } },
      { name: "h1", priority: 100, sc: { budgetUs: 99_000, periodUs: 200_000 } },
    ]);
    s.give("tester", 1, s.tcb("h0"));
    s.give("tester", 2, s.tcb("h1"));
    const counters: Record<string, number> = {},
      over: string[] = [];
    const test = { running: true };
    periodic(s, "h0", counters, 10, over, test);
    periodic(s, "h1", counters, 10, over, test);
    const compared: string[] = [];
    s.program("tester", function* () {
      yield mcs.resume(1);
      yield mcs.resume(2);
      for (let i = 0; i < 3; i++) yield sleep(); // 150 ms
      while (counters.h0! < 3 && counters.h1! < 3) {
        compared.push(`${counters.h0} > ${counters.h1}: ${counters.h0! > counters.h1!}`);
        yield sleep();
        yield sleep(); // 100 ms
      }
      test.running = false;
    });
    s.run(["tester"], 5_000);
    expect(compared.length).toBeGreaterThan(0);
    expect(compared.filter((c) => !c.endsWith("true"))).toEqual([]);
    expect(over).toEqual([]);
  });
});
