// sel4test's notification-binding tests (apps/sel4test-tests/src/tests/binding.c).
import { describe, expect, it } from "vitest";
import { sys, type Program, type Result } from "../../support/in-process.js";
import { CONFIGS, D, kernelOps } from "../cspace-helpers.js";
import { bindNotification, ipc, setPriority } from "../ipc-helpers.js";
import { TestSystem } from "../fixtures.js";

const NUM_RUNS = 10;
const ASYNC = 1n,
  SYNC = 2n;
/** The tester's slots. */
const SELF = 1,
  SELF_TCB = 2,
  SYNC_EP = 3,
  NTFN = 4,
  TCB_A = 7,
  TCB_B = 8,
  SC_A = 9;

describe.each(CONFIGS)("sel4test binding.c on %s", (config) => {
  const ops = kernelOps(config);
  const api = ipc(config);
  const resume = (slot: number) => sys.call(slot, ops.label("TCBResume"));

  /** sender(): seL4_Send on the given cap `runs` times. */
  const sender = (s: TestSystem, name: string, runs: number) =>
    s.program(name, function* () {
      for (let i = 0; i < runs; i++) yield sys.send(1, 0);
    });

  it("BIND0001: a bound tcb waiting on a sync endpoint receives normal sync ipc and notification notifications", () => {
    const s = new TestSystem(config, [
      { name: "tester", priority: 200 },
      { name: "sync", priority: 100 },
      { name: "notification", priority: 100 },
    ]);
    s.giveCNode("tester", SELF, "tester");
    s.give("tester", SELF_TCB, s.tcb("tester"));
    s.give("tester", SYNC_EP, s.create("Endpoint", "sync_ep"));
    s.give("tester", NTFN, s.create("Notification", "notification"));
    s.give("tester", TCB_A, s.tcb("notification"));
    s.give("tester", TCB_B, s.tcb("sync"));
    s.giveCNode("tester", 10, "notification");
    s.giveCNode("tester", 11, "sync");
    sender(s, "notification", NUM_RUNS);
    sender(s, "sync", NUM_RUNS);
    const counts = { async: 0, sync: 0 };
    s.program("tester", function* () {
      // badge_endpoint(): minted into each helper's slot 1.
      expect((yield ops.mint(10, 1, D, SELF, NTFN, D, 0xf, ASYNC)).label).toBe(0n);
      expect((yield ops.mint(11, 1, D, SELF, SYNC_EP, D, 0xf, SYNC)).label).toBe(0n);
      expect((yield bindNotification(config, SELF_TCB, NTFN)).label).toBe(0n);
      yield resume(TCB_A);
      yield resume(TCB_B);
      for (let i = 0; i < NUM_RUNS * 2; i++) {
        const r: Result = yield api.wait(SYNC_EP);
        if (r.badge === ASYNC) counts.async++;
        if (r.badge === SYNC) counts.sync++;
      }
      expect((yield sys.call(SELF_TCB, ops.label("TCBUnbindNotification"))).label).toBe(0n);
    });
    s.run(["tester"]);
    expect(counts).toEqual({ async: NUM_RUNS, sync: NUM_RUNS });
  });

  it("BIND0002: a bound tcb waiting on its bound notification receives notifications", () => {
    const s = new TestSystem(config, [
      { name: "tester", priority: 200 },
      { name: "notification", priority: 100 },
    ]);
    s.giveCNode("tester", SELF, "tester");
    s.give("tester", SELF_TCB, s.tcb("tester"));
    s.give("tester", NTFN, s.create("Notification", "notification"));
    s.give("tester", TCB_A, s.tcb("notification"));
    s.giveCNode("tester", 10, "notification");
    sender(s, "notification", NUM_RUNS);
    let count = 0;
    s.program("tester", function* () {
      expect((yield ops.mint(10, 1, D, SELF, NTFN, D, 0xf, ASYNC)).label).toBe(0n);
      expect((yield bindNotification(config, SELF_TCB, NTFN)).label).toBe(0n);
      yield resume(TCB_A);
      for (let i = 0; i < NUM_RUNS; i++) {
        if ((yield api.wait(NTFN)).badge === ASYNC) count++;
      }
      expect((yield sys.call(SELF_TCB, ops.label("TCBUnbindNotification"))).label).toBe(0n);
    });
    s.run(["tester"]);
    expect(count).toBe(NUM_RUNS);
  });

  it.each([
    ["BIND0003: IPC ordering 1) bound tcb waits on bound notification 2) another tcb sends a message", 10, 9],
    ["BIND0004: IPC ordering 2) bound tcb waits on bound notification 1) another tcb sends a message", 9, 10],
  ])("%s", (_, waiterPrio, senderPrio) => {
    const s = new TestSystem(config, [
      { name: "tester", priority: 200 },
      { name: "waiter", priority: waiterPrio },
      { name: "sender", priority: senderPrio },
    ]);
    const ntfn = s.create("Notification", "notification");
    s.give("tester", NTFN, ntfn);
    s.give("waiter", 1, ntfn);
    s.give("sender", 1, ntfn);
    s.give("tester", TCB_A, s.tcb("waiter"));
    s.give("tester", TCB_B, s.tcb("sender"));
    const finished: string[] = [];
    s.program("waiter", function* () {
      yield api.wait(1);
      finished.push("waiter");
    });
    s.program("sender", function* () {
      yield sys.send(1, 0);
      finished.push("sender");
    });
    s.program("tester", function* () {
      expect((yield bindNotification(config, TCB_A, NTFN)).label).toBe(0n);
      yield resume(TCB_A);
      yield resume(TCB_B);
    });
    s.run(["tester"]);
    expect([...finished].sort()).toEqual(["sender", "waiter"]); // wait_for_helper on both
  });

  if (config === "mcs") {
    /** bind0005_helper, at priority 10, bound to a notification, waiting on an endpoint; the tester at 9. */
    function waitingHelper() {
      const s = new TestSystem(config, [
        { name: "tester", priority: 100 },
        { name: "helper", priority: 100 },
      ]);
      const ntfn = s.create("Notification", "notification");
      s.give("tester", SELF_TCB, s.tcb("tester"));
      s.give("tester", NTFN, ntfn);
      s.give("tester", TCB_A, s.tcb("helper"));
      s.give("tester", SC_A, s.scs.get("helper")!);
      s.give("helper", 1, s.create("Endpoint", "endpoint"));
      const state = { n: 0 };
      s.program("helper", function* () {
        state.n = 1;
        yield api.wait(1);
        state.n = 2;
      });
      return { s, state };
    }
    const L = ops.label;

    /** The helper above ours, bound to the notification, starts and waits; then its SC is taken away. */
    function* startWaitingPassive(state: { n: number }, seen: number[]): Program {
      expect((yield setPriority(config, TCB_A, SELF_TCB, 10)).label).toBe(0n);
      expect((yield setPriority(config, SELF_TCB, SELF_TCB, 9)).label).toBe(0n);
      expect((yield bindNotification(config, TCB_A, NTFN)).label).toBe(0n);
      yield resume(TCB_A);
      seen.push(state.n);
      expect((yield sys.call(SC_A, L("SchedContextUnbind"))).label).toBe(0n);
    }

    it("BIND005: passing thread notification binding with no scheduling context", () => {
      const { s, state } = waitingHelper();
      const seen: number[] = [];
      s.program("tester", function* () {
        yield* startWaitingPassive(state, seen);
        yield sys.signal(NTFN);
        seen.push(state.n); // it has no SC: it cannot run
        expect((yield sys.call(SC_A, L("SchedContextBind"), [], [TCB_A])).label).toBe(0n);
        seen.push(state.n);
      });
      s.run(["tester"]);
      expect(seen).toEqual([1, 1, 2]);
    });

    it("BIND006: passing thread notification binding with a scheduling context", () => {
      const { s, state } = waitingHelper();
      const seen: number[] = [];
      s.program("tester", function* () {
        yield* startWaitingPassive(state, seen);
        expect((yield sys.call(SC_A, L("SchedContextBind"), [], [NTFN])).label).toBe(0n);
        yield sys.signal(NTFN);
        seen.push(state.n); // it ran on the notification's SC
      });
      s.run(["tester"]);
      expect(seen).toEqual([1, 2]);
    });
  }
});
