// MCS scheduling contexts (src/object/schedcontext.c, src/object/schedcontrol.c, src/kernel/sporadic.c;
// timeout faults from handleTimeout, src/kernel/faulthandler.c): passive servers running on a donated SC, periodic
// budgets and the release queue, timeout faults, Yield's accounting, SchedControl_ConfigureFlags.
import { describe, expect, it } from "vitest";
import { faultLabel, seL4_Timeout_Consumed, seL4_Timeout_Data } from "../../src/abi/constants.js";
import type { SchedContextObj } from "../../src/kernel/index.js";
import { MIN_BUDGET_US } from "../../src/kernel/kernel/mcstime.js";
import { MAX_PERIOD_US } from "../../src/kernel/object/schedcontext.js";
import { sys, type Result } from "../support/in-process.js";
import { TestSystem } from "./fixtures.js";
import { OK, failed, outcome } from "./cspace-helpers.js";
import {
  EP,
  MS,
  REPLY,
  RIGHTS,
  bindNotification,
  endpointSystem,
  ipc,
  label,
  nbsendRecv,
  nbsendWait,
  nowUs,
  oneWay,
  report,
  runTraced,
  scName,
  spin,
} from "./ipc-helpers.js";

const api = ipc("mcs");
const L = (name: Parameters<typeof label>[1]) => label("mcs", name);

