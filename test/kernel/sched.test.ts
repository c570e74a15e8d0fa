// Scheduling (schedule and chooseThread, src/kernel/thread.c; handleYield, src/api/syscall.c): round-robin order among equal priorities, seL4_Yield, timeslices
// driven by virtual time and timer interrupts, and what a deadlock looks like from outside.
import { describe, expect, it } from "vitest";
import { CONFIG_TIME_SLICE, TIMER_TICK_NS, type KernelConfig } from "../../src/abi/constants.js";
import * as registers from "../../src/abi/registers.js";
import { sys } from "../support/in-process.js";
import { TestSystem } from "./fixtures.js";
import { EP, MS, endpointSystem, giveAll, ipc, nowUs, report, setPriority, spin } from "./ipc-helpers.js";

/** Threads of one priority that each log their name, then yield, `rounds` times. */
function yieldingThreads(
  config: KernelConfig,
  names: string[],
  rounds: number,
  extra: { name: string; priority: number }[] = [],
) {
  const s = new TestSystem(config, [...names.map((name) => ({ name, priority: 100 })), ...extra]);
  const log: string[] = [];
  for (const n of names) {
    s.program(n, function* () {
      for (let i = 0; i < rounds; i++) {
        log.push(`${n}${i}`);
        yield sys.yield();
      }
    });
  }
  for (const e of extra)
    s.program(e.name, function* () {
      log.push(e.name);
    });
  return { s, log };
}

describe.each(["master", "mcs"] as const)("scheduling on %s", (config) => {
  it("runs equal-priority threads round robin: Yield sends the caller to the back of its queue", () => {
    const { s, log } = yieldingThreads(config, ["a", "b", "c"], 3);
    s.run(["c", "b", "a"]); // each resume goes to the head of the queue: a runs first
    expect(log).toEqual(["a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"]);
  });

  it("keeps a yielding thread running when no other thread of its priority is ready (lower priorities wait)", () => {
    const { s, log } = yieldingThreads(config, ["a"], 3, [{ name: "low", priority: 50 }]);
    s.run(["low", "a"]);
    expect(log).toEqual(["a0", "a1", "a2", "low"]);
  });

  it("preempts a thread at the end of its 10 ms timeslice and puts it behind its equal-priority peers", () => {
    // master: 5 timer ticks of 2 ms; MCS: the fixture's round-robin SC, budget = period = 10 ms.
    expect(CONFIG_TIME_SLICE * TIMER_TICK_NS).toBe(10 * MS);
    const s = new TestSystem(config, [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
    ]);
    const done: Record<string, number> = {};
    for (const n of ["a", "b"]) {
      s.program(n, function* () {
        yield spin(15 * MS);
        done[n] = nowUs(s);
      });
    }
    s.run(["b", "a"]);
    // a: 0-10 ms, b: 10-20 ms, a: 20-25 ms (done), b: from a's exit (25 ms + its trap) for 5 ms.
    expect(done).toEqual({ a: 25_000, b: 30_000 });
  });

  it("does not let a lower-priority thread run while a higher one computes, however long", () => {
    const s = new TestSystem(config, [
      { name: "high", priority: 200 },
      { name: "low", priority: 100 },
    ]);
    const log: string[] = [];
    s.program("high", function* () {
      yield spin(35 * MS);
      log.push(`high done at ${nowUs(s) / 1000} ms`);
    });
    s.program("low", function* () {
      log.push(`low runs at ${nowUs(s) / 1000} ms`);
    });
    s.run(["low", "high"]);
    expect(log).toEqual(["high done at 35 ms", "low runs at 35 ms"]);
  });

  it("runs a ready thread at once when its priority is raised above the caller's, or the caller lowers its own", () => {
    const s = new TestSystem(config, [
      { name: "boss", priority: 100 },
      { name: "other", priority: 50 },
      { name: "peer", priority: 80 },
    ]);
    s.give("boss", 3, s.tcb("boss"));
    s.give("boss", 4, s.tcb("other"));
    const log: string[] = [];
    s.program("other", function* () {
      log.push("other runs");
    });
    s.program("peer", function* () {
      log.push("peer runs");
    });
    s.program("boss", function* () {
      yield setPriority(config, 4, 3, 150);
      log.push("boss continues");
      yield setPriority(config, 3, 3, 60);
      log.push("boss after lowering itself");
    });
    s.run(["other", "peer", "boss"]);
    expect(log).toEqual(["other runs", "boss continues", "peer runs", "boss after lowering itself"]);
  });

  it("shows a deadlock: every thread blocked, nothing to run, no timer pending, and what each waits for", () => {
    const { s } = endpointSystem(config, [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
      { name: "c", priority: 100 },
    ]);
    const api = ipc(config);
    const other = s.create("Endpoint", "ep_b");
    giveAll(s, other, 3, ["a", "b"]);
    const ntfn = s.create("Notification", "never_signalled");
    s.give("c", 3, ntfn);
    s.program("a", function* () {
      yield sys.call(3, 0);
    }); // calls b, which never receives on ep_b
    s.program("b", function* () {
      yield sys.call(EP, 0);
    }); // calls on ep, where c only ...
    s.program("c", function* () {
      yield api.recv(EP); // ... receives b's call, never replies,
      yield api.wait(3); // and waits for a signal
    });
    s.run(["c", "b", "a"]);
    expect(s.kernel.currentThread()).toBeNull();
    expect(s.kernel.nextTimerEvent()).toBeNull();
    expect(["a", "b", "c"].map((t) => report(s, t))).toEqual([
      "blocked on send: endpoint 'ep_b'",
      `blocked on reply: a reply ${config === "mcs" ? "through reply object 'reply_c'" : "from 'tcb_c'"}`,
      "blocked on ntfn: notification 'never_signalled'",
    ]);
  });
});