describe("passive servers", () => {
  it("run a Call on the caller's donated SC and give it back with the reply", () => {
    const { s } = endpointSystem("mcs", [
      { name: "server", priority: 150, sc: false },
      { name: "init", priority: 120 },
      { name: "client", priority: 100 },
    ]);
    // init lends the server an SC until it waits on the endpoint, then takes it away: the server is passive.
    const initSC = s.create("SchedContext", "sc_init_lent", 8);
    s.kernel.boot.configureSchedContext(initSC as SchedContextObj, { budgetUs: 10_000, periodUs: 10_000 });
    s.give("init", 3, initSC);
    s.give("init", 4, s.tcb("server"));
    const log: string[] = [];
    s.program("init", function* () {
      expect((yield sys.call(3, L("SchedContextBind"), [], [4])).label).toBe(0n);
      expect((yield sys.call(3, L("SchedContextUnbindObject"), [], [4])).label).toBe(0n);
      log.push(`init: server is ${report(s, "server")} with ${scName(s, "server")}`);
    });
    s.program("server", function* () {
      let r = yield api.recv(EP);
      for (;;) {
        log.push(`server: runs on ${scName(s, "server")}; client has ${scName(s, "client")}`);
        r = yield api.replyRecv(EP, 0, [r.mrs[0]! + 1n]);
      }
    });
    s.program("client", function* () {
      const r = yield sys.call(EP, 0, [41]);
      log.push(`client: got ${r.mrs[0]}, runs on ${scName(s, "client")}; server has ${scName(s, "server")}`);
    });
    s.run(["client", "init", "server"]);
    expect(log).toEqual([
      "init: server is blocked on recv: endpoint 'ep' with no SC",
      "server: runs on sc_client; client has no SC",
      "client: got 42, runs on sc_client; server has no SC",
    ]);
    expect(report(s, "server")).toBe("blocked on recv: endpoint 'ep'");
  });

  it("are set up as in the MCS tutorial: NBSendRecv tells the initialiser the server waits, which then unbinds its SC", () => {
    // The initialiser runs first and waits; a message sent while nobody waits would be dropped.
    const { s } = endpointSystem("mcs", [
      { name: "server", priority: 150 },
      { name: "init", priority: 200 },
      { name: "client", priority: 90 },
    ]);
    oneWay(s, "Endpoint", "init_ep", "server", "init", 3);
    s.give("init", 4, s.scs.get("server")!);
    const log: string[] = [];
    s.program("server", function* () {
      let r: Result = yield nbsendRecv(3, 0x60, [], EP, REPLY);
      for (;;) {
        log.push(`server: request ${r.mrs[0]} on ${scName(s, "server")}`);
        r = yield api.replyRecv(EP, 0, [r.mrs[0]! * 2n]);
      }
    });
    s.program("init", function* () {
      const r = yield sys.wait(3);
      log.push(`init: server ready (label 0x${r.label.toString(16)}), ${report(s, "server")}`);
      expect((yield sys.call(4, L("SchedContextUnbind"))).label).toBe(0n);
    });
    s.program("client", function* () {
      log.push(`client: got ${(yield sys.call(EP, 0, [21])).mrs[0]}`);
    });
    s.run(["client", "init", "server"]);
    expect(log).toEqual([
      "init: server ready (label 0x60), blocked on recv: endpoint 'ep'",
      "server: request 21 on sc_client",
      "client: got 42",
    ]);
    expect(s.tcb("server").sc).toBeNull();
  });

  it("receive an SC with a message sent by NBSendWait, which needs no reply object and promises no return", () => {
    const { s } = endpointSystem("mcs", [
      { name: "worker", priority: 150 },
      { name: "donor", priority: 100 },
    ]);
    oneWay(s, "Notification", "done", "worker", "donor", 3);
    s.give("donor", 4, s.scs.get("worker")!);
    const log: string[] = [];
    s.program("worker", function* () {
      const r = yield sys.wait(EP);
      log.push(`worker: got ${r.label} on ${scName(s, "worker")}`);
      yield sys.signal(3);
    });
    s.program("donor", function* () {
      expect((yield sys.call(4, L("SchedContextUnbind"))).label).toBe(0n); // the worker waits passively now
      yield nbsendWait(EP, 7, [], 3);
      log.push("donor: back");
    });
    s.run(["donor", "worker"]);
    expect(log).toEqual(["worker: got 7 on sc_donor"]);
    // Woken by the signal, but without an SC the donor cannot run again.
    expect([s.state("donor"), s.tcb("donor").sc]).toEqual(["running", null]);
  });

  it("borrow the SC bound to their notification when a signal wakes them, and give it back when they wait again", () => {
    const { s } = endpointSystem("mcs", [
      { name: "server", priority: 150 },
      { name: "init", priority: 100 },
    ]);
    const ntfn = oneWay(s, "Notification", "irq_ntfn", "init", "server", 3);
    s.give("server", 4, s.tcb("server"));
    s.give("init", 5, ntfn, { rights: RIGHTS.R }); // for SchedContext_Bind
    s.give("init", 6, s.scs.get("server")!);
    const ntfnSC = s.create("SchedContext", "sc_ntfn", 8) as SchedContextObj;
    s.kernel.boot.configureSchedContext(ntfnSC, { budgetUs: 5_000, periodUs: 5_000 });
    s.give("init", 7, ntfnSC);
    const log: string[] = [];
    s.program("server", function* () {
      expect((yield bindNotification("mcs", 4, 3)).label).toBe(0n);
      for (;;) {
        const r = yield api.recv(EP);
        log.push(`server: badge ${r.badge} on ${scName(s, "server")}`);
      }
    });
    s.program("init", function* () {
      expect((yield sys.call(6, L("SchedContextUnbind"))).label).toBe(0n); // the server is passive now
      expect((yield sys.call(7, L("SchedContextBind"), [], [5])).label).toBe(0n);
      yield sys.signal(3);
      log.push(
        `init: server is ${report(s, "server")} with ${scName(s, "server")}; sc_ntfn lent to ${ntfnSC.tcb?.name ?? "nobody"}`,
      );
    });
    s.run(["init", "server"]);
    expect(log).toEqual([
      "server: badge 0 on sc_ntfn",
      "init: server is blocked on recv: endpoint 'ep' with no SC; sc_ntfn lent to nobody",
    ]);
  });

  it("never run without an SC, even when made runnable", () => {
    const s = new TestSystem("mcs", [
      { name: "passive", priority: 200, sc: false },
      { name: "other", priority: 100 },
    ]);
    const log: string[] = [];
    s.program("passive", function* () {
      log.push("passive ran");
    });
    s.program("other", function* () {
      log.push("other ran");
    });
    s.run(["passive", "other"]);
    expect(log).toEqual(["other ran"]);
    expect(s.state("passive")).toBe("restart");
  });
});