describe("master timer ticks", () => {
  it("counts the timeslice down one tick per 2 ms and, after the fifth, round-robins", () => {
    const s = new TestSystem("master", [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
    ]);
    const a = s.tcb("a");
    const seen: string[] = [];
    s.program("a", function* () {
      yield spin(100 * MS);
    });
    s.program("b", function* () {
      yield spin(100 * MS);
    });
    s.kernel.boot.resume(s.tcb("b"));
    s.kernel.boot.resume(a);
    s.kernel.boot.start();
    // Drive the clock by hand: each tick interrupt at the 2 ms boundary.
    for (let tick = 1; tick <= 6; tick++) {
      s.kernel.advanceTime(TIMER_TICK_NS);
      s.kernel.callKernel({ type: "Timer" });
      seen.push(`${tick}: ${s.kernel.currentThread()?.name} (a has ${a.timeSlice} left)`);
    }
    expect(seen).toEqual([
      "1: tcb_a (a has 4 left)",
      "2: tcb_a (a has 3 left)",
      "3: tcb_a (a has 2 left)",
      "4: tcb_a (a has 1 left)",
      "5: tcb_b (a has 5 left)",
      "6: tcb_b (a has 5 left)",
    ]);
  });

  it("saves the interrupted instruction as both NextIP and FaultIP of the thread a tick preempts", () => {
    const s = new TestSystem("master", [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
    ]);
    const a = s.tcb("a");
    const { NextIP, FaultIP } = registers;
    s.kernel.boot.resume(s.tcb("b"));
    s.kernel.boot.resume(a);
    s.kernel.boot.start();
    // a was in user mode at 0x401234 (the CPU's saved rip) when each tick came.
    a.regs[NextIP] = 0x401234n;
    for (let tick = 1; tick <= CONFIG_TIME_SLICE; tick++) {
      s.kernel.advanceTime(TIMER_TICK_NS);
      s.kernel.callKernel({ type: "Timer" });
    }
    expect(s.kernel.currentThread()?.name).toBe("tcb_b");
    // As c_x64_handle_interrupt does: a restart would continue at the same instruction.
    expect([a.regs[NextIP], a.regs[FaultIP]]).toEqual([0x401234n, 0x401234n]);
  });

  it("leaves the timeslice unrefilled by Yield", () => {
    const s = new TestSystem("master", [{ name: "a", priority: 100 }]);
    const a = s.tcb("a");
    const left: number[] = [];
    s.program("a", function* () {
      yield spin(5 * MS); // two ticks
      left.push(a.timeSlice);
      yield sys.yield();
      left.push(a.timeSlice);
    });
    s.run(["a"]);
    expect(left).toEqual([3, 3]);
  });
});