describe("periodic scheduling contexts", () => {
  it("send a thread that used up its budget to the release queue until its next refill, one period later", () => {
    const s = new TestSystem("mcs", [
      { name: "periodic", priority: 200, sc: { budgetUs: 2_000, periodUs: 10_000 } },
      { name: "background", priority: 100 },
    ]);
    const seen: string[] = [];
    s.program("periodic", function* () {
      yield spin(5 * MS);
    });
    s.program("background", function* () {
      yield spin(3 * MS);
      const p = s.tcb("periodic");
      seen.push(
        `at ${nowUs(s)} µs periodic is ${report(s, "periodic")}, in the release queue: ${p.inReleaseQueue}, ` +
          `next refill at ${p.sc!.refills[0]!.time / 1000} µs`,
      );
      yield spin(30 * MS);
    });
    const trace = runTraced(s, ["background", "periodic"]);
    expect(trace).toEqual([
      "0 periodic",
      "2000 background",
      "10000 periodic",
      "12000 background",
      "20000 periodic",
      "21000 background",
      "38000 idle",
    ]);
    expect(seen).toEqual(["at 5000 µs periodic is running, in the release queue: true, next refill at 10000 µs"]);
  });

  it("do not bank budget while blocked: a thread woken after a long wait gets one budget per period", () => {
    const s = new TestSystem("mcs", [
      { name: "periodic", priority: 200, sc: { budgetUs: 2_000, periodUs: 10_000 } },
      { name: "background", priority: 100 },
    ]);
    oneWay(s, "Notification", "wake", "background", "periodic", 3);
    s.program("periodic", function* () {
      yield spin(MS / 2);
      yield api.wait(3);
      yield spin(3 * MS);
    });
    s.program("background", function* () {
      yield spin(49_500_000);
      yield sys.signal(3);
      yield spin(20 * MS);
    });
    const trace = runTraced(s, ["background", "periodic"]);
    // Woken at 50 ms: 2 ms of budget now (not the 1.5 ms left plus refills that fell due long ago), the rest at 60 ms.
    expect(trace.slice(0, 6)).toEqual([
      "0 periodic",
      "500 background",
      "50000 periodic",
      "52000 background",
      "60000 periodic",
      "61000 background",
    ]);
  });

  it("raise a timeout fault carrying the SC's badge when a timeout endpoint is set; the thread resumes at its next refill", () => {
    const s = new TestSystem("mcs", [
      { name: "handler", priority: 200 },
      { name: "worker", priority: 100, sc: { budgetUs: 1_000, periodUs: 10_000, badge: 0x77 } },
    ]);
    const tep = s.create("Endpoint", "timeout_ep");
    s.give("handler", EP, tep, { rights: RIGHTS.R });
    s.give("handler", REPLY, s.create("Reply", "reply"));
    s.give("handler", 3, tep, { rights: RIGHTS.W | RIGHTS.G, badge: 0x99 });
    s.give("handler", 4, s.tcb("worker"));
    const faults: string[] = [];
    let done = 0;
    s.program("handler", function* () {
      expect((yield sys.call(4, L("TCBSetTimeoutEndpoint"), [], [3])).label).toBe(0n);
      for (;;) {
        const r: Result = yield api.recv(EP);
        faults.push(
          `${nowUs(s)} µs: label ${r.label} badge 0x${r.badge.toString(16)} len ${r.length} ` +
            `data 0x${r.mrs[seL4_Timeout_Data]!.toString(16)} consumed ${r.mrs[seL4_Timeout_Consumed]} µs; ` +
            `worker ${report(s, "worker")}`,
        );
        yield sys.send(REPLY, 0); // label 0: resume it
      }
    });
    s.program("worker", function* () {
      yield spin(2.5 * MS);
      done = nowUs(s);
    });
    s.run(["worker", "handler"]);
    expect(faultLabel("mcs", "Timeout")).toBe(5);
    const blocked = "blocked on reply: a reply to its fault (Timeout fault for 0x77) through reply object 'reply'";
    expect(faults).toEqual([
      `1000 µs: label 5 badge 0x99 len 2 data 0x77 consumed 1000 µs; worker ${blocked}`,
      `11000 µs: label 5 badge 0x99 len 2 data 0x77 consumed 1000 µs; worker ${blocked}`,
    ]);
    expect(done).toBe(20_500);
  });
});

describe("MCS seL4_Yield", () => {
  it("gives up the rest of a periodic budget: the thread sleeps until its next period", () => {
    const s = new TestSystem("mcs", [
      { name: "periodic", priority: 200, sc: { budgetUs: 2_000, periodUs: 10_000 } },
      { name: "background", priority: 100 },
    ]);
    let consumed = -1n;
    s.give("periodic", 3, s.scs.get("periodic")!);
    s.program("periodic", function* () {
      yield spin(MS / 2);
      yield sys.yield();
      consumed = (yield sys.call(3, L("SchedContextConsumed"))).mrs[0]!;
    });
    s.program("background", function* () {
      yield spin(15 * MS);
    });
    const trace = runTraced(s, ["background", "periodic"]);
    expect(trace.slice(0, 3)).toEqual(["0 periodic", "500 background", "10000 periodic"]);
    // Only the time really used counts as consumed: 0.5 ms and a few traps, not the 1.5 ms given up.
    expect(consumed).toBe(500n);
  });

  it("refills a round-robin budget and moves the thread behind its peers, counting only the time used", () => {
    const s = new TestSystem("mcs", [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
    ]);
    let consumed = -1n;
    s.give("a", 3, s.scs.get("a")!);
    s.program("a", function* () {
      yield spin(MS);
      yield sys.yield();
      consumed = (yield sys.call(3, L("SchedContextConsumed"))).mrs[0]!;
    });
    s.program("b", function* () {
      yield spin(MS);
    });
    const trace = runTraced(s, ["b", "a"]);
    expect(trace).toEqual(["0 a", "1000 b", "2000 a", "2000 idle"]);
    expect(consumed).toBe(1000n);
  });
});

describe("seL4_SchedContext_YieldTo", () => {
  it.each([
    [100, ["a: yielding", "b runs", "a: back"]],
    [50, ["a: yielding", "a: back", "b runs"]],
  ])(
    "lets the caller step aside for an SC's thread of its own priority, not for a lower one (target at %i)",
    (prio, expected) => {
      const s = new TestSystem("mcs", [
        { name: "a", priority: 100 },
        { name: "b", priority: prio },
      ]);
      s.give("a", 3, s.scs.get("b")!);
      const log: string[] = [];
      s.program("a", function* () {
        log.push("a: yielding");
        expect((yield sys.call(3, L("SchedContextYieldTo"))).label).toBe(0n);
        log.push("a: back");
      });
      s.program("b", function* () {
        log.push("b runs");
      });
      s.run(["b", "a"]);
      expect(log).toEqual(expected);
    },
  );

  it("refuses to yield to the caller's own SC or to a thread above the caller's MCP", () => {
    const s = new TestSystem("mcs", [
      { name: "a", priority: 100, mcp: 100 },
      { name: "b", priority: 150 },
    ]);
    s.give("a", 3, s.scs.get("a")!);
    s.give("a", 4, s.scs.get("b")!);
    const errors: string[] = [];
    s.program("a", function* () {
      errors.push(outcome(yield sys.call(3, L("SchedContextYieldTo"))).error);
      errors.push(outcome(yield sys.call(4, L("SchedContextYieldTo"))).error);
    });
    s.program("b", function* () {});
    s.run(["a", "b"]);
    expect(errors).toEqual(["seL4_IllegalOperation", "seL4_IllegalOperation"]);
  });
});

describe("seL4_SchedControl_ConfigureFlags", () => {
  const SCHED_CONTROL = 3,
    SC = 4,
    NOT_AN_SC = 5;
  const MAX = MAX_PERIOD_US;

  function configure(budget: bigint | number, period: bigint | number, extraRefills: number, target = SC, nMRs = 5) {
    const s = new TestSystem("mcs", [{ name: "admin", priority: 100 }]);
    s.give("admin", SCHED_CONTROL, s.create("SchedControl", "sched_control"));
    s.give("admin", SC, s.create("SchedContext", "sc", 8));
    s.give("admin", NOT_AN_SC, s.create("Endpoint", "ep"));
    let r: Result | undefined;
    const mrs = [budget, period, extraRefills, 0x1234, 0].slice(0, nMRs);
    s.program("admin", function* () {
      r = yield sys.call(SCHED_CONTROL, L("SchedControlConfigureFlags"), mrs, [target]);
    });
    s.run(["admin"]);
    return { s, outcome: outcome(r!) };
  }

  it.each([
    ["a budget below MIN_BUDGET_US", 10, 1000, 0, failed("seL4_RangeError", MIN_BUDGET_US, MAX)],
    ["a period below MIN_BUDGET_US", 10, 10, 0, failed("seL4_RangeError", MIN_BUDGET_US, MAX)],
    ["a budget above MAX_PERIOD_US", MAX + 1n, MAX + 1n, 0, failed("seL4_RangeError", MIN_BUDGET_US, MAX)],
    ["a period above MAX_PERIOD_US", 1000, MAX + 1n, 0, failed("seL4_RangeError", MIN_BUDGET_US, MAX)],
    ["a budget above the period", 2000, 1000, 0, failed("seL4_RangeError", MIN_BUDGET_US, 1000)],
    ["more extra refills than a 2^8-byte SC holds", 1000, 2000, 9, failed("seL4_RangeError", 0, 8)],
  ])("answers %s with a RangeError [min, max]", (_, budget, period, extra, expected) => {
    expect(configure(budget, period, extra).outcome).toEqual(expected);
  });

  it("checks the times before the target cap: a bad time wins over a cap that is no SC", () => {
    expect(configure(10, 1000, 0, NOT_AN_SC).outcome).toEqual(failed("seL4_RangeError", MIN_BUDGET_US, MAX));
    expect(configure(1000, 2000, 0, NOT_AN_SC).outcome).toEqual(failed("seL4_InvalidCapability", 1));
  });

  it("wants five MRs and the SC cap", () => {
    expect(configure(1000, 2000, 0, SC, 4).outcome).toEqual(failed("seL4_TruncatedMessage"));
  });

  it("configures within the limits: budget, period, refills and badge are the SC's", () => {
    const { s, outcome: o } = configure(1000, 2000, 8, SC);
    expect(o).toEqual(OK);
    const sc = s.slotCap("admin", SC);
    expect(sc.type === "SchedContext" && [sc.obj.budget, sc.obj.period, sc.obj.maxRefills, sc.obj.badge]).toEqual([
      MS,
      2 * MS,
      10,
      0x1234n,
    ]);
  });
});

describe("SchedContext decode errors print seL4's userError lines (src/object/schedcontext.c)", () => {
  it("Bind and UnbindObject name seL4's decoder and use its words", () => {
    const s = new TestSystem("mcs", [
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
    ]);
    s.give("a", 3, s.scs.get("b")!);
    s.give("a", 4, s.create("Endpoint", "not_bindable"));
    s.give("a", 5, s.tcb("a"));
    s.give("a", 6, s.create("Notification", "ntfn"));
    s.program("a", function* () {
      yield sys.call(3, L("SchedContextBind"), [], [4]);
      yield sys.call(3, L("SchedContextBind"), [], [5]);
      yield sys.call(3, L("SchedContextUnbindObject"), [], [5]);
      yield sys.call(3, L("SchedContextUnbindObject"), [], [6]);
    });
    s.program("b", function* () {});
    const lines = s
      .run(["a"])
      .split("\n")
      .filter((l) => l.startsWith("<<seL4"));
    expect(lines.map((l) => l.replace(/ T0x[0-9a-f]+ "[^"]*" @[0-9a-fx]+\]/, "]"))).toEqual([
      "<<seL4(CPU 0) [decodeSchedContext_Bind]: SchedContext_Bind: invalid cap.>>",
      "<<seL4(CPU 0) [decodeSchedContext_Bind]: SchedContext_Bind: sched context already bound.>>",
      "<<seL4(CPU 0) [decodeSchedContext_UnbindObject]: SchedContext UnbindObject: object not bound>>",
      "<<seL4(CPU 0) [decodeSchedContext_UnbindObject]: SchedContext UnbindObject: object not bound>>",
    ]);
  });
});
